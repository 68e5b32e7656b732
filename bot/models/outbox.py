"""The delivery outbox (one row per message that is not an immediate reply) and broadcasts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


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
    # JSON; a notice can carry a partner's words (4,096 characters from Telegram) and more.
    payload: str = Field(default="{}")
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


class BroadcastVersion(SQLModel, table=True):
    """A broadcast's words in another language (issue 19): its readers in that language get
    these instead of the original. At most one per broadcast and language."""

    __table_args__ = (UniqueConstraint("broadcast_id", "language"),)

    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcast.id", index=True)
    language: str = Field(max_length=16)
    text: str
