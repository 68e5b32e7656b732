"""Changes a person made to their own account, so their copy of their data (/mydata) can show
what they changed and when (issue 15, point 7)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.models.base import _ts


class AccountChange(SQLModel, table=True):
    """One change: a pause, a new time zone, a consent decision... with the value before and
    after as short plain text ("" when there was none)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    at: datetime = _ts(nullable=False)
    # One of bot.domain.changes.ChangeKind; plain text, so a new kind needs no migration.
    kind: str = Field(max_length=24)
    old: str = Field(max_length=200)
    new: str = Field(max_length=200)
    # What it was about, when the kind alone does not say: a reflection's title.
    about: str = Field(default="", max_length=120)
