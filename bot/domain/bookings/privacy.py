"""One-to-ones in /mydata and /forget.

/forget deletes a partner's bookings (a slot still to come is free again for others; its
host's notices about the partner are erased with every notice naming them) and a host's
slots, with the bookings on them: a partner booked on an upcoming slot is told kindly that
it is cancelled, with a button to book another."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.domain.bookings import telling
from bot.domain.bookings.slots import holder
from bot.domain.clock import Clock
from bot.domain.people import names_of
from bot.models import Booking, BookingSlot, Person, SlotStatus


def erase_bookings(session: Session, person_id: int, clock: Clock) -> None:
    """Delete the person's bookings, and the slots they host with the bookings on them (a
    partner told of the cancellation is not told the erased host's name)."""
    mine = session.exec(select(Booking).where(Booking.person_id == person_id)).all()
    for own in mine:
        telling.cancel_reminders(session, booking_id=own.id or 0, clock=clock)
    session.execute(delete(Booking).where(col(Booking.person_id) == person_id))
    hosted = session.exec(select(BookingSlot).where(BookingSlot.host_id == person_id)).all()
    for slot in hosted:
        booking = holder(session, slot_id=slot.id or 0)
        partner = session.get(Person, booking.person_id) if booking else None
        if booking is not None and partner is not None and slot.status == SlotStatus.OPEN:
            telling.cancel_reminders(session, booking_id=booking.id or 0, clock=clock)
            if slot.starts_at > clock.now():
                telling.tell_partner_cancelled(
                    session, slot=slot, partner=partner, host="", clock=clock
                )
    ids = [s.id or 0 for s in hosted]
    session.execute(delete(Booking).where(col(Booking.slot_id).in_(ids)))
    session.execute(delete(BookingSlot).where(col(BookingSlot.id).in_(ids)))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def bookings_of(session: Session, person: Person) -> list[dict[str, Any]]:
    """A partner's one-to-ones: when, with whom, where, and whether still on."""
    rows = session.exec(
        select(Booking, BookingSlot)
        .join(BookingSlot, col(BookingSlot.id) == col(Booking.slot_id))
        .where(Booking.person_id == person.id)
        .order_by(col(BookingSlot.starts_at))
    ).all()
    hosts = names_of(session, {slot.host_id for _, slot in rows})
    return [
        {
            "starts_at": _iso(slot.starts_at),
            "ends_at": _iso(slot.ends_at),
            "host": hosts.get(slot.host_id, ""),
            "place": slot.place,
            "video_link": slot.join_url,
            "status": booking.status.value,
            "booked_at": _iso(booking.booked_at),
            "cancelled_at": _iso(booking.cancelled_at),
        }
        for booking, slot in rows
    ]


def slots_hosted(session: Session, person: Person) -> list[dict[str, Any]]:
    """A host's slots: when, where, and whether booked (never who, in their own export)."""
    slots = session.exec(
        select(BookingSlot)
        .where(BookingSlot.host_id == person.id)
        .order_by(col(BookingSlot.starts_at))
    ).all()
    return [
        {
            "starts_at": _iso(slot.starts_at),
            "ends_at": _iso(slot.ends_at),
            "place": slot.place,
            "video_link": slot.join_url,
            "status": slot.status.value,
            "booked": holder(session, slot_id=slot.id or 0) is not None,
        }
        for slot in slots
    ]
