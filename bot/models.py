"""SQLModel tables: the record of everything that must survive a restart.

Times are stored in UTC (see `UTCDateTime`); each person's own time zone is used only for
planning and display.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, UniqueConstraint
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back as an aware UTC datetime.

    SQLite keeps no time zone, so values are normalised to naive UTC on the way in and
    marked UTC on the way out; PostgreSQL stores timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Normalise to UTC; naive datetimes are refused, they hide bugs."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read back as aware UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware and in UTC (the default for created_at columns)."""
    return datetime.now(UTC)


def _ts(*, nullable: bool = True, **kwargs: Any) -> Any:
    """A UTC timestamp column."""
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, **kwargs)
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, **kwargs)


def _enum(enum: type[StrEnum], **kwargs: Any) -> Any:
    """A StrEnum column stored as its plain value in a VARCHAR (no database enum types)."""
    sa_type = SAEnum(
        enum,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )
    return Field(sa_type=sa_type, **kwargs)


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


class BriefingRead(SQLModel, table=True):
    """A partner tapped "Got it" on a briefing: a read receipt."""

    __table_args__ = (UniqueConstraint("person_id", "briefing_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    briefing_id: str = Field(max_length=64)
    read_at: datetime = _ts(nullable=False)


class QuestionStatus(StrEnum):
    """Where a partner's question stands."""

    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class PartnerQuestion(SQLModel, table=True):
    """A question a partner asked (from a briefing or directly) for their facilitators."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    cohort_id: int | None = Field(default=None, foreign_key="cohort.id", index=True)
    briefing_id: str | None = Field(default=None, max_length=64)
    page: int | None = Field(default=None)
    text: str | None = Field(default=None)
    voice_file_id: str | None = Field(default=None, max_length=200)
    voice_duration: int | None = Field(default=None)
    status: QuestionStatus = _enum(QuestionStatus, default=QuestionStatus.OPEN, index=True)
    asked_at: datetime = _ts(nullable=False)
    answer: str | None = Field(default=None)
    answered_by: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime | None = _ts()


class Sharing(StrEnum):
    """Who may read a reflection."""

    PRIVATE = "private"
    FACILITATORS = "facilitators"
    ANONYMISED = "anonymised"


class ReflectionStatus(StrEnum):
    """Where a reflection stands."""

    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    DISCARDED = "discarded"


class Reflection(SQLModel, table=True):
    """One run through a prompt set (or a free journal entry) by one person."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    prompt_set: str = Field(max_length=40, index=True)
    title: str = Field(max_length=120)
    status: ReflectionStatus = _enum(ReflectionStatus, default=ReflectionStatus.IN_PROGRESS)
    # The question being asked now; None once every question is done (then sharing is asked).
    current_question: str | None = Field(default=None, max_length=32)
    sharing: Sharing | None = _enum(Sharing, default=None, nullable=True)
    wants_contact: bool = Field(default=False)
    meeting_id: int | None = Field(default=None)
    started_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)
    finished_at: datetime | None = _ts()


class Answer(SQLModel, table=True):
    """One answer within a reflection; changing an answer replaces it."""

    __table_args__ = (UniqueConstraint("reflection_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    reflection_id: int = Field(foreign_key="reflection.id", index=True)
    question_id: str = Field(max_length=32)
    position: int = Field(default=0)
    kind: str = Field(max_length=16)
    text: str | None = Field(default=None)
    number: int | None = Field(default=None)
    choices: str | None = Field(default=None, max_length=500)
    voice_file_id: str | None = Field(default=None, max_length=200)
    voice_duration: int | None = Field(default=None)
    skipped: bool = Field(default=False)
    answered_at: datetime = _ts(nullable=False)
