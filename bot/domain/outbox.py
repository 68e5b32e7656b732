"""The outbox: claiming due deliveries with a lease, deciding what to do with each, and
recording what happened.

Claiming is one atomic UPDATE ... RETURNING (with FOR UPDATE SKIP LOCKED on PostgreSQL), so
any number of dispatchers can share the table and each row goes to one of them. A row whose
lease ran out (its dispatcher died) is claimed again: delivery is at-least-once, and only
messages in flight at a crash can be sent twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, or_, select, update
from sqlmodel import Session, col

from bot.domain.clock import Clock
from bot.domain.people import is_paused, quiet_hours
from bot.domain.planning import cancel_pending
from bot.library.timetable import local_to_utc
from bot.models import Delivery, DeliveryStatus, Person, PersonStatus

LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 5
PAUSED_RECHECK = timedelta(hours=12)
URGENT_PRIORITY = 1  # safeguarding alerts: not held back by quiet hours


def claim_due(
    session: Session, *, worker: str, clock: Clock, limit: int = 200, lease: timedelta = LEASE
) -> list[dict[str, Any]]:
    """Take up to `limit` due rows (and rows whose lease ran out) for this worker."""
    now = clock.now()
    due = (
        select(col(Delivery.id))
        .where(
            or_(
                and_(col(Delivery.status) == DeliveryStatus.PENDING, col(Delivery.due_at) <= now),
                and_(
                    col(Delivery.status) == DeliveryStatus.SENDING, col(Delivery.lease_until) < now
                ),
            )
        )
        .order_by(col(Delivery.priority), col(Delivery.due_at))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    statement = (
        update(Delivery)
        .where(col(Delivery.id).in_(due.scalar_subquery()))
        .values(
            status=DeliveryStatus.SENDING,
            lease_until=now + lease,
            leased_by=worker,
            attempts=col(Delivery.attempts) + 1,
            updated_at=now,
        )
        .returning(*Delivery.__table__.columns)  # type: ignore[attr-defined]
    )
    return [dict(row) for row in session.connection().execute(statement).mappings()]


@dataclass(frozen=True)
class Verdict:
    """What to do with a claimed row: send it, or why not (and until when, if deferred)."""

    action: str  # send | cancel | expire | defer
    reason: str = ""
    until: datetime | None = None


def judge(row: dict[str, Any], person: Person | None, now: datetime) -> Verdict:
    """Whether a claimed row goes now, later (quiet hours, a pause), or not at all."""
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


def backoff(attempt: int, *, base: float = 2.0, cap: float = 600.0) -> timedelta:
    """Exponential backoff with full jitter for the attempt that just failed."""
    return timedelta(seconds=random.uniform(0, min(cap, base * 2 ** max(0, attempt - 1))))


_RECORD_SQL = (
    update(Delivery)
    .where(col(Delivery.id) == bindparam("row_id"))
    .values(
        status=bindparam("new_status"),
        due_at=bindparam("new_due"),
        last_error=bindparam("error"),
        sent_at=bindparam("sent"),
        message_id=bindparam("message"),
        lease_until=None,
        updated_at=bindparam("now"),
    )
)


@dataclass(frozen=True)
class DeliveryResult:
    """What became of one row."""

    row_id: int
    status: DeliveryStatus
    due_at: datetime
    error: str | None = None
    person_id: int = 0
    sent_at: datetime | None = None
    message_id: int | None = None


def record(session: Session, outcomes: list[DeliveryResult], *, clock: Clock) -> None:
    """Write every outcome in one batch."""
    if not outcomes:
        return
    now = clock.now()
    session.connection().execute(
        _RECORD_SQL,
        [
            {
                "row_id": o.row_id,
                "new_status": o.status.value,
                "new_due": o.due_at,
                "error": (o.error or None) and o.error[:300],
                "sent": o.sent_at,
                "message": o.message_id,
                "now": now,
            }
            for o in outcomes
        ],
    )


def after_failure(row: dict[str, Any], error: str, *, now: datetime, retry: bool) -> DeliveryResult:
    """A failed attempt: try again later with backoff, or park it as failed."""
    if retry and row["attempts"] < MAX_ATTEMPTS:
        return DeliveryResult(
            row["id"], DeliveryStatus.PENDING, now + backoff(row["attempts"]), error=error
        )
    return DeliveryResult(row["id"], DeliveryStatus.FAILED, row["due_at"], error=error)


def person_unreachable(session: Session, *, person_id: int, reason: str, clock: Clock) -> int:
    """Telegram refused for good (blocked, deactivated): stop, and cancel what is pending."""
    person = session.get(Person, person_id)
    if person is not None and person.unreachable_since is None:
        person.unreachable_since = clock.now()
        person.unreachable_reason = reason[:200]
        session.add(person)
    return cancel_pending(session, clock=clock, person_id=person_id, reason="unreachable")


def release_all_leases(session: Session, *, clock: Clock) -> int:
    """Put every in-flight row back to pending (start-up of the only dispatcher, on SQLite):
    these are the messages that may have been sent just before a crash."""
    result = session.execute(
        update(Delivery)
        .where(col(Delivery.status) == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.PENDING, lease_until=None, updated_at=clock.now())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def resume_deferred(session: Session, *, person_id: int, clock: Clock) -> int:
    """A pause ended: what it held back becomes due now."""
    now = clock.now()
    result = session.execute(
        update(Delivery)
        .where(
            col(Delivery.person_id) == person_id,
            col(Delivery.status) == DeliveryStatus.PENDING,
            col(Delivery.due_at) > now,
            col(Delivery.planned_for) <= now,
        )
        .values(due_at=now, updated_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)
