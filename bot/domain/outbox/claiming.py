"""Claiming due rows with a lease, so any number of dispatchers can share the table.

Claiming is one atomic UPDATE ... RETURNING (with FOR UPDATE SKIP LOCKED on PostgreSQL), so
each row goes to one dispatcher. A row whose lease ran out (its dispatcher died) is claimed
again: delivery is at-least-once, and only messages in flight at a crash can be sent twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlmodel import Session, col

from bot.domain.clock import Clock
from bot.domain.outbox.writing import LEASE, URGENT_PRIORITY
from bot.models import Delivery, DeliveryStatus


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


@dataclass(frozen=True)
class Depth:
    """How full the outbox is."""

    by_status: dict[str, int]
    oldest_due_seconds: float  # how long the oldest row due now has waited
    urgent_waiting: int  # urgent rows (safeguarding alerts) not yet sent


def depth(session: Session, *, now: datetime) -> Depth:
    """Rows by status, the wait of the oldest due one, and urgent ones waiting."""
    counts = {
        str(status): int(total)
        for status, total in session.execute(
            select(col(Delivery.status), func.count()).group_by(col(Delivery.status))
        ).all()
    }
    waiting = (col(Delivery.status) == DeliveryStatus.PENDING) | (
        col(Delivery.status) == DeliveryStatus.SENDING
    )
    oldest = session.execute(
        select(func.min(col(Delivery.due_at))).where(waiting, col(Delivery.due_at) <= now)
    ).scalar()
    urgent = session.execute(
        select(func.count()).where(waiting, col(Delivery.priority) <= URGENT_PRIORITY)
    ).scalar()
    return Depth(
        by_status={status.value: counts.get(status.value, 0) for status in DeliveryStatus},
        oldest_due_seconds=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        urgent_waiting=int(urgent or 0),
    )
