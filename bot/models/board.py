"""Board members (issue 17): the role label they chose, what they learned from lay partners
after each meeting, and partners' reactions to it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


class BoardLabel(StrEnum):
    """How a board member is named to partners: by role only, never by name."""

    CLINICIAN = "clinician"
    MANAGER = "manager"
    OTHER = "other"


class BoardMember(SQLModel, table=True):
    """A board member's chosen role label (one per person)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True, index=True)
    label: BoardLabel = _enum(BoardLabel, default=BoardLabel.OTHER)
    chosen_at: datetime = _ts(nullable=False)


class LearningStatus(StrEnum):
    """Where a learning stands: being written, shared with partners, kept back, or dropped."""

    DRAFT = "draft"
    SHARED = "shared"
    HELD = "held"  # safeguarding words in it: not sent to partners
    DROPPED = "dropped"


class BoardLearning(SQLModel, table=True):
    """What a board member learned from lay partners at one meeting, and will do differently."""

    __table_args__ = (UniqueConstraint("person_id", "meeting_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    label: BoardLabel = _enum(BoardLabel, default=BoardLabel.OTHER)
    learned: str | None = Field(default=None)
    learned_voice_file_id: str | None = Field(default=None, max_length=200)
    differently: str | None = Field(default=None)
    differently_voice_file_id: str | None = Field(default=None, max_length=200)
    status: LearningStatus = _enum(LearningStatus, default=LearningStatus.DRAFT)
    created_at: datetime = _ts(nullable=False)
    shared_at: datetime | None = _ts()


class ReactionKind(StrEnum):
    """A partner's answer to a learning."""

    HELPS = "helps"
    TALK = "talk"  # "I'd like to talk about this": reaches the facilitator


class LearningReaction(SQLModel, table=True):
    """One partner's reaction to one learning (each kind once)."""

    __table_args__ = (UniqueConstraint("learning_id", "person_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    learning_id: int = Field(foreign_key="boardlearning.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: ReactionKind = _enum(ReactionKind)
    reacted_at: datetime = _ts(nullable=False)
