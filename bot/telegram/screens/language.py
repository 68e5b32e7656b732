"""Choosing the language Tandem writes in (issue 19): /language, settings and onboarding."""

from __future__ import annotations

from bot.library import languages
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows


def language_buttons(services: Services) -> list[Button]:
    """One button per language, each named as its speakers write it; the one being written
    now is ticked."""
    now = languages.current()
    return [
        Button(f"✓ {language.name}" if code == now else language.name, callbacks.LANGUAGE(code))
        for code, language in services.texts.languages.items()
    ]


def language_name(services: Services, code: str | None = None) -> str:
    """A language's own name ("Polski"); by default the one being written now."""
    known = services.texts.languages
    language = known.get(code or languages.current()) or known[languages.ENGLISH]
    return language.name


def language_screen(services: Services) -> Screen:
    """Which language to write in, one tap each."""
    text = services.texts.render("language.choose", language=language_name(services))
    return Screen(text, rows(language_buttons(services), help_button(services)))


def changed_screen(services: Services) -> Screen:
    """Said in the new language once it is chosen, with where to go next."""
    return Screen(
        services.texts.render("language.changed", language=language_name(services)),
        rows(
            Button(services.texts.render("buttons.settings"), callbacks.SETTINGS("show")),
            help_button(services),
        ),
    )
