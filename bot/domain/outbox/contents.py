"""What each message due now says beyond its row, gathered for a whole batch at once.

A broadcast's copy is its words (the version in this person's language, or the original
with a note that it was written in English) with their placeholders filled in, and its
author's name; a pair's preparation prompt names the person's pair. Kept apart from judging because
it reads broadcasts and pairs, which themselves write to the outbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.domain.agenda.views import titles_for_meetings
from bot.domain.board.digest import digest_for_meeting
from bot.domain.broadcasts import personal_copies, versions_of, wording_for
from bot.domain.outbox.judging import Due, by_id, decide
from bot.domain.outbox.recording import DeliveryResult, not_sent
from bot.domain.pairs import PAIR_PURPOSES, buddy_of
from bot.models import Person


def prepare(
    session: Session, rows: list[dict[str, Any]], now: datetime
) -> tuple[list[Due], list[DeliveryResult]]:
    """Judge a claimed batch: what goes now (with what it says), and the results of the
    rows that do not (deferred, expired, cancelled or skipped)."""
    due, held = decide(session, rows, now)
    _broadcast_words(session, due, now)
    _pair_names(session, due)
    _agenda_items(session, due)
    _board_digests(session, due)
    return due, [not_sent(row, verdict) for row, verdict in held]


def _broadcast_words(session: Session, due: list[Due], now: datetime) -> None:
    casts = [d for d in due if d.broadcast is not None and d.action != "delete"]
    if not casts:
        return
    authors = by_id(session, Person, {d.broadcast.author_id or 0 for d in casts if d.broadcast})
    versions = versions_of(
        session, broadcast_ids=(d.broadcast.id or 0 for d in casts if d.broadcast)
    )
    wordings = {
        i: wording_for(
            d.person.language,
            original=d.broadcast.text,
            versions=versions.get(d.broadcast.id or 0, {}),
        )
        for i, d in enumerate(casts)
        if d.broadcast
    }
    words = personal_copies(
        session, copies={i: (casts[i].person, w.text) for i, w in wordings.items()}, now=now
    )
    for index, item in enumerate(casts):
        assert item.broadcast is not None
        author = authors.get(item.broadcast.author_id or 0)
        item.extra = {
            "author": author.preferred_name if author else None,
            "words": words[index],
            "note": wordings[index].note,  # the original, to a reader of another language
        }


def _pair_names(session: Session, due: list[Due]) -> None:
    for item in due:
        if item.row["purpose"] in PAIR_PURPOSES:
            buddy = buddy_of(session, person_id=item.person.id or 0)
            if buddy is not None:
                item.extra = {"pair": buddy.preferred_name}


# Messages about a meeting that list the items partners asked for (issue 17).
AGENDA_PURPOSES = frozenset({"briefing", "reminder_day", "reminder_hour"})


def _agenda_items(session: Session, due: list[Due]) -> None:
    about = [d for d in due if d.meeting is not None and d.row["purpose"] in AGENDA_PURPOSES]
    titles = titles_for_meetings(
        session, meeting_ids=(d.meeting.id or 0 for d in about if d.meeting)
    )
    for item in about:
        found = titles.get(item.meeting.id or 0) if item.meeting else None
        if found:
            item.extra = {**item.extra, "agenda": found}


def _board_digests(session: Session, due: list[Due]) -> None:
    """A board member's digest (issue 17): the partners' voice for the meeting, read now."""
    for item in due:
        if item.row["purpose"] == BOARD_DIGEST and item.row["meeting_id"]:
            item.extra = {
                "sections": digest_for_meeting(session, meeting_id=item.row["meeting_id"])
            }


BOARD_DIGEST = "board_digest"
