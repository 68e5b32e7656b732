"""Hosts' side of one-to-one briefings: publish a slot (a day, a time, a length, and a
place or a video link), see their slots and who booked them, cancel a slot (its partner
is told kindly, with a button to book another)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from bot.domain.bookings import telling
from bot.domain.bookings.booking import release
from bot.domain.bookings.slots import SlotView, holder, may_host, slot_of, views
from bot.domain.clock import Clock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.meetings import place_or_link
from bot.domain.people import get_person
from bot.library.timetable import local_to_utc
from bot.models import BookingSlot, Cohort, SlotStatus

LENGTHS = (30, 45, 60)  # minutes a chat host chooses from (the dashboard takes 15 to 120)
SHORTEST, LONGEST = 15, 120
DAYS_AHEAD = 14  # days a chat host chooses from
HOURS = tuple(range(9, 20))  # start times offered in chat, on the hour, host's local time
EARLIEST_NOTICE = timedelta(hours=2)  # a slot published for sooner could not be booked


def require_host(session: Session, *, person_id: int, cohort_id: int) -> Cohort:
    """The cohort, if this person may host for it; another cohort is not found."""
    if not may_host(session, person_id=person_id, cohort_id=cohort_id):
        raise NotFound("bookings.not_yours")
    cohort = session.get(Cohort, cohort_id)
    assert cohort is not None
    return cohort


def days_for(*, zone: str, now: datetime) -> list[date]:
    """The days a host may choose in chat: today and the next two weeks, in their zone."""
    from zoneinfo import ZoneInfo

    today = now.astimezone(ZoneInfo(zone)).date()
    return [today + timedelta(days=n) for n in range(DAYS_AHEAD + 1)]


def publish(
    session: Session,
    *,
    host_id: int,
    cohort_id: int,
    day: date,
    at: time,
    minutes: int,
    where: str,
    clock: Clock,
) -> BookingSlot:
    """A new slot for the cohort, at a local day and time in the host's own time zone."""
    require_host(session, person_id=host_id, cohort_id=cohort_id)
    host = get_person(session, person_id=host_id)
    if not SHORTEST <= minutes <= LONGEST:
        raise InvalidInput("bookings.bad_length", shortest=SHORTEST, longest=LONGEST)
    starts_at = local_to_utc(day, at, host.time_zone)
    if starts_at < clock.now() + EARLIEST_NOTICE:
        raise InvalidInput("bookings.too_soon")
    if not where.strip():
        raise InvalidInput("bookings.no_place")
    place, link = place_or_link(where)
    ends_at = starts_at + timedelta(minutes=minutes)
    clash = session.exec(
        select(BookingSlot.id).where(
            BookingSlot.host_id == host_id,
            BookingSlot.status == SlotStatus.OPEN,
            col(BookingSlot.starts_at) < ends_at,
            col(BookingSlot.ends_at) > starts_at,
        )
    ).first()
    if clash is not None:
        raise Conflict("bookings.clash")
    slot = BookingSlot(
        cohort_id=cohort_id,
        host_id=host_id,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        join_url=link,
        created_at=clock.now(),
    )
    session.add(slot)
    session.flush()
    return slot


def hosted(session: Session, *, host_id: int, clock: Clock) -> list[SlotView]:
    """A host's open slots still to come, soonest first, with who booked each."""
    slots = session.exec(
        select(BookingSlot)
        .where(
            BookingSlot.host_id == host_id,
            BookingSlot.status == SlotStatus.OPEN,
            col(BookingSlot.ends_at) > clock.now(),
        )
        .order_by(col(BookingSlot.starts_at), col(BookingSlot.id))
    ).all()
    return views(session, list(slots))


def managed(session: Session, *, viewer_id: int, slot_id: int) -> SlotView:
    """A slot the viewer may cancel (they may host for its cohort); others are not found."""
    slot = slot_of(session, slot_id=slot_id)
    require_host(session, person_id=viewer_id, cohort_id=slot.cohort_id)
    return views(session, [slot])[0]


@dataclass(frozen=True)
class Cancelled:
    """A cancelled slot, and whether a partner who had booked it was told."""

    slot: SlotView
    partner_told: bool


def cancel_slot(session: Session, *, viewer_id: int, slot_id: int, clock: Clock) -> Cancelled:
    """Cancel a slot; a partner who booked it is told kindly, with a button to book another."""
    view = managed(session, viewer_id=viewer_id, slot_id=slot_id)
    slot = view.slot
    if slot.status == SlotStatus.CANCELLED:
        return Cancelled(view, partner_told=False)
    slot.status, slot.cancelled_at = SlotStatus.CANCELLED, clock.now()
    session.add(slot)
    booking = holder(session, slot_id=slot_id)
    if booking is None:
        return Cancelled(view, partner_told=False)
    release(session, booking=booking, clock=clock)
    partner = get_person(session, person_id=booking.person_id)
    if slot.starts_at > clock.now():
        telling.tell_partner_cancelled(
            session, slot=slot, partner=partner, host=view.host, clock=clock
        )
    return Cancelled(view, partner_told=slot.starts_at > clock.now())


@dataclass(frozen=True)
class Step:
    """Where a host is in adding a time: the cohort, and the day chosen (if yet)."""

    cohort: Cohort
    zone: str
    days: list[date]
    day: date | None = None


def step(
    session: Session, *, host_id: int, cohort_id: int, day: int = 0, minute: int = 0, clock: Clock
) -> Step:
    """Check a step of adding a time in chat: a cohort the host may host for, one of the
    days offered, a start on the hour within the day."""
    cohort = require_host(session, person_id=host_id, cohort_id=cohort_id)
    zone = get_person(session, person_id=host_id).time_zone
    days = days_for(zone=zone, now=clock.now())
    chosen = None
    if day:
        chosen = next((d for d in days if d.toordinal() == day), None)
        if chosen is None or not 0 <= minute < 24 * 60:
            raise InvalidInput("bookings.day_gone")
    return Step(cohort, zone, days, chosen)
