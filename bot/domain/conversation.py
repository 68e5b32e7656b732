"""Conversation state kept in the database, so a restart resumes at the same step."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from bot.domain.clock import Clock
from bot.domain.sql import insert_for_dialect
from bot.models import ConversationState


@dataclass(frozen=True)
class State:
    """Which flow a person is in, at which step, with any notes the flow keeps."""

    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


# Hot path (every tap): statements are built once and executed with parameters.
_GET_STATE = sa_select(
    col(ConversationState.flow), col(ConversationState.step), col(ConversationState.data)
).where(col(ConversationState.person_id) == bindparam("person_id"))


def get_state(session: Session, *, person_id: int) -> State | None:
    """The person's current conversation state, if any."""
    # Column reads, not ORM objects: set_state writes with a single upsert, so nothing may
    # sit in the session's identity map to go stale.
    row = session.execute(_GET_STATE, {"person_id": person_id}).first()
    if row is None:
        return None
    return State(flow=row[0], step=row[1], data=json.loads(row[2] or "{}"))


@cache
def _set_state_statement(dialect: str) -> Any:
    statement = insert_for_dialect(dialect, ConversationState)
    return statement.on_conflict_do_update(
        index_elements=["person_id"],
        set_={key: statement.excluded[key] for key in ("flow", "step", "data", "updated_at")},
    )


def set_state(
    session: Session,
    *,
    person_id: int,
    flow: str,
    step: str,
    clock: Clock,
    data: dict[str, Any] | None = None,
) -> State:
    """Move the person to `flow`/`step`, replacing any earlier state (one statement)."""
    values = {
        "person_id": person_id,
        "flow": flow,
        "step": step,
        "data": json.dumps(data or {}, separators=(",", ":")),
        "updated_at": clock.now(),
    }
    session.connection().execute(_set_state_statement(session.get_bind().dialect.name), values)
    return State(flow=flow, step=step, data=data or {})


def clear_state(session: Session, *, person_id: int) -> None:
    """End whatever conversation the person was in."""
    session.execute(delete(ConversationState).where(col(ConversationState.person_id) == person_id))
