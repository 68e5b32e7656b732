"""Champions host one-to-one briefings (issue 18 parts 2 and 3): Amina, a champion, finds
"Times you host" in her /book, adds a time step by step, and Bill books it; she is told,
never offered her own time to book, and when she stops being a champion her hosting stops
too. A partner who is no champion is refused the hosts' buttons."""

from __future__ import annotations

from sqlmodel import select

from bot.db import Database
from bot.domain import champions
from bot.domain.clock import FakeClock
from bot.models import BookingSlot, Role
from bot.sandbox import SandboxClient
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox, stored_person
from tests.factories import make_cohort


async def test_a_champion_hosts_a_one_to_one_that_a_partner_books(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    chloe = await person(telegram, db, clock, cohort, "Chloe")
    ids = {p: stored_person(db, name=p).id or 0 for p in ("Margaret", "Amina")}

    # Not a champion yet: her /book is a partner's, and the hosts' buttons are refused.
    await amina.send("/book")
    assert "Times you host" not in str((await amina.expect("no free times"))["reply_markup"])
    await amina.forge_press(callbacks.HOST_LIST())
    await amina.expect("only champions and staff can do that")
    await amina.forge_press(callbacks.HOST_NEW(cohort.id or 0))
    await amina.expect("isn't one of yours")

    with db.transaction() as session:
        row = champions.ask(
            session, viewer_id=ids["Margaret"], cohort_id=cohort.id or 0,
            person_id=ids["Amina"], clock=clock,
        )  # fmt: skip
        champions.answer(
            session, person_id=ids["Amina"], champion_id=row.id or 0, accept=True, clock=clock
        )

    await amina.send("/book")
    await amina.expect("no free times")
    await amina.press("Times you host")
    await amina.expect("One-to-ones you host")
    await amina.press("Add a time")
    await amina.expect("Which day?")
    await amina.press("Wed 4 Mar")
    await amina.expect("What time on Wed 4 Mar?")
    await amina.press("14:00")
    await amina.expect("How long")
    await amina.press("30 minutes")
    await amina.expect("Where will you meet?")
    await amina.send("The café by the main entrance")
    added = await amina.expect("Partners can now book")
    assert "One-to-ones you host" in added["text"]  # her hosting list, not a partner's /book

    # Her own time is for others: she is not offered it; Bill books it, and she is told.
    await amina.send("/book")
    assert "Wed 4 Mar" not in str((await amina.expect("no free times"))["reply_markup"])
    await bill.send("/book")
    await bill.expect("Tap a time to book it")
    await bill.press("Wed 4 Mar, 14:00 · Amina")
    await bill.expect("Book this one-to-one?")
    await bill.press("Yes, book it")
    await bill.expect("Booked! Your one-to-one with Amina is on Wed 4 Mar, 14:00")
    await settle_outbox(bot, db)
    await amina.expect("Bill has booked a one-to-one with you on Wed 4 Mar, 14:00")

    # Chloe, no champion, cannot cancel Amina's time, even with a forged button.
    with db.reading() as session:
        slot = session.exec(select(BookingSlot)).one()
    await chloe.send("/book")
    await chloe.expect("no free times")  # Amina's only time is Bill's now
    await chloe.forge_press(callbacks.HOST_CANCEL(slot.id or 0))
    await chloe.expect("isn't one of yours")

    # Stepping down ends her hosting: the hosts' buttons are refused again.
    with db.transaction() as session:
        champions.step_down(session, person_id=ids["Amina"], champion_id=row.id or 0, clock=clock)
    await amina.forge_press(callbacks.HOST_LIST())
    await amina.expect("only champions and staff can do that")
