"""Briefings a partner has read, and questions partners ask their facilitators."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


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
    reminded_at: datetime | None = _ts()
