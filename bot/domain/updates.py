"""Telegram update bookkeeping: each update is processed once, even when redelivered."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.domain.sql import insert_for_dialect
from bot.models import BotState, ProcessedUpdate


@cache
def _claim_statement(dialect: str) -> Any:
    return (
        insert_for_dialect(dialect, ProcessedUpdate)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(col(ProcessedUpdate.update_id))
    )


def claim_update(session: Session, *, update_id: int, clock: Clock) -> bool:
    """Record `update_id` as processed; False if it already was (a replay)."""
    # One statement on the hot path: insert, or do nothing if the id is already there.
    # RETURNING says whether a row went in (rowcount is not reliable across drivers here).
    inserted = session.connection().execute(
        _claim_statement(session.get_bind().dialect.name),
        {"update_id": update_id, "processed_at": clock.now()},
    )
    return inserted.first() is not None


def last_update_id(session: Session) -> int | None:
    """The highest update id processed so far."""
    newest: int | None = session.exec(select(func.max(ProcessedUpdate.update_id))).one()
    return newest


def prune_processed(session: Session, *, before: datetime) -> int:
    """Forget processed ids older than `before` but always keep the newest one."""
    newest = last_update_id(session)
    statement = delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before)
    if newest is not None:
        statement = statement.where(col(ProcessedUpdate.update_id) != newest)
    result = session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


def get_fact(session: Session, *, key: str) -> str | None:
    """A small stored fact about the bot (for example its username)."""
    row = session.get(BotState, key)
    return row.value if row else None


def set_fact(session: Session, *, key: str, value: str) -> None:
    """Store a small fact about the bot."""
    row = session.get(BotState, key) or BotState(key=key, value=value)
    row.value = value
    session.add(row)
