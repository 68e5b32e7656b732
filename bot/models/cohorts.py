"""Cohorts (a board's group of lay partners), who belongs to them, and invites to join."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts
from bot.models.people import Role


class Cohort(SQLModel, table=True):
    """A group of partners serving one board or workstream, run by facilitators."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True, index=True)
    programme: str | None = Field(default=None, max_length=120)
    time_zone: str = Field(default="Europe/London", max_length=64)
    hours_per_month: int = Field(default=8)
    meetings_note: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=300)
    # The language its people read in until they choose their own (issue 19); None: English.
    language: str | None = Field(default=None, max_length=16)
    created_at: datetime = _ts(nullable=False)


class Membership(SQLModel, table=True):
    """A person's place in a cohort, with the role they hold there."""

    __table_args__ = (UniqueConstraint("person_id", "cohort_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    role: Role = _enum(Role)
    joined_at: datetime = _ts(nullable=False)
    left_at: datetime | None = _ts()


class Invite(SQLModel, table=True):
    """An invite code. Only a hash of the code is stored, so a copy of the database
    cannot be used to join."""

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True, index=True)
    role: Role = _enum(Role)
    cohort_id: int | None = Field(default=None, foreign_key="cohort.id")
    max_uses: int = Field(default=1)
    uses: int = Field(default=0)
    expires_at: datetime = _ts(nullable=False)
    created_at: datetime = _ts(nullable=False)
    created_by: int | None = Field(default=None, foreign_key="person.id")
    revoked_at: datetime | None = _ts()
    # The language the person joining reads in, when the facilitator knows it (issue 19).
    language: str | None = Field(default=None, max_length=16)
