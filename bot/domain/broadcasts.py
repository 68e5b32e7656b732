"""Broadcasts: one message for many people, through the outbox like everything else.

(The chat flow to write, preview and schedule broadcasts comes with the facilitators' tools;
this is the domain function it will call.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.planning import outbox_row, partners_of, write_rows
from bot.models import Broadcast, Membership, Person, PersonStatus

TEXT_LIMIT = 3500  # leaves room within Telegram's 4096 for the greeting around it
BROADCAST_PRIORITY = 4


def create_broadcast(
    session: Session,
    *,
    text: str,
    person_ids: Iterable[int],
    clock: Clock,
    author_id: int | None = None,
    send_at: datetime | None = None,
) -> tuple[Broadcast, int]:
    """A broadcast to these people, queued in the outbox; returns it and how many rows."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("broadcast.empty")
    if len(cleaned) > TEXT_LIMIT:
        raise InvalidInput("broadcast.too_long", limit=TEXT_LIMIT, length=len(cleaned))
    recipients = sorted(set(person_ids))
    if not recipients:
        raise InvalidInput("broadcast.nobody")
    now = clock.now()
    due = send_at or now
    broadcast = Broadcast(author_id=author_id, text=cleaned, created_at=now, send_at=due)
    session.add(broadcast)
    session.flush()
    rows = [
        outbox_row(
            key=f"b{broadcast.id}:p{person}",
            person_id=person,
            purpose="broadcast",
            due=due,
            expires=None,
            now=now,
            priority=BROADCAST_PRIORITY,
        )
        | {"broadcast_id": broadcast.id}
        for person in recipients
    ]
    return broadcast, write_rows(session, rows)


def cohort_partners(session: Session, *, cohort_ids: list[int]) -> list[int]:
    """Every active, reachable partner of these cohorts."""
    return sorted({person for _, person, _ in partners_of(session, cohort_ids)})


def everyone_active(session: Session) -> list[int]:
    """Every active person in any cohort."""
    return sorted(
        int(p)
        for p in session.exec(
            select(Person.id)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .where(Person.status == PersonStatus.ACTIVE, col(Membership.left_at).is_(None))
            .distinct()
        ).all()
        if p is not None
    )
