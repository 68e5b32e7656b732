"""The slots of one-to-one briefings: who may host, reading slots, and a slot as people read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.domain.champions.status import is_champion
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.people import names_of
from bot.models import (
    Booking,
    BookingSlot,
    BookingStatus,
    Cohort,
    Membership,
    Person,
    PersonStatus,
    Role,
    SlotStatus,
)

# A slot is offered until this long before it starts: nobody is booked in with no warning.
BOOKABLE_UNTIL = timedelta(hours=1)
SHOWN_FREE = 6  # free times offered as buttons at once (a keyboard stays short)


def may_host(session: Session, *, person_id: int, cohort_id: int) -> bool:
    """Whether this person may host one-to-one briefings for this cohort (and so publish,
    see and cancel its slots): its facilitators, its champions (experienced partners who
    accepted the role, issue 18 part 3), and coordinators for every cohort.

    The one place this rule lives, so every caller (chat, dashboard, domain) follows."""
    person = session.get(Person, person_id)
    if person is None or person.status != PersonStatus.ACTIVE:
        return False
    if session.get(Cohort, cohort_id) is None:
        return False
    if person.role == Role.COORDINATOR:
        return True
    if person.role == Role.PARTNER:
        return is_champion(session, person_id=person_id, cohort_id=cohort_id)
    if person.role != Role.FACILITATOR:
        return False
    runs = session.exec(
        select(Membership.id).where(
            Membership.person_id == person_id,
            Membership.cohort_id == cohort_id,
            Membership.role == Role.FACILITATOR,
            col(Membership.left_at).is_(None),
        )
    ).first()
    return runs is not None


def hostable_cohorts(session: Session, *, person_id: int) -> list[Cohort]:
    """The cohorts this person may host one-to-ones for, by name."""
    cohorts = session.exec(select(Cohort).order_by(col(Cohort.name))).all()
    return [c for c in cohorts if may_host(session, person_id=person_id, cohort_id=c.id or 0)]


def require_hosting(session: Session, *, person_id: int) -> list[Cohort]:
    """The cohorts a partner hosts for as a champion; NotAllowed for any other partner."""
    cohorts = hostable_cohorts(session, person_id=person_id)
    if not cohorts:
        raise NotAllowed("bookings.not_a_host")
    return cohorts


@dataclass(frozen=True)
class SlotView:
    """A slot with its host's name and, when booked, its booking and partner's name."""

    slot: BookingSlot
    host: str
    booking: Booking | None = None
    partner: str = ""

    @property
    def minutes(self) -> int:
        """How long it is."""
        return int((self.slot.ends_at - self.slot.starts_at).total_seconds() // 60)

    @property
    def id(self) -> int:
        """The slot's id."""
        return self.slot.id or 0


def holder(session: Session, *, slot_id: int) -> Booking | None:
    """The booking holding a slot now, if any."""
    return session.exec(select(Booking).where(Booking.held_slot_id == slot_id)).first()


def views(session: Session, slots: list[BookingSlot]) -> list[SlotView]:
    """Slots with their hosts' and partners' names (a few queries for the lot)."""
    ids = [s.id or 0 for s in slots]
    held = {
        b.held_slot_id: b
        for b in session.exec(select(Booking).where(col(Booking.held_slot_id).in_(ids))).all()
    }
    people = {s.host_id for s in slots} | {b.person_id for b in held.values()}
    names = names_of(session, people)
    found = []
    for slot in slots:
        booking = held.get(slot.id)
        partner = names.get(booking.person_id, "") if booking else ""
        found.append(SlotView(slot, names.get(slot.host_id, ""), booking, partner))
    return found


def free_slots(
    session: Session, *, cohort_id: int, now: datetime, limit: int = SHOWN_FREE
) -> list[SlotView]:
    """The next open, unbooked slots of a cohort, soonest first."""
    held = select(Booking.held_slot_id).where(col(Booking.held_slot_id).is_not(None))
    slots = session.exec(
        select(BookingSlot)
        .where(
            BookingSlot.cohort_id == cohort_id,
            BookingSlot.status == SlotStatus.OPEN,
            col(BookingSlot.starts_at) > now + BOOKABLE_UNTIL,
            col(BookingSlot.id).not_in(held),
        )
        .order_by(col(BookingSlot.starts_at), col(BookingSlot.id))
        .limit(limit)
    ).all()
    return views(session, list(slots))


def slot_of(session: Session, *, slot_id: int) -> BookingSlot:
    """A slot by id (NotFound when there is none)."""
    slot = session.get(BookingSlot, slot_id)
    if slot is None:
        raise NotFound("bookings.slot_not_found")
    return slot


def booked(session: Session, *, person_id: int, now: datetime) -> Booking | None:
    """The partner's booking still to come (they hold at most one)."""
    return session.exec(
        select(Booking)
        .join(BookingSlot, col(BookingSlot.id) == col(Booking.slot_id))
        .where(
            Booking.person_id == person_id,
            Booking.status == BookingStatus.BOOKED,
            col(BookingSlot.ends_at) > now,
        )
        .order_by(col(BookingSlot.starts_at))
    ).first()
