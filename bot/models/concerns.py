"""Safeguarding concerns: an alert raised about a partner, and who acknowledged it and when
(never the words that raised it)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.models.base import _ts


class Concern(SQLModel, table=True):
    """One safeguarding alert: about whom, what kind of concern, and what staff did."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    category: str = Field(max_length=32)
    private: bool = Field(default=False)  # raised by a private entry: the alert had no words
    raised_at: datetime = _ts(nullable=False)
    acknowledged_at: datetime | None = _ts()
    acknowledged_by: int | None = Field(default=None, foreign_key="person.id")
    contacted_at: datetime | None = _ts()  # someone said they have contacted the partner
    escalated_at: datetime | None = _ts()  # sent to the coordinators again, unacknowledged
    # The partner's answer to their signpost: "I'm safe now", or "Please contact me".
    safe_at: datetime | None = _ts()
    contact_asked_at: datetime | None = _ts()
    contact_escalated_at: datetime | None = _ts()  # nobody contacted them: coordinators again
