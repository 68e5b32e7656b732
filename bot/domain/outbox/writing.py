"""Writing to the outbox: new rows, idempotent re-planning, and cancelling what is pending.

Each row has a unique dedupe key (meeting, purpose, person; or purpose, period, person; or
a broadcast and a person), so writing the same row again only re-times it while it is still
pending. Rows already sent are never touched: a re-plan can never send twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from bot.domain.clock import Clock
from bot.domain.sql import insert_for_dialect
from bot.models import Delivery, DeliveryStatus

# Lower goes first. Urgent rows (safeguarding alerts) are not held back by quiet hours.
URGENT_PRIORITY = 1
NOTICE_PRIORITY = 2  # a question, an answer, a relayed pair message, "you said, we did"
MEETING_CHANGE_PRIORITY = 3  # a meeting moved or cancelled
BROADCAST_PRIORITY = 4
BULK_PRIORITY = 5  # the timetable: briefings, reminders, prompts

LEASE = timedelta(seconds=60)  # how long a dispatcher holds a claimed row

_UPSERT_FIELDS = ("planned_for", "due_at", "expires_at", "payload", "updated_at")


@cache
def _upsert(dialect: str) -> Any:
    statement = insert_for_dialect(dialect, Delivery)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["dedupe_key"],
        set_={name: excluded[name] for name in _UPSERT_FIELDS},
        where=(col(Delivery.status) == DeliveryStatus.PENDING.value)
        & (col(Delivery.planned_for) != excluded.planned_for),
    )


def write(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert new rows and re-time pending ones, in one statement; returns rows given."""
    if rows:
        session.connection().execute(_upsert(session.get_bind().dialect.name), rows)
    return len(rows)


def new_row(
    *,
    key: str,
    person_id: int,
    purpose: str,
    due: datetime,
    now: datetime,
    expires: datetime | None = None,
    meeting_id: int | None = None,
    broadcast_id: int | None = None,
    payload: dict[str, Any] | None = None,
    priority: int = BULK_PRIORITY,
) -> dict[str, Any]:
    """One outbox row, ready for `write`."""
    return {
        "dedupe_key": key,
        "person_id": person_id,
        "purpose": purpose,
        "meeting_id": meeting_id,
        "broadcast_id": broadcast_id,
        "payload": json.dumps(payload or {}, separators=(",", ":"), ensure_ascii=False),
        "priority": priority,
        "status": DeliveryStatus.PENDING.value,
        "planned_for": due,
        "due_at": due,
        "expires_at": expires,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


def cancel_pending(
    session: Session,
    *,
    clock: Clock,
    meeting_id: int | None = None,
    person_id: int | None = None,
    purposes: Iterable[str] | None = None,
    meeting_ids: Any = None,
    broadcast_id: int | None = None,
    after_id: int | None = None,
    reason: str = "cancelled",
) -> int:
    """Cancel the pending deliveries of a meeting (or of the meetings a subquery names), of a
    broadcast, of a person, or both (only these purposes, and only those written after the
    delivery `after_id`, if given); returns how many."""
    statement = update(Delivery).where(col(Delivery.status) == DeliveryStatus.PENDING)
    if purposes is not None:
        statement = statement.where(col(Delivery.purpose).in_(list(purposes)))
    if meeting_id is not None:
        statement = statement.where(col(Delivery.meeting_id) == meeting_id)
    if meeting_ids is not None:
        statement = statement.where(col(Delivery.meeting_id).in_(meeting_ids))
    if broadcast_id is not None:
        statement = statement.where(col(Delivery.broadcast_id) == broadcast_id)
    if person_id is not None:
        statement = statement.where(col(Delivery.person_id) == person_id)
    if after_id is not None:
        statement = statement.where(col(Delivery.id) > after_id)
    result = session.execute(
        statement.values(
            status=DeliveryStatus.CANCELLED, last_error=reason[:300], updated_at=clock.now()
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
