"""One-to-one briefings (issue 18): slots a host publishes, and the partners who book them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


class SlotStatus(StrEnum):
    """Whether a slot is still offered."""

    OPEN = "open"
    CANCELLED = "cancelled"


class BookingSlot(SQLModel, table=True):
    """A time a host (a facilitator or coordinator; later a champion) offers for a one-to-one
    briefing with one partner of a cohort; a place or a video link. Times in UTC."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    host_id: int = Field(foreign_key="person.id", index=True)
    starts_at: datetime = _ts(nullable=False, index=True)
    ends_at: datetime = _ts(nullable=False)
    place: str | None = Field(default=None, max_length=200)
    join_url: str | None = Field(default=None, max_length=500)
    status: SlotStatus = _enum(SlotStatus, default=SlotStatus.OPEN)
    created_at: datetime = _ts(nullable=False)
    cancelled_at: datetime | None = _ts()


class BookingStatus(StrEnum):
    """Whether a booking still holds its slot."""

    BOOKED = "booked"
    CANCELLED = "cancelled"


class Booking(SQLModel, table=True):
    """A partner's booking of one slot. Moving it points it at another slot.

    `held_slot_id` is the slot while the booking holds it, and NULL once cancelled: it is
    unique, so the database itself refuses a second partner the same slot, however close
    together two taps arrive (NULLs never clash, on SQLite or PostgreSQL).
    """

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(foreign_key="bookingslot.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    held_slot_id: int | None = Field(default=None, foreign_key="bookingslot.id", unique=True)
    status: BookingStatus = _enum(BookingStatus, default=BookingStatus.BOOKED)
    booked_at: datetime = _ts(nullable=False)
    cancelled_at: datetime | None = _ts()
