"""One-to-ones on the dashboard: the slots of the cohorts a viewer may host for, upcoming
or past, with who booked each."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.domain.bookings.slots import SlotView, hostable_cohorts, views
from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.models import BookingSlot, Cohort

SHOWN = 300  # rows on one page


@dataclass(frozen=True)
class Desk:
    """The dashboard's page: the viewer's cohorts (for the filter and the form) and slots."""

    cohorts: list[Cohort]
    slots: list[tuple[SlotView, str]]  # a slot, and its cohort's name


def desk(
    session: Session, *, viewer_id: int, clock: Clock, cohort_id: int | None, past: bool
) -> Desk:
    """Slots of one cohort (or every cohort the viewer may host for), upcoming or past."""
    cohorts = hostable_cohorts(session, person_id=viewer_id)
    names = {c.id: c.name for c in cohorts}
    if cohort_id is not None and cohort_id not in names:
        raise NotFound("bookings.not_yours")
    chosen = [cohort_id] if cohort_id is not None else list(names)
    now = clock.now()
    query = select(BookingSlot).where(col(BookingSlot.cohort_id).in_(chosen))
    if past:
        query = query.where(col(BookingSlot.ends_at) <= now).order_by(
            col(BookingSlot.starts_at).desc()
        )
    else:
        query = query.where(col(BookingSlot.ends_at) > now).order_by(col(BookingSlot.starts_at))
    slots = list(session.exec(query.limit(SHOWN)).all())
    return Desk(cohorts, [(v, names.get(v.slot.cohort_id, "")) for v in views(session, slots)])
