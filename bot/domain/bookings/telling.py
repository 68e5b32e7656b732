"""What a booking tells people, through the outbox: the partner's reminders (a day before
and an hour before, at their own local time), the host's notices of each booking, move and
cancellation, and the partner's notice when a host cancels a slot.

Reminder rows carry the booking in their dedupe key (`book<booking>:<slot>:...`), so a move
or a cancellation cancels exactly its pending reminders; quiet hours are honoured when the
outbox sends them (a reminder is held to the end of the quiet hours, and expires when the
one-to-one begins)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col

from bot.domain import outbox
from bot.domain.clock import Clock
from bot.domain.notices import notify
from bot.domain.people import name_of
from bot.domain.when import local_time_label
from bot.library.timetable import local_to_utc
from bot.models import Booking, BookingSlot, Delivery, DeliveryStatus, Person

HOST_LIST = (("bookings.buttons.my_slots", "bookings.host", ()),)
PARTNER_CARD = (("bookings.buttons.my_booking", "bookings.list", ()),)


def reminder_prefix(booking_id: int) -> str:
    """How the outbox keys of a booking's reminders begin."""
    return f"book{booking_id}:"


def where_of(slot: BookingSlot) -> str:
    """Where a one-to-one is: its place, or its video link."""
    return slot.place or slot.join_url or ""


def when_for(slot: BookingSlot, person: Person, now: datetime) -> str:
    """When a slot starts, in this person's own time zone."""
    return local_time_label(slot.starts_at, person.time_zone, now=now)


def reminder_times(slot: BookingSlot, zone: str) -> list[tuple[str, datetime]]:
    """(which, when) for a slot's reminders: the same local time the day before (right
    across a change of the clocks), and an hour before."""
    local = slot.starts_at.astimezone(ZoneInfo(zone))
    day_before = local_to_utc(local.date() - timedelta(days=1), local.time(), zone)
    return [("day", day_before), ("hour", slot.starts_at - timedelta(hours=1))]


def plan_reminders(
    session: Session,
    *,
    booking: Booking,
    slot: BookingSlot,
    partner: Person,
    host: str,
    clock: Clock,
) -> int:
    """Queue the partner's reminders of a booking (those not already past)."""
    now = clock.now()
    rows = []
    for which, due in reminder_times(slot, partner.time_zone):
        if due <= now:
            continue
        params = {
            "when": when_for(slot, partner, now),
            "host": host,
            "where": where_of(slot),
            "online": slot.join_url is not None,
        }
        payload = {
            "key": f"bookings.reminder_{which}",
            "params": params,
            "buttons": [[[label, action, list(values)] for label, action, values in PARTNER_CARD]],
        }
        rows.append(
            outbox.new_row(
                key=f"{reminder_prefix(booking.id or 0)}{slot.id}:{which}:p{partner.id}",
                person_id=partner.id or 0,
                purpose="notice",
                due=due,
                now=now,
                expires=slot.starts_at,
                payload=payload,
                priority=outbox.NOTICE_PRIORITY,
            )
        )
    return outbox.write(session, rows)


def cancel_reminders(session: Session, *, booking_id: int, clock: Clock) -> int:
    """Cancel a booking's reminders still waiting (after a move or a cancellation)."""
    result = session.execute(
        update(Delivery)
        .where(
            col(Delivery.status) == DeliveryStatus.PENDING,
            col(Delivery.dedupe_key).startswith(reminder_prefix(booking_id)),
        )
        .values(
            status=DeliveryStatus.CANCELLED, last_error="booking changed", updated_at=clock.now()
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def tell_host(
    session: Session,
    *,
    key: str,
    slot: BookingSlot,
    partner: Person,
    clock: Clock,
    old: BookingSlot | None = None,
) -> int:
    """Tell a slot's host that a partner booked it, moved to or from it, or cancelled."""
    host = session.get(Person, slot.host_id)
    if host is None:
        return 0
    now = clock.now()
    params = {
        "name": name_of(partner),
        "when": when_for(slot, host, now),
        "old": when_for(old, host, now) if old is not None else "",
    }
    return notify(
        session,
        person_ids=[host.id or 0],
        key=key,
        clock=clock,
        params=params,
        buttons=[HOST_LIST],
        about=partner.id,
    )


def tell_partner_cancelled(
    session: Session, *, slot: BookingSlot, partner: Person, host: str, clock: Clock
) -> int:
    """Kindly tell a partner that the host cancelled their one-to-one, with a button to
    book another."""
    return notify(
        session,
        person_ids=[partner.id or 0],
        key="bookings.told_slot_cancelled",
        clock=clock,
        params={"when": when_for(slot, partner, clock.now()), "host": host},
        buttons=[(("bookings.buttons.book_another", "bookings.list", ()),)],
    )
