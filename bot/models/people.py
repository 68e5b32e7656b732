"""People, cohorts, invites, consent, conversation state and bookkeeping."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


class Role(StrEnum):
    """What a person does in Tandem; decides which commands they may use."""

    PARTNER = "partner"
    FACILITATOR = "facilitator"
    COORDINATOR = "coordinator"

    @property
    def rank(self) -> int:
        """Higher roles can do everything lower roles can."""
        return {"partner": 0, "facilitator": 1, "coordinator": 2}[self.value]


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
    created_at: datetime = _ts(nullable=False)
    onboarded_at: datetime | None = _ts()
    left_at: datetime | None = _ts()


class Cohort(SQLModel, table=True):
    """A group of partners serving one board or workstream, run by facilitators."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True, index=True)
    programme: str | None = Field(default=None, max_length=120)
    time_zone: str = Field(default="Europe/London", max_length=64)
    hours_per_month: int = Field(default=8)
    meetings_note: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=300)
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


class ConversationState(SQLModel, table=True):
    """Where a person is in a multi-step conversation, so a restart resumes there."""

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    flow: str = Field(max_length=32)
    step: str = Field(max_length=32)
    data: str = Field(default="{}")
    updated_at: datetime = _ts(nullable=False)


class ProcessedUpdate(SQLModel, table=True):
    """Telegram update ids already handled, so a redelivered update is processed once."""

    update_id: int = Field(
        sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    processed_at: datetime = _ts(nullable=False, index=True)


class BotState(SQLModel, table=True):
    """Small facts about the bot kept across restarts (last update id, username)."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=500)


class AuditEvent(SQLModel, table=True):
    """Who viewed, exported, changed or erased what, and when. Holds no personal text."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts(nullable=False, index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id")
    action: str = Field(max_length=64)
    subject_id: int | None = Field(default=None, foreign_key="person.id")
    detail: str | None = Field(default=None, max_length=500)
