"""The audit log: who viewed, exported or changed what (never anyone's words)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.models.base import _ts


class AuditEvent(SQLModel, table=True):
    """Who viewed, exported, changed or erased what, and when. Holds no personal text."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts(nullable=False, index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(max_length=64)
    subject_id: int | None = Field(default=None, foreign_key="person.id")
    detail: str | None = Field(default=None, max_length=500)
