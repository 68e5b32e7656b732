"""Reflections and their answers, with who may read them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


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
    flagged_at: datetime | None = _ts()
    flagged_by: int | None = Field(default=None, foreign_key="person.id")
    started_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)
    finished_at: datetime | None = _ts(index=True)


class Answer(SQLModel, table=True):
    """One answer within a reflection; changing an answer replaces it."""

    __table_args__ = (
        UniqueConstraint("reflection_id", "question_id"),
        # The dashboard's score filter ("felt an equal partner" at most 2).
        Index("ix_answer_question_number", "question_id", "number"),
    )

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
    # The language the question was asked in, and so the answer given in (issue 19).
    language: str | None = Field(default=None, max_length=16)
