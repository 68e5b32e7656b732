"""Pairs through the sandbox: a facilitator pairs two partners, both are introduced, they
prepare together before the meeting, message each other without sharing who they are on
Telegram, can stop messages and report a problem, and get a gentle nudge when their pair
goes quiet (unless they turned it off)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Delivery, Pair, Role
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import (
    NOW,
    expect_all,
    person,
    settle_outbox,
    stored_anywhere,
    texts_of,
)
from tests.factories import make_cohort, make_meeting


async def test_a_pair_is_introduced_prepares_together_and_messages_through_the_bot(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    await person(telegram, db, clock, cohort, "Chloe")
    start = NOW + timedelta(days=10)  # Thursday 12 March, 10:00
    make_meeting(db, clock, cohort, title="Frailty board", starts_at=start)

    await margaret.send("/pairs")
    await margaret.expect("There are no pairs yet")
    await margaret.press("Make a new pair in Frailty pathway")
    await margaret.expect("Who is the first partner")
    await margaret.press("Amina")
    await margaret.expect("Who should Amina be paired with?")
    await margaret.press("Bill")
    await margaret.expect("Paired: Amina & Bill")
    await settle_outbox(bot, db)
    assert len(await texts_of(amina, "Meet your pair: Bill")) == 1
    assert len(await texts_of(bill, "Meet your pair: Amina")) == 1

    # Three days before the meeting, at 18:00, both get the preparation prompt together.
    clock.set(datetime(2026, 3, 9, 18, 0, tzinfo=UTC))
    await settle_outbox(bot, db)
    for user, other in ((amina, "Bill"), (bill, "Amina")):
        prompts = await texts_of(user, "Going in prepared")
        assert len(prompts) == 1 and f"Your pair is {other}" in prompts[0]
    with db.transaction() as session:
        assert len(session.exec(select(Delivery).where(Delivery.purpose == "pair_prep")).all()) == 2

    # A relayed message carries the first name only: no username, no Telegram id.
    await amina.send("/pair")
    await amina.expect("Your pair is Bill")
    await amina.press("Message my pair")
    await amina.expect("Type your message for Bill")
    await amina.send("Shall I raise the transport question on Thursday?")
    await amina.expect("Sent to Bill")
    relayed = await bill.expect("Message from Amina, your pair")
    assert "Shall I raise the transport question on Thursday?" in relayed["text"]
    assert str(amina.id) not in relayed["html"] and "@" not in relayed["html"]

    # Bill replies from the button; then stops messages, and Amina is told kindly.
    await bill.press("Reply")
    await bill.expect("Type your message for Amina")
    await bill.send("Yes please, I'll take the discharge one.")
    await amina.expect("I'll take the discharge one")
    await bill.press("Stop messages from my pair")
    await bill.expect("You won't get messages from Amina")
    await amina.send("/pair")
    await amina.expect("Your pair is Bill")
    await amina.press("Message my pair")
    await amina.expect("Type your message for Bill")
    await amina.send("Are you still coming?")
    await amina.expect("Bill isn't taking messages through Tandem")
    await bill.expect_silence(0.5)

    # A problem reported reaches the facilitator, not the pair.
    await bill.send("/pair")
    await bill.expect("Your pair is Amina")
    await bill.press("Report a problem")
    await bill.expect("Amina will not")
    await bill.send("The messages felt pushy.")
    await bill.expect("Your facilitator will be in touch")
    report = await margaret.expect("Bill has reported a problem")
    assert "The messages felt pushy." in report["text"]
    assert await texts_of(amina, "pushy") == []


async def test_the_buddy_nudge_comes_after_a_silence_once_and_not_when_turned_off(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    await margaret.send("/pairs")
    await margaret.expect("Pairs")
    await margaret.press("Make a new pair in Frailty pathway")
    await margaret.expect("Who is the first partner")
    await margaret.press("Amina")
    await margaret.expect("Who should Amina be paired with?")
    await margaret.press("Bill")
    await margaret.expect("Paired")
    await amina.send("/pair")
    await amina.expect("Your pair is Bill")
    await amina.press("Turn off these reminders")
    await amina.expect("Check-in reminders are off")

    clock.set(NOW + timedelta(days=9))
    await settle_outbox(bot, db)
    assert await texts_of(bill, "haven't heard from") == []

    clock.set(NOW + timedelta(days=11))
    await settle_outbox(bot, db)
    nudges = await texts_of(bill, "You haven't heard from Amina for 11 days")
    assert len(nudges) == 1
    assert await texts_of(amina, "haven't heard from") == [], "Amina turned them off"

    clock.set(NOW + timedelta(days=12))
    await settle_outbox(bot, db)
    assert len(await texts_of(bill, "haven't heard from")) == 1, "once per silence"

    # Once Amina is heard from again, a new silence may bring a new nudge.
    await amina.send("/help")
    await amina.expect("What I can do")
    clock.set(NOW + timedelta(days=23))
    await settle_outbox(bot, db)
    assert len(await texts_of(bill, "haven't heard from")) == 2


async def test_unpairing_stops_relays_and_preparation(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    await person(telegram, db, clock, cohort, "Bill")
    await margaret.send("/pairs")
    await margaret.expect("Pairs")
    await margaret.press("Make a new pair in Frailty pathway")
    await margaret.expect("Who is the first partner")
    await margaret.press("Amina")
    await margaret.expect("Who should Amina be paired with?")
    await margaret.press("Bill")
    await margaret.expect("Paired")
    await margaret.press("‹ Back")
    await margaret.expect("Amina & Bill")
    await margaret.press("Unpair Amina & Bill")
    await margaret.expect("Unpair Amina & Bill?")
    await margaret.press("Yes, unpair them")
    await margaret.expect("Unpaired.")
    with db.transaction() as session:
        assert session.exec(select(Pair)).one().ended_at is not None
    await amina.send("/pair")
    await amina.expect("You don't have a pair yet")


async def test_forget_erases_what_a_partner_said_to_their_pair_and_their_facilitators(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock, database_url: str
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    await margaret.send("/pairs")
    await margaret.expect("Pairs")
    await margaret.press("Make a new pair in Frailty pathway")
    await margaret.expect("Who is the first partner")
    await margaret.press("Amina")
    await margaret.expect("Who should Amina be paired with?")
    await margaret.press("Bill")
    await margaret.expect("Paired")
    await amina.send("/pair")
    await amina.expect("Your pair is Bill")
    await amina.press("Message my pair")
    await amina.expect("Type your message")
    await amina.send("Quindlewick transport notes for Thursday")
    await bill.expect("Quindlewick transport notes")
    await amina.send("/ask")
    await amina.expect("What would you like to ask")
    await amina.send("Why is the Zarnowski clinic closing? I can't cope any more with this")
    await expect_all(margaret, "Safeguarding alert", "Amina has a question")
    for secret in ("Quindlewick", "Zarnowski"):
        assert stored_anywhere(db, database_url, secret), secret

    await amina.send("/forget")
    await amina.expect("Do you want to erase everything")
    await amina.press("Yes, erase everything")
    await amina.expect("has been erased")
    await bot.stop()
    for secret in ("Quindlewick", "Zarnowski"):
        assert not stored_anywhere(db, database_url, secret), secret
    with db.transaction() as session:
        assert session.exec(select(Pair)).all() == []
    await bot.start()
    await bill.send("/pair")
    await bill.expect("You don't have a pair yet")
