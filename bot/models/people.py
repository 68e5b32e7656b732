"""People: who they are, their role and status, and the consent they gave."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


class Role(StrEnum):
    """What a person does in Tandem; decides which commands they may use."""

    PARTNER = "partner"
    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"
    # Issue 17: a clinician or manager on the board; hears the partners' voice, anonymised.
    BOARD = "board"

    @property
    def rank(self) -> int:
        """Higher roles can do everything lower roles can (a board member outranks nobody)."""
        return {"partner": 0, "board": 0, "facilitator": 1, "coordinator": 2}[self.value]


class PersonStatus(StrEnum):
    """Where a person is in their life with Tandem."""

    ONBOARDING = "onboarding"
    ACTIVE = "active"
    LEFT = "left"
    ERASED = "erased"


class Person(SQLModel, table=True):
    """Someone who joined through an invite. Erasure blanks every identifying field."""

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int | None = Field(
        default=None, sa_type=BigInteger, unique=True, index=True, nullable=True
    )
    chat_id: int | None = Field(default=None, sa_type=BigInteger, nullable=True)
    preferred_name: str | None = Field(default=None, max_length=64)
    role: Role = _enum(Role, default=Role.PARTNER)
    time_zone: str = Field(default="Europe/London", max_length=64)
    # Quiet hours as minutes after local midnight; both None means no quiet hours.
    quiet_start: int | None = Field(default=21 * 60)
    quiet_end: int | None = Field(default=8 * 60)
    status: PersonStatus = _enum(PersonStatus, default=PersonStatus.ONBOARDING, index=True)
    paused_at: datetime | None = _ts()
    paused_until: datetime | None = _ts()
    unreachable_since: datetime | None = _ts()
    unreachable_reason: str | None = Field(default=None, max_length=200)
    commands_version: int = Field(default=0)
    # When the person last wrote or tapped (kept to the hour), and whether their pair may be
    # nudged to check in with them after a silence.
    last_seen_at: datetime | None = _ts()
    buddy_nudges: bool = Field(default=True)
    # The language they read in (issue 19): chosen, or taken from Telegram on arrival; None
    # until then (their cohort's language, else English).
    language: str | None = Field(default=None, max_length=16)
    created_at: datetime = _ts(nullable=False)
    onboarded_at: datetime | None = _ts()
    left_at: datetime | None = _ts()


class ConsentKind(StrEnum):
    """What a consent record is about."""

    EXPECTATIONS = "expectations"
    REFLECTIONS = "reflections"


class ConsentRecord(SQLModel, table=True):
    """What a person agreed to (the exact statement they saw), when, and when withdrawn."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: ConsentKind = _enum(ConsentKind)
    version: str = Field(max_length=16)
    statement: str
    granted: bool
    decided_at: datetime = _ts(nullable=False)
    withdrawn_at: datetime | None = _ts()
