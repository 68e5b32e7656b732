"""Judging claimed rows: send now, later (quiet hours, a pause), or not at all.

A row is cancelled when its person has left or cannot be reached, or its broadcast was
withdrawn; expired when it would come too late to be useful; skipped when it is a nudge for
a reflection already finished; deferred through quiet hours (unless urgent) and pauses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.outbox.writing import URGENT_PRIORITY
from bot.domain.people import is_paused, quiet_hours
from bot.library.timetable import local_to_utc
from bot.models import Broadcast, Meeting, Person, PersonStatus, Reflection, ReflectionStatus

PAUSED_RECHECK = timedelta(hours=12)

# Purposes that change a message already sent instead of sending a new one.
FOLLOW_UPS = {"broadcast_edit": "edit", "broadcast_delete": "delete"}


@dataclass(frozen=True)
class Verdict:
    """What to do with a claimed row: send it, or why not (and until when, if deferred)."""

    action: str  # send | cancel | expire | defer | skip
    reason: str = ""
    until: datetime | None = None


def judge(row: dict[str, Any], person: Person | None, now: datetime) -> Verdict:
    """Whether a claimed row goes now, later (quiet hours, a pause), or not at all, judging
    by its person alone."""
    if person is None or person.status in (PersonStatus.ERASED, PersonStatus.LEFT):
        return Verdict("cancel", "the person has left")
    if person.unreachable_since is not None or person.chat_id is None:
        return Verdict("cancel", "the person cannot be reached")
    expires = row.get("expires_at")
    if expires is not None and expires <= now:
        return Verdict("expire", "too late to be useful")
    if is_paused(person, now=now):
        until = person.paused_until or now + PAUSED_RECHECK
        return Verdict("defer", "paused", min(until, expires) if expires else until)
    quiet = quiet_hours(person)
    urgent = row.get("priority", 5) <= URGENT_PRIORITY
    if not urgent and quiet is not None and quiet.contains(now, person.time_zone):
        return Verdict("defer", "quiet hours", quiet_end(now, quiet.end, person.time_zone))
    return Verdict("send")


def quiet_end(now: datetime, end_minute: int, zone: str) -> datetime:
    """The next time the clock reads `end_minute` (minutes after midnight) in `zone`."""
    local_day = now.astimezone(ZoneInfo(zone)).date()
    at = time(end_minute // 60, end_minute % 60)
    for day in (local_day, local_day + timedelta(days=1)):
        moment = local_to_utc(day, at, zone)
        if moment > now:
            return moment
    return local_to_utc(local_day + timedelta(days=2), at, zone)


@dataclass
class Due:
    """A claimed row that goes now, with what rendering it needs."""

    row: dict[str, Any]
    person: Person
    chat_id: int
    meeting: Meeting | None = None
    broadcast: Broadcast | None = None
    # What the message says beyond the row: a broadcast's words for this person and its
    # author, or the name of the person's pair.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        """send, or edit / delete a message sent earlier (a corrected or withdrawn broadcast)."""
        return FOLLOW_UPS.get(self.row["purpose"], "send")

    @property
    def message_id(self) -> int | None:
        """The earlier message an edit or deletion is about."""
        found = json.loads(self.row.get("payload") or "{}").get("message_id")
        return int(found) if found is not None else None


def by_id(session: Session, model: Any, ids: set[int]) -> dict[int, Any]:
    """Rows of `model` with these ids, by id (one query)."""
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(model).where(col(model.id).in_(ids)))}


def decide(
    session: Session, rows: list[dict[str, Any]], now: datetime
) -> tuple[list[Due], list[tuple[dict[str, Any], Verdict]]]:
    """Judge a claimed batch: the rows that go now, and the others with their verdicts."""
    people = by_id(session, Person, {r["person_id"] for r in rows})
    meetings = by_id(session, Meeting, {r["meeting_id"] for r in rows if r["meeting_id"]})
    casts = by_id(session, Broadcast, {r["broadcast_id"] for r in rows if r["broadcast_id"]})
    answered = _answered(session, rows)
    due: list[Due] = []
    held: list[tuple[dict[str, Any], Verdict]] = []
    for row in rows:
        person = people.get(row["person_id"])
        broadcast = casts.get(row["broadcast_id"])
        verdict = judge(row, person, now)
        if verdict.action == "send":
            verdict = _still_wanted(row, broadcast, answered)
        if verdict.action != "send" or person is None or person.chat_id is None:
            held.append((row, verdict))
            continue
        due.append(Due(row, person, person.chat_id, meetings.get(row["meeting_id"]), broadcast))
    return due, held


def _still_wanted(
    row: dict[str, Any], broadcast: Broadcast | None, answered: set[tuple[int, int]]
) -> Verdict:
    """A row that may go by its person's rules: is it still wanted?"""
    if row["purpose"] == "nudge" and (row["person_id"], row["meeting_id"]) in answered:
        return Verdict("skip", "already answered")
    withdrawn = broadcast is not None and broadcast.withdrawn_at is not None
    if withdrawn and row["purpose"] != "broadcast_delete":
        return Verdict("cancel", "broadcast withdrawn")
    return Verdict("send")


def _answered(session: Session, rows: list[dict[str, Any]]) -> set[tuple[int, int]]:
    """(person, meeting) of nudges in the batch whose reflection is already finished."""
    nudges = [r for r in rows if r["purpose"] == "nudge" and r["meeting_id"]]
    if not nudges:
        return set()
    done = session.exec(
        select(Reflection.person_id, Reflection.meeting_id).where(
            col(Reflection.meeting_id).in_({r["meeting_id"] for r in nudges}),
            col(Reflection.person_id).in_({r["person_id"] for r in nudges}),
            Reflection.status == ReflectionStatus.FINISHED,
        )
    ).all()
    return {(int(person), int(meeting or 0)) for person, meeting in done}
