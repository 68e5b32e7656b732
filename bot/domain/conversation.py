"""Conversation state kept in the database, so a restart resumes at the same step."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from bot.domain.clock import Clock
from bot.models import ConversationState


@dataclass(frozen=True)
class State:
    """Which flow a person is in, at which step, with any notes the flow keeps."""

    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


def get_state(session: Session, *, person_id: int) -> State | None:
    """The person's current conversation state, if any."""
    row = session.get(ConversationState, person_id)
    if row is None:
        return None
    return State(flow=row.flow, step=row.step, data=json.loads(row.data or "{}"))


def set_state(
    session: Session,
    *,
    person_id: int,
    flow: str,
    step: str,
    clock: Clock,
    data: dict[str, Any] | None = None,
) -> State:
    """Move the person to `flow`/`step`, replacing any earlier state."""
    row = session.get(ConversationState, person_id)
    encoded = json.dumps(data or {}, separators=(",", ":"))
    if row is None:
        row = ConversationState(person_id=person_id, flow=flow, step=step, data=encoded)
    else:
        row.flow, row.step, row.data = flow, step, encoded
    row.updated_at = clock.now()
    session.add(row)
    return State(flow=flow, step=step, data=data or {})


def clear_state(session: Session, *, person_id: int) -> None:
    """End whatever conversation the person was in."""
    row = session.get(ConversationState, person_id)
    if row is not None:
        session.delete(row)
