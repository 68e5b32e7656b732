"""Words a partner sent outside any question: kept at once, theirs until they choose."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


class NoteStatus(StrEnum):
    """What the person chose to do with a note (a draft until they choose)."""

    DRAFT = "draft"
    JOURNAL = "journal"
    FACILITATOR = "facilitator"
    PAIR = "pair"


class Note(SQLModel, table=True):
    """Text or a voice note that answered no question: kept so nothing said is lost.

    `at_step` names the conversation step it was typed at ("onboarding.consent") when the
    step wanted a button, so it is never taken as that step's answer."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    text: str | None = Field(default=None)
    voice_file_id: str | None = Field(default=None, max_length=200)
    voice_duration: int | None = Field(default=None)
    at_step: str | None = Field(default=None, max_length=80)
    status: NoteStatus = _enum(NoteStatus, default=NoteStatus.DRAFT)
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)
    filed_at: datetime | None = _ts()
