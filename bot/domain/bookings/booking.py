"""Partners' side of one-to-one briefings: the free times of their cohort, book one, move
it, cancel it, and its calendar file. A partner holds at most one booking still to come.

Two partners can never hold one slot: `Booking.held_slot_id` is unique, so when two taps
race for the same slot the database refuses the second; its partner is told the time was
just taken and offered the others (`Booked.taken`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.domain.bookings import telling
from bot.domain.bookings.slots import (
    BOOKABLE_UNTIL,
    SlotView,
    booked,
    free_slots,
    holder,
    may_host,
    slot_of,
    views,
)
from bot.domain.calendar import event_ics
from bot.domain.clock import Clock
from bot.domain.errors import Conflict, NotFound
from bot.domain.people import cohorts_of, get_person
from bot.models import Booking, BookingSlot, BookingStatus, Role, SlotStatus


def partner_cohort(session: Session, *, person_id: int) -> int:
    """The cohort whose one-to-ones a partner books (their first)."""
    places = [p for p in cohorts_of(session, person_id=person_id) if p.role == Role.PARTNER]
    if not places:
        raise NotFound("bookings.no_cohort")
    return places[0].cohort.id or 0


@dataclass(frozen=True)
class PartnerView:
    """A partner's /book: their booking still to come (with its slot), or the free times."""

    held: SlotView | None
    free: list[SlotView] = field(default_factory=list)
    hosts: bool = False  # a champion, who also hosts one-to-ones for their group


def partner_view(session: Session, *, person_id: int, clock: Clock) -> PartnerView:
    """What a partner sees in /book."""
    cohort_id = partner_cohort(session, person_id=person_id)
    now = clock.now()
    hosts = may_host(session, person_id=person_id, cohort_id=cohort_id)
    mine = booked(session, person_id=person_id, now=now)
    if mine is not None:
        held = views(session, [slot_of(session, slot_id=mine.slot_id)])[0]
        return PartnerView(held, hosts=hosts)
    free = free_slots(session, cohort_id=cohort_id, now=now)
    # A champion's own times are for others to book.
    return PartnerView(None, [v for v in free if v.slot.host_id != person_id], hosts=hosts)


def _bookable(session: Session, person_id: int, slot_id: int, clock: Clock) -> BookingSlot:
    """A slot of the partner's cohort still offered (another cohort's is not found)."""
    slot = session.get(BookingSlot, slot_id)
    if (
        slot is None
        or slot.cohort_id != partner_cohort(session, person_id=person_id)
        or slot.host_id == person_id  # a champion's own time
    ):
        raise NotFound("bookings.slot_not_found")
    if slot.status != SlotStatus.OPEN or slot.starts_at <= clock.now() + BOOKABLE_UNTIL:
        raise Conflict("bookings.slot_gone")
    return slot


@dataclass(frozen=True)
class Offer:
    """A free slot a partner tapped, before they confirm; `moving` is the booking it would
    replace."""

    slot: SlotView
    moving: Booking | None


def offered(session: Session, *, person_id: int, slot_id: int, clock: Clock) -> Offer:
    """A slot the partner may book (or move to), to confirm."""
    slot = _bookable(session, person_id, slot_id, clock)
    mine = booked(session, person_id=person_id, now=clock.now())
    taken = holder(session, slot_id=slot_id)
    if taken is not None and (mine is None or taken.id != mine.id):
        raise Conflict("bookings.taken_already")
    return Offer(views(session, [slot])[0], mine)


@dataclass(frozen=True)
class Booked:
    """A booking made or moved, or (`taken`) the slot went to someone else a moment before:
    then `free` holds the times still open."""

    booking: Booking | None
    slot: SlotView | None
    taken: bool = False
    free: list[SlotView] = field(default_factory=list)


def _taken(session: Session, slot: BookingSlot, clock: Clock) -> Booked:
    return Booked(None, None, True, free_slots(session, cohort_id=slot.cohort_id, now=clock.now()))


def book(session: Session, *, person_id: int, slot_id: int, clock: Clock) -> Booked:
    """Book a free slot: reminders are queued and the host is told. A partner with a
    booking still to come is asked to move or cancel it instead."""
    slot = _bookable(session, person_id, slot_id, clock)
    if booked(session, person_id=person_id, now=clock.now()) is not None:
        raise Conflict("bookings.one_at_a_time")
    if holder(session, slot_id=slot_id) is not None:
        return _taken(session, slot, clock)
    booking = Booking(
        slot_id=slot_id, person_id=person_id, held_slot_id=slot_id, booked_at=clock.now()
    )
    try:
        with session.begin_nested():  # the unique slot: a racing booking loses here
            session.add(booking)
            session.flush()
    except IntegrityError:
        return _taken(session, slot, clock)
    _told(session, booking, slot, clock, "bookings.told_booked")
    return Booked(booking, views(session, [slot])[0])


def _told(
    session: Session,
    booking: Booking,
    slot: BookingSlot,
    clock: Clock,
    key: str,
    old: BookingSlot | None = None,
) -> None:
    """Reminders for the partner, and a notice for the host."""
    partner = get_person(session, person_id=booking.person_id)
    host = views(session, [slot])[0].host
    telling.plan_reminders(
        session, booking=booking, slot=slot, partner=partner, host=host, clock=clock
    )
    telling.tell_host(session, key=key, slot=slot, partner=partner, clock=clock, old=old)


def own_booking(session: Session, *, person_id: int, booking_id: int, clock: Clock) -> Booking:
    """The partner's own booking still to come (anyone else's is not found)."""
    booking = session.get(Booking, booking_id)
    mine = booked(session, person_id=person_id, now=clock.now())
    if booking is None or mine is None or booking.id != mine.id:
        raise NotFound("bookings.booking_not_found")
    return booking


def move(
    session: Session, *, person_id: int, booking_id: int, slot_id: int, clock: Clock
) -> Booked:
    """Move a booking to another free slot; old reminders go, new ones come, hosts told."""
    booking = own_booking(session, person_id=person_id, booking_id=booking_id, clock=clock)
    slot = _bookable(session, person_id, slot_id, clock)
    old = slot_of(session, slot_id=booking.slot_id)
    if old.id == slot.id:
        return Booked(booking, views(session, [slot])[0])
    if holder(session, slot_id=slot_id) is not None:
        return _taken(session, slot, clock)
    try:
        with session.begin_nested():
            booking.slot_id = booking.held_slot_id = slot_id
            session.add(booking)
            session.flush()
    except IntegrityError:
        session.refresh(booking)
        return _taken(session, slot, clock)
    telling.cancel_reminders(session, booking_id=booking_id, clock=clock)
    if old.host_id != slot.host_id:
        partner = get_person(session, person_id=person_id)
        telling.tell_host(
            session, key="bookings.told_cancelled", slot=old, partner=partner, clock=clock
        )
        _told(session, booking, slot, clock, "bookings.told_booked")
    else:
        _told(session, booking, slot, clock, "bookings.told_moved", old=old)
    return Booked(booking, views(session, [slot])[0])


def cancel(session: Session, *, person_id: int, booking_id: int, clock: Clock) -> Booked:
    """Cancel the partner's booking: the slot is free again, reminders go, the host is told."""
    booking = own_booking(session, person_id=person_id, booking_id=booking_id, clock=clock)
    slot = slot_of(session, slot_id=booking.slot_id)
    release(session, booking=booking, clock=clock)
    partner = get_person(session, person_id=person_id)
    telling.tell_host(
        session, key="bookings.told_cancelled", slot=slot, partner=partner, clock=clock
    )
    return Booked(booking, views(session, [slot])[0])


def give_up(session: Session, *, person_id: int, clock: Clock) -> bool:
    """A partner leaving Tandem gives up their booking still to come: the time is free for
    others and the host is told (False: they had none)."""
    mine = booked(session, person_id=person_id, now=clock.now())
    if mine is None:
        return False
    cancel(session, person_id=person_id, booking_id=mine.id or 0, clock=clock)
    return True


def move_choices(
    session: Session, *, person_id: int, booking_id: int, clock: Clock
) -> tuple[SlotView, list[SlotView]]:
    """The partner's booking, and the free times it could move to."""
    booking = own_booking(session, person_id=person_id, booking_id=booking_id, clock=clock)
    slot = slot_of(session, slot_id=booking.slot_id)
    view = views(session, [slot])[0]
    return view, free_slots(session, cohort_id=slot.cohort_id, now=clock.now())


def release(session: Session, *, booking: Booking, clock: Clock) -> None:
    """A booking no longer holds its slot, and its reminders are cancelled."""
    booking.status = BookingStatus.CANCELLED
    booking.held_slot_id = None
    booking.cancelled_at = clock.now()
    session.add(booking)
    session.flush()
    telling.cancel_reminders(session, booking_id=booking.id or 0, clock=clock)


def looked_at(session: Session, *, person_id: int, booking_id: int, clock: Clock) -> SlotView:
    """The partner's own booking with its slot (to move or cancel it)."""
    booking = own_booking(session, person_id=person_id, booking_id=booking_id, clock=clock)
    return views(session, [slot_of(session, slot_id=booking.slot_id)])[0]


def booking_file(
    session: Session, *, person_id: int, booking_id: int, clock: Clock, title: str
) -> bytes:
    """The partner's booking as an .ics file (the same event across moves: its uid stays)."""
    booking = session.get(Booking, booking_id)
    if booking is None or booking.person_id != person_id:
        raise NotFound("bookings.booking_not_found")
    return ics_of(booking, slot_of(session, slot_id=booking.slot_id), clock=clock, title=title)


def ics_of(booking: Booking, slot: BookingSlot, *, clock: Clock, title: str) -> bytes:
    """A booking as a calendar event; a cancelled one says so, so calendars drop it."""
    return event_ics(
        uid=f"tandem-booking-{booking.id}@tandem",
        title=title,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        place=slot.place,
        link=slot.join_url,
        clock=clock,
        cancelled=booking.status == BookingStatus.CANCELLED,
        sequence=int(clock.now().timestamp()) % 2**31,
    )
