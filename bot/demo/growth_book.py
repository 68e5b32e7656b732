"""The demo's one-to-one briefings (issue 18): Margaret offers four times next week, and
Grace has booked one of them, so /book shows a partner both free times and a booking, and
Margaret's /book and the dashboard's One-to-ones page show who booked what."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from bot.db import Database
from bot.demo.clock import DEMO_ZONE
from bot.domain import bookings
from bot.domain.clock import Clock
from bot.domain.cohorts import get_cohort

# (days after next Monday, local start, minutes, where)
TIMES = (
    (1, time(10), 30, "Room 3B, Civic Centre"),
    (1, time(14), 45, "https://meet.example.nhs.uk/one-to-one-margaret"),
    (3, time(11), 30, "Room 3B, Civic Centre"),
    (4, time(15), 30, "https://meet.example.nhs.uk/one-to-one-margaret"),
)
BOOKED_BY = ("Grace", 2)  # who booked, and which of TIMES


def _next_monday(clock: Clock) -> date:
    today = clock.now().astimezone(ZoneInfo(DEMO_ZONE)).date()
    return today + timedelta(days=7 - today.weekday())


def seed_bookings(db: Database, clock: Clock) -> None:
    """Margaret's times for next week, one of them booked by Grace."""
    from bot.demo.seed import COHORT, by_first_name  # seed.py calls this module

    monday = _next_monday(clock)
    with db.transaction() as session:
        people = by_first_name(session)
        cohort = get_cohort(session, name=COHORT).id or 0
        made = [
            bookings.publish(
                session,
                host_id=people["Margaret"].id or 0,
                cohort_id=cohort,
                day=monday + timedelta(days=offset),
                at=at,
                minutes=minutes,
                where=where,
                clock=clock,
            )
            for offset, at, minutes, where in TIMES
        ]
        who, which = BOOKED_BY
        bookings.book(
            session, person_id=people[who].id or 0, slot_id=made[which].id or 0, clock=clock
        )
