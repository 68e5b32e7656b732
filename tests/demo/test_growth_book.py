"""The demo's one-to-ones (issue 18): Margaret's four times next week, one booked by Grace,
so a partner trying /book sees three free times and Margaret sees who booked."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db import Database
from bot.demo.growth_book import seed_bookings
from bot.demo.seed import COHORT
from bot.domain import bookings
from bot.domain.clock import FakeClock
from bot.models import Role
from tests.factories import make_cohort, make_person


def test_the_demo_offers_times_next_week_and_one_is_booked(db: Database, clock: FakeClock) -> None:
    clock.set(datetime(2026, 12, 9, 13, 55, tzinfo=UTC))  # a Wednesday afternoon
    cohort = make_cohort(db, clock, COHORT)
    margaret = make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    make_person(db, clock, cohort, name="Grace")
    amina = make_person(db, clock, cohort, name="Amina")
    seed_bookings(db, clock)
    with db.reading() as session:
        free = bookings.partner_view(session, person_id=amina, clock=clock).free
        hosted = bookings.hosted(session, host_id=margaret, clock=clock)
    assert len(free) == 3 and all(v.slot.starts_at.date().isoformat() > "2026-12-13" for v in free)
    assert [v.partner for v in hosted] == ["", "", "Grace", ""]
