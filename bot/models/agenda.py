"""Agenda items from partners (issue 17): what a partner asks the board to discuss, who
supports it, and what the facilitator decided."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


class AgendaStatus(StrEnum):
    """Where an item is: a draft only its proposer sees, open to the cohort, then triaged."""

    DRAFT = "draft"
    OPEN = "open"
    ACCEPTED = "accepted"
    MERGED = "merged"
    DECLINED = "declined"
    DONE = "done"
    WITHDRAWN = "withdrawn"


class AgendaItem(SQLModel, table=True):
    """An item a partner proposed for a meeting of their cohort.

    `meeting_id` is the meeting it is for (the next one when proposed; the facilitator's
    choice once accepted). The cohort sees it only once the proposer confirms it."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    proposer_id: int = Field(foreign_key="person.id", index=True)
    title: str = Field(max_length=120)
    why: str | None = Field(default=None)
    why_voice_file_id: str | None = Field(default=None, max_length=200)
    why_voice_duration: int | None = Field(default=None)
    reflection_id: int | None = Field(default=None, foreign_key="reflection.id")
    status: AgendaStatus = _enum(AgendaStatus, default=AgendaStatus.DRAFT)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    merged_into_id: int | None = Field(default=None, foreign_key="agendaitem.id")
    reason: str | None = Field(default=None)  # "not this time": why, as the proposer reads it
    triaged_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = _ts(nullable=False)
    confirmed_at: datetime | None = _ts()
    triaged_at: datetime | None = _ts()
    withdrawn_at: datetime | None = _ts()
    escalated_at: datetime | None = _ts()
    # "Propose it with my pair": the pair asked (co_joined_at None) or joined as co-proposer.
    co_proposer_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    co_joined_at: datetime | None = _ts()


class AgendaSupport(SQLModel, table=True):
    """A partner's support for an item, with an optional comment. /forget removes the
    comment and the name; the support itself stays, anonymous, so counts stay right."""

    __table_args__ = (UniqueConstraint("item_id", "supporter_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agendaitem.id", index=True)
    supporter_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    comment: str | None = Field(default=None)
    created_at: datetime = _ts(nullable=False)
