"""Meetings and the delivery outbox: everything sent that is not an immediate reply."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index, UniqueConstraint
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


class DeliveryStatus(StrEnum):
    """Where an outgoing message stands in the outbox."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    SKIPPED = "skipped"


class Delivery(SQLModel, table=True):
    """One message for one person in the outbox: planned, due, sent (or why not).

    `dedupe_key` makes planning idempotent; `planned_for` is the time the plan asked for and
    `due_at` the time it will actually go (later when quiet hours or a pause defer it).
    """

    id: int | None = Field(default=None, primary_key=True)
    __table_args__ = (Index("ix_delivery_status_due", "status", "due_at"),)

    dedupe_key: str = Field(max_length=160, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    purpose: str = Field(max_length=32)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    broadcast_id: int | None = Field(default=None, index=True)
    payload: str = Field(default="{}", max_length=4000)
    priority: int = Field(default=5)
    status: DeliveryStatus = _enum(DeliveryStatus, default=DeliveryStatus.PENDING)
    planned_for: datetime = _ts(nullable=False)
    due_at: datetime = _ts(nullable=False)
    expires_at: datetime | None = _ts()
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=300)
    lease_until: datetime | None = _ts()
    leased_by: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = _ts()
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)


class Rsvp(SQLModel, table=True):
    """Whether a person will be at a meeting."""

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    attending: bool
    answered_at: datetime = _ts(nullable=False)


class TimetableOverride(SQLModel, table=True):
    """A cohort's change to one default timetable rule (turned off, or a different offset)."""

    __table_args__ = (UniqueConstraint("cohort_id", "purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    purpose: str = Field(max_length=32)
    enabled: bool = Field(default=True)
    offset: str | None = Field(default=None, max_length=16)
    at: str | None = Field(default=None, max_length=5)


class Broadcast(SQLModel, table=True):
    """A message written by a facilitator or coordinator for many people at once."""

    id: int | None = Field(default=None, primary_key=True)
    author_id: int | None = Field(default=None, foreign_key="person.id")
    text: str
    audience: str = Field(default="", max_length=200)
    created_at: datetime = _ts(nullable=False)
    send_at: datetime = _ts(nullable=False)
    edited_at: datetime | None = _ts()
    withdrawn_at: datetime | None = _ts()


class CalendarFeed(SQLModel, table=True):
    """A person's private calendar feed; only a hash of its secret token is stored."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = _ts(nullable=False)
