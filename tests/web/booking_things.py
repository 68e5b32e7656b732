"""One-to-ones in the security table's Frailty pathway (issue 18): a time Margaret offers it,
a new time to add, and cancelling Margaret's."""

from __future__ import annotations

from datetime import time, timedelta

from bot.db import Database
from bot.domain import bookings
from bot.domain.clock import FakeClock
from tests.web.conftest import World


def make_slot(db: Database, clock: FakeClock, world: World) -> int:
    """The id of a one-to-one time Margaret offers Frailty pathway in three days."""
    with db.transaction() as session:
        slot = bookings.publish(
            session,
            host_id=world.facilitator,
            cohort_id=world.frailty,
            day=(clock.now() + timedelta(days=3)).date(),
            at=time(10),
            minutes=30,
            where="Room 3B",
            clock=clock,
        )
    return slot.id or 0


def booking_posts(slot: int, cohort: int) -> dict[str, tuple[str, dict[str, str]]]:
    """A new time for the cohort; cancelling Margaret's."""
    return {
        "/dashboard/bookings/slots": (
            "/dashboard/bookings/slots",
            {
                "cohort": str(cohort),
                "day": "2026-03-09",
                "time": "15:00",
                "minutes": "30",
                "where": "Room 4",
            },
        ),
        "/dashboard/bookings/slots/{slot_id:int}/cancel": (
            f"/dashboard/bookings/slots/{slot}/cancel",
            {},
        ),
    }
