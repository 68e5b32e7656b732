"""Pairs: two partners who support each other between meetings."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.models.base import _ts


class Pair(SQLModel, table=True):
    """Two partners of one cohort who support each other."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    first_id: int = Field(foreign_key="person.id", index=True)
    second_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = _ts(nullable=False)
    ended_at: datetime | None = _ts()
    # Each partner can stop messages relayed from the other (and say why, to a facilitator).
    first_stopped_relay: bool = Field(default=False)
    second_stopped_relay: bool = Field(default=False)
