"""The audit trail: who viewed, exported, changed or erased what (never anyone's words);
recording an event, and reading the trail back for coordinators."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from bot.domain.clock import Clock
from bot.domain.people import names_of
from bot.models import AuditEvent


def record(
    session: Session,
    *,
    clock: Clock,
    action: str,
    actor_id: int | None,
    subject_id: int | None = None,
    detail: str | None = None,
) -> AuditEvent:
    """Add one audit event; `detail` must never hold a person's own words."""
    event = AuditEvent(
        at=clock.now(), action=action, actor_id=actor_id, subject_id=subject_id, detail=detail
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditRow:
    """One audit event with names instead of ids."""

    event: AuditEvent
    actor: str
    subject: str


@dataclass(frozen=True)
class AuditFilter:
    """Which audit events to show: of one kind, by one person, within dates (UTC)."""

    action: str | None = None
    actor_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def _audit_where(query: Any, wanted: AuditFilter) -> Any:
    if wanted.action:
        query = query.where(AuditEvent.action == wanted.action)
    if wanted.actor_id is not None:
        query = query.where(AuditEvent.actor_id == wanted.actor_id)
    if wanted.since is not None:
        query = query.where(col(AuditEvent.at) >= wanted.since)
    if wanted.until is not None:
        query = query.where(col(AuditEvent.at) < wanted.until)
    return query


def audit_log(
    session: Session, *, wanted: AuditFilter = AuditFilter(), page: int = 1, per_page: int = 50
) -> tuple[list[AuditRow], int]:
    """Audit events, newest first, and how many there are (coordinators only: the route
    checks the role)."""
    total = int(
        session.exec(_audit_where(select(func.count()).select_from(AuditEvent), wanted)).one()
    )
    events = session.exec(
        _audit_where(select(AuditEvent), wanted)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return _audit_rows(session, list(events)), total


def _audit_rows(session: Session, events: list[AuditEvent]) -> list[AuditRow]:
    names = names_of(
        session,
        {e.actor_id for e in events if e.actor_id} | {e.subject_id for e in events if e.subject_id},
    )
    return [
        AuditRow(
            event=e,
            actor=names.get(e.actor_id or 0, "") if e.actor_id else "Tandem",
            subject=names.get(e.subject_id or 0, "") if e.subject_id else "",
        )
        for e in events
    ]


def audit_batches(
    session: Session, *, wanted: AuditFilter, size: int = 1000
) -> Iterator[list[AuditRow]]:
    """Every matching audit event, oldest first, a batch at a time (for an export)."""
    after = 0
    while True:
        events = list(
            session.exec(
                _audit_where(select(AuditEvent), wanted)
                .where(col(AuditEvent.id) > after)
                .order_by(col(AuditEvent.id))
                .limit(size)
            ).all()
        )
        if not events:
            return
        yield _audit_rows(session, events)
        after = events[-1].id or after


def audit_actors(session: Session) -> list[tuple[int, str]]:
    """(id, name) of everyone who appears as the one acting in the audit log."""
    ids = {int(a) for a in session.exec(select(AuditEvent.actor_id).distinct()).all() if a}
    names = names_of(session, ids)
    return sorted(((i, names.get(i, "") or "(erased)") for i in ids), key=lambda p: p[1].lower())


def audit_actions(session: Session) -> list[str]:
    """Every kind of audit event recorded so far, for the filter."""
    return sorted(a for a in session.exec(select(AuditEvent.action).distinct()).all() if a)
