"""Screens for what the outbox sends: briefings, papers, reminders, prompts and notices.

Rendered at send time, for the person it goes to: their name, their time zone, and the
meeting as it is now (a moved meeting shows its new time).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from html import unescape as plain_text
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.domain.meetings import papers_of
from bot.domain.outbox import Due, contents
from bot.domain.when import local_date_label, local_time_label
from bot.models import Meeting, Person
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.screens.board import board_digest_screen
from bot.telegram.screens.library import timed_label
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows, stacked

PROMPT_PURPOSES = {"reflection", "nudge", "what_changed", "check_in"}


def relative_when(services: Services, starts_at: datetime, now: datetime, zone: str) -> str:
    """ "in 1 hour", "today at 14:00", "tomorrow at 14:00", "on Thu 5 Mar at 14:00" (or "on
    Fri 5 Mar 2027 at 14:00", more than six months away)."""
    texts = services.texts
    local_start, local_now = starts_at.astimezone(ZoneInfo(zone)), now.astimezone(ZoneInfo(zone))
    until = starts_at - now
    if timedelta(0) < until <= timedelta(minutes=90):
        minutes = max(1, round(until.total_seconds() / 60))
        if minutes < 60:
            return plain_text(texts.render("moments.in_minutes", minutes=minutes))
        return plain_text(texts.render("moments.in_hour"))
    clock = f"{local_start:%H:%M}"
    days = (local_start.date() - local_now.date()).days
    if days == 0:
        return plain_text(texts.render("moments.today_at", time=clock))
    if days == 1:
        return plain_text(texts.render("moments.tomorrow_at", time=clock))
    day = local_date_label(starts_at, zone, now=now)
    return plain_text(texts.render("moments.on_day_at", day=day, time=clock))


def meeting_context(
    services: Services, meeting: Meeting, person: Person, now: datetime
) -> dict[str, Any]:
    """What a message about a meeting says, in the person's own time zone."""
    return {
        "meeting": meeting.title,
        "when": local_time_label(meeting.starts_at, person.time_zone, now=now),
        "relative": relative_when(services, meeting.starts_at, now, person.time_zone),
        "place": meeting.place or "",
        "link": meeting.join_url or "",
    }


def render(services: Services, due: Due) -> Screen | None:
    """The message for one outbox row, or None when there is nothing sensible to send."""
    row, person, meeting, extra = due.row, due.person, due.meeting, due.extra
    purpose = row["purpose"]
    payload = json.loads(row.get("payload") or "{}")
    now = services.clock.now()
    context: dict[str, Any] = {"name": person.preferred_name or ""}
    if meeting is not None:
        context |= meeting_context(services, meeting, person, now)
    if purpose == "notice":
        return _notice(services, payload)
    if purpose in ("broadcast", "broadcast_edit"):
        return broadcast_screen(
            services,
            author=extra.get("author"),
            words=extra["words"],
            note=extra.get("note", False),
        )
    if purpose in PROMPT_PURPOSES or payload.get("prompt_set"):
        return _prompt(services, purpose, payload, meeting, context | extra)
    if meeting is None:
        return None
    if purpose == contents.BOARD_DIGEST:
        return board_digest_screen(services, meeting, context, extra.get("sections", []))
    if purpose in ("reminder_day", "reminder_hour"):
        return _with_agenda(services, _reminder(services, meeting, context), extra)
    if purpose in ("briefing", "papers"):
        return _with_agenda(services, _reading(services, purpose, meeting, context), extra)
    if purpose in ("meeting_moved", "meeting_cancelled"):
        buttons = (
            ()
            if purpose == "meeting_cancelled"
            else rows(
                Button(
                    services.texts.render("outbox.buttons.calendar"),
                    callbacks.CALENDAR(meeting.id or 0),
                )
            )
        )
        return Screen(services.texts.render(f"outbox.{purpose}", **context), buttons)
    return None


def _with_agenda(services: Services, screen: Screen, extra: dict[str, Any]) -> Screen:
    """A meeting's message with the items partners asked for, when there are any."""
    titles = extra.get("agenda")
    if not titles:
        return screen
    block = services.texts.render("agenda.in_message", items=titles)
    return Screen(f"{screen.text}\n\n{block}", screen.rows)


def rsvp_row(services: Services, meeting_id: int, said: bool | None) -> tuple[Button, ...]:
    """The buttons to answer "will you be there?": both before an answer, then the one that
    changes it."""
    texts = services.texts
    coming = Button(texts.render("outbox.buttons.attending"), callbacks.RSVP(meeting_id, "yes"))
    not_coming = Button(
        texts.render("outbox.buttons.not_attending"), callbacks.RSVP(meeting_id, "no")
    )
    if said is None:
        return (coming, not_coming)
    if said:
        return (
            Button(
                texts.render("outbox.buttons.not_attending_after_all"),
                callbacks.RSVP(meeting_id, "no"),
            ),
        )
    return (
        Button(
            texts.render("outbox.buttons.attending_after_all"), callbacks.RSVP(meeting_id, "yes")
        ),
    )


def rsvp_said(services: Services, said: bool | None) -> str:
    """The last line of a partner's meeting card: their answer, or the question when they
    have not answered yet (HTML)."""
    if said is None:
        return services.texts.render("outbox.rsvp_said.ask")
    key = "outbox.rsvp_said.yes" if said else "outbox.rsvp_said.no"
    return f"<b>{services.texts.render(key)}</b>"


def _reminder(services: Services, meeting: Meeting, context: dict[str, Any]) -> Screen:
    texts = services.texts
    buttons = [
        rsvp_row(services, meeting.id or 0, None),
        (Button(texts.render("outbox.buttons.calendar"), callbacks.CALENDAR(meeting.id or 0)),),
    ]
    if meeting.join_url:
        buttons.append((Button(texts.render("outbox.buttons.join"), url=meeting.join_url),))
    return Screen(texts.render("outbox.reminder", **context), tuple(buttons))


def _reading(services: Services, purpose: str, meeting: Meeting, context: dict[str, Any]) -> Screen:
    texts, library = services.texts, services.library
    papers = [library.briefings[p] for p in papers_of(meeting) if p in library.briefings]
    if purpose == "briefing":
        if not papers:
            return Screen(
                texts.render("outbox.briefing_none", **context),
                rows(Button(texts.render("library.buttons.topics"), callbacks.TOPICS())),
            )
        first = papers[0]
        return Screen(
            texts.render(
                "outbox.briefing",
                title=first.meta.title,
                minutes=first.meta.minutes,
                summary=first.meta.summary,
                **context,
            ),
            rows(Button(texts.render("outbox.buttons.read"), callbacks.BRIEFING_PAGE(first.id, 1))),
        )
    return Screen(
        texts.render("outbox.papers", papers=[p.meta.title for p in papers], **context),
        stacked(
            Button(
                timed_label(services, p.meta.title, p.meta.minutes),
                callbacks.BRIEFING_PAGE(p.id, 1),
            )
            for p in papers
        ),
    )


def _prompt(
    services: Services,
    purpose: str,
    payload: dict[str, Any],
    meeting: Meeting | None,
    context: dict[str, Any],
) -> Screen | None:
    texts = services.texts
    prompt_set = services.library.prompt_sets.get(str(payload.get("prompt_set")))
    if prompt_set is None:
        return None
    variables = {
        "name": context["name"],
        "meeting": context.get("meeting"),
        "cohort": "",
        "pair": context.get("pair"),
    }
    key = "outbox.nudge" if purpose == "nudge" else "outbox.prompt"
    text = texts.render(
        key,
        intro=texts.markup_string(prompt_set.intro, **variables),
        title=prompt_set.title,
        minutes=prompt_set.minutes,
        **context,
    )
    start = callbacks.MEETING_PROMPT((meeting.id or 0) if meeting else 0, prompt_set.id)
    buttons = [Button(texts.render("outbox.buttons.start"), start)]
    if context.get("pair"):
        buttons.append(Button(texts.render("pairs.buttons.message"), callbacks.PAIR_WRITE()))
    return Screen(text, rows(*buttons))


def broadcast_screen(
    services: Services, *, author: str | None, words: str, note: bool = False
) -> Screen:
    """A broadcast as its person sees it: from whom, and the words made theirs (`note`: the
    original, with a short note in the reader's language that it was written in English)."""
    text: str | Markup = words
    if note:
        text = Markup("{}\n\n{}").format(services.texts.markup("broadcast.original_note"), words)
    return Screen(
        services.texts.render("outbox.broadcast", author=author, text=text),
        rows(help_button(services)),
    )


def _notice(services: Services, payload: dict[str, Any]) -> Screen:
    texts = services.texts
    rows_ = tuple(
        tuple(Button(texts.render(spec[0]), _action_data(spec)) for spec in line)
        for line in payload.get("buttons", [])
    )
    return Screen(texts.render(str(payload["key"]), **payload.get("params", {})), rows_)


def _action_data(spec: list[Any]) -> str:
    """A notice's button: [label, action, values] (or, queued by an older release,
    [label, callback data])."""
    if len(spec) == 2:
        return str(spec[1])
    return callbacks.ACTIONS[str(spec[1])](*spec[2])
