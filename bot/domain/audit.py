"""The audit trail: who viewed, exported, changed or erased what."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain.clock import Clock
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
