"""Board meetings, who is coming (RSVPs), each cohort's timetable changes, and private
calendar feeds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


class MeetingStatus(StrEnum):
    """Whether a meeting is still on."""

    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Meeting(SQLModel, table=True):
    """A board or workstream meeting of one cohort; times in UTC, shown in local time."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    title: str = Field(max_length=120)
    starts_at: datetime = _ts(nullable=False, index=True)
    ends_at: datetime = _ts(nullable=False)
    place: str | None = Field(default=None, max_length=200)
    join_url: str | None = Field(default=None, max_length=500)
    papers: str = Field(default="[]", max_length=2000)
    status: MeetingStatus = _enum(MeetingStatus, default=MeetingStatus.SCHEDULED)
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)
    # When its deliveries were last planned; older than updated_at means plan again.
    planned_at: datetime | None = _ts()


class Rsvp(SQLModel, table=True):
    """Whether a person will be at a meeting."""

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    attending: bool
    answered_at: datetime = _ts(nullable=False)


class Attendance(SQLModel, table=True):
    """Whether a person was at a meeting, as a facilitator confirmed it afterwards (issue 18).

    Pre-filled from RSVPs until confirmed; attendance feeds participation, involvement
    payments and each partner's record of contribution.
    """

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    attended: bool
    # Who confirmed it; None once that person has erased their account.
    confirmed_by: int | None = Field(default=None, foreign_key="person.id")
    confirmed_at: datetime = _ts(nullable=False)


class TimetableOverride(SQLModel, table=True):
    """A cohort's change to one default timetable rule (turned off, or a different offset)."""

    __table_args__ = (UniqueConstraint("cohort_id", "purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    purpose: str = Field(max_length=32)
    enabled: bool = Field(default=True)
    offset: str | None = Field(default=None, max_length=16)
    at: str | None = Field(default=None, max_length=5)


class CalendarFeed(SQLModel, table=True):
    """A person's private calendar feed; only a hash of its secret token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = _ts(nullable=False)
