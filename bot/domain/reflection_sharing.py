"""Who may read a finished reflection, changed afterwards from the journal."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain import changes
from bot.domain.changes import ChangeKind
from bot.domain.clock import Clock
from bot.domain.reflections import own_reflection
from bot.models import Reflection, Sharing


def change_sharing(
    session: Session, *, person_id: int, reflection_id: int, sharing: Sharing, clock: Clock
) -> Reflection:
    """Change who may read a finished reflection."""
    reflection = own_reflection(session, person_id, reflection_id)
    old, reflection.sharing = reflection.sharing, sharing
    reflection.updated_at = clock.now()
    session.add(reflection)
    changes.record(
        session,
        person_id=person_id,
        kind=ChangeKind.SHARING,
        old=old.value if old else "",
        new=sharing.value,
        about=reflection.title,
        clock=clock,
    )
    return reflection
