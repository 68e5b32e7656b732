"""The one-to-one buttons the forged-buttons scenario collects (issue 18): Margaret's times;
Amina books one, then looks at moving and cancelling it; Margaret adds a time step by step
and looks at cancelling one."""

from __future__ import annotations

from datetime import time, timedelta

from bot.db import Database
from bot.domain import bookings
from bot.domain.clock import FakeClock
from bot.models import Cohort
from bot.sandbox import ChatUser
from bot.telegram import callbacks
from tests.e2e.forged_presses import deeper, step
from tests.e2e.journeys import NOW


async def booking_buttons(
    db: Database,
    clock: FakeClock,
    cohort: Cohort,
    users: tuple[ChatUser, ChatUser],
    ids: dict[str, int],
) -> set[str]:
    """Every one-to-one button Amina and Margaret are sent on the way."""
    k = callbacks
    amina, margaret = users
    with db.transaction() as session:
        for hour in (10, 14):
            bookings.publish(
                session,
                host_id=ids["Margaret"],
                cohort_id=cohort.id or 0,
                day=(NOW + timedelta(days=2)).date(),
                at=time(hour),
                minutes=30,
                where="Room 3B tomorrow",
                clock=clock,
            )
    found = await step(amina, "/book", "Tap a time")
    found = await deeper(amina, found, k.BOOK_PICK)
    await amina.press("Yes, book it")
    await amina.expect("Booked!")
    found |= await step(amina, "/book", "My one-to-one")
    found = await deeper(amina, found, k.BOOK_MOVE, k.BOOK_PICK, k.BOOK_CANCEL_ASK)
    found |= await step(margaret, "/book", "One-to-ones you host")
    return await deeper(margaret, found, k.HOST_NEW, k.HOST_DAY, k.HOST_TIME, k.HOST_CANCEL_ASK)
