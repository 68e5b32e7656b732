"""Screens for the library: topics, briefing pages and the jargon buster."""

from __future__ import annotations

import html

from bot.domain.when import day_label
from bot.library import languages
from bot.library.briefings import Briefing
from bot.library.glossary import Term
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows, stacked


def topic_label(services: Services, tag: str) -> str:
    """A topic's name for people (from the messages file, else the tag tidied up)."""
    key = f"library.topics.{tag}"
    texts = services.texts
    return texts.render(key) if texts.has(key) else tag.replace("-", " ").capitalize()


def timed_label(services: Services, title: str, minutes: int) -> str:
    """A button's words for something to read or answer: "Working in pairs · 4 min"."""
    return html.unescape(services.texts.render("library.timed", title=title, minutes=minutes))


def topics_screen(services: Services) -> Screen:
    """/library: the topics to browse."""
    topics = services.library.topics()
    buttons = [
        Button(f"{topic_label(services, tag)} ({len(items)})", callbacks.TOPIC(tag))
        for tag, items in topics
    ]
    return Screen(services.texts.render("library.intro"), stacked(buttons))


def topic_screen(services: Services, tag: str, read: set[str]) -> Screen:
    """The briefings in one topic, ticked when read."""
    texts = services.texts
    items = dict(services.library.topics()).get(tag, [])
    buttons = [
        Button(
            ("✓ " if b.id in read else "") + timed_label(services, b.meta.title, b.meta.minutes),
            callbacks.BRIEFING_PAGE(b.id, 1),
        )
        for b in items
    ]
    buttons.append(Button(texts.render("library.buttons.topics"), callbacks.TOPICS()))
    return Screen(texts.render("library.topic", topic=topic_label(services, tag)), stacked(buttons))


def page_screen(services: Services, briefing: Briefing, page: int, read: bool) -> Screen:
    """One page of a briefing with Back / Next, "Got it" at the end, and a question button."""
    texts = services.texts
    total = len(briefing.pages)
    page = max(1, min(page, total))
    footer = texts.render(
        "library.footer",
        page=page,
        pages=total,
        minutes=briefing.meta.minutes,
        changing=briefing.meta.changing if page == 1 else None,
        reviewed=day_label(briefing.meta.reviewed, "LLLL y"),
    )
    navigation = []
    if page > 1:
        navigation.append(
            Button(
                texts.render("library.buttons.back"), callbacks.BRIEFING_PAGE(briefing.id, page - 1)
            )
        )
    if page < total:
        navigation.append(
            Button(
                texts.render("library.buttons.next"), callbacks.BRIEFING_PAGE(briefing.id, page + 1)
            )
        )
    else:
        label = "library.buttons.read" if read else "library.buttons.got_it"
        navigation.append(Button(texts.render(label), callbacks.BRIEFING_READ(briefing.id, page)))
    text = f"{briefing.pages[page - 1].html}\n\n{footer}"
    if page == 1 and briefing.language != languages.current():
        text = f"{texts.render('language.english_only')}\n\n{text}"  # said once, on page 1
    return Screen(
        text,
        rows(
            navigation,
            Button(texts.render("library.buttons.ask"), callbacks.BRIEFING_ASK(briefing.id, page)),
            Button(texts.render("library.buttons.topics"), callbacks.TOPICS()),
        ),
    )


def term_screen(services: Services, term: Term) -> Screen:
    """A glossary entry, with buttons for the terms it points to."""
    texts, glossary = services.texts, services.library.glossary
    # See-also names are English (what buttons carry); each is shown in the reader's language.
    related = [
        (found.term if (found := glossary.lookup(name)) else name, name) for name in term.see_also
    ]
    text = texts.render(
        "explain.term",
        title=term.title,
        explanation=term.explanation,
        see_also=[label for label, _ in related],
    )
    if term.language != languages.current():
        text = f"{texts.render('language.english_only')}\n\n{text}"
    buttons = [Button(label, callbacks.TERM(name)) for label, name in related]
    return Screen(text, stacked([*buttons, help_button(services)]))


def unknown_term_screen(services: Services, typed: str, suggestions: list[Term]) -> Screen:
    """No such term: near misses to tap, or an offer to ask the facilitator."""
    texts = services.texts
    buttons = [Button(term.title, callbacks.TERM(term.key)) for term in suggestions]
    buttons.append(Button(texts.render("explain.buttons.ask"), callbacks.TERM_ASK(typed)))
    key = "explain.suggest" if suggestions else "explain.unknown"
    return Screen(texts.render(key, typed=typed), stacked(buttons))
