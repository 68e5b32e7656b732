"""Which reflection a person has open: the one in progress, or the one about a meeting."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.models import Reflection, ReflectionStatus


def unfinished(session: Session, *, person_id: int) -> Reflection | None:
    """The person's reflection in progress, if any (the newest one)."""
    return session.exec(
        select(Reflection)
        .where(Reflection.person_id == person_id, Reflection.status == ReflectionStatus.IN_PROGRESS)
        .order_by(col(Reflection.updated_at).desc())
    ).first()


def for_meeting(
    session: Session, *, person_id: int, meeting_id: int | None, prompt_set: str
) -> Reflection | None:
    """The person's reflection on this prompt set for this meeting (not discarded), if any."""
    if meeting_id is None:
        return None
    return session.exec(
        select(Reflection)
        .where(
            Reflection.person_id == person_id,
            Reflection.meeting_id == meeting_id,
            Reflection.prompt_set == prompt_set,
            Reflection.status != ReflectionStatus.DISCARDED,
        )
        .order_by(col(Reflection.started_at).desc())
    ).first()
