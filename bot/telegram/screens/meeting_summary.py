"""The meeting summary in chat, for facilitators (issue 17 part 4): items, measures and
what board members learned, side by side."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from bot.domain.meeting_summary import MeetingSummary
from bot.domain.when import local_date_label, local_time_label
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows

WORDS = 300  # characters of a board member's answer shown in chat (all of it on the dashboard)


def _clip(text: str) -> str:
    return text if len(text) <= WORDS else text[: WORDS - 1].rstrip() + "…"


def summary_screen(
    services: Services, summary: MeetingSummary, *, zone: str, now: datetime
) -> Screen:
    """One meeting's summary, with the way back to the meetings list."""
    texts = services.texts
    learnings = [
        asdict(one) | {"learned": _clip(one.learned), "differently": _clip(one.differently)}
        for one in summary.learnings
    ]
    text = texts.render(
        "meeting_summary.text",
        title=summary.title,
        cohort=summary.cohort,
        when=local_time_label(summary.starts_at, zone, now=now),
        since=local_date_label(summary.since, zone, now=now) if summary.since else None,
        counts=summary.counts,
        asked=[asdict(item) for item in summary.items],
        figures=[asdict(figure) for figure in summary.measures],
        learnings=learnings,
    )
    return Screen(
        text,
        rows(
            Button(texts.render("meetings.buttons.all"), callbacks.MEETINGS()),
            help_button(services),
        ),
    )


def summary_button(services: Services, meeting_id: int) -> Button:
    """The "Summary" button on a meeting card for staff."""
    return Button(
        services.texts.render("meetings.buttons.summary"), callbacks.MEETING_SUMMARY(meeting_id)
    )
