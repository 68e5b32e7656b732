"""Onboarding in chat, end to end through the sandbox: by taps alone, by typing, and across
a restart."""

from __future__ import annotations

from sqlmodel import col, select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import ConsentKind, ConsentRecord, PersonStatus, Role
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import partner_joins, staff_joins, stored_person
from tests.factories import make_cohort, make_invite


async def test_partner_completes_onboarding_by_taps_alone(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock, hours_per_month=8)
    amina = await telegram.create_user("Amina")
    await amina.send(f"/start {make_invite(db, clock, cohort)}")
    welcome = await amina.expect("welcome to Tandem")
    assert "Frailty pathway" in welcome["text"]
    assert "North West London integrated care" in welcome["text"]
    await amina.press("Tell me more")
    role = await amina.expect("Your role")
    assert "about 8 hours a month" in role["text"]
    assert (
        "a month, including reading before meetings.\nMeetings: monthly, on Thursday"
        in (role["text"])
    )
    await amina.press("Next")
    rules = await amina.expect("How we work together")
    assert "confidential" in rules["text"]
    await amina.press("Next")
    support = await amina.expect("Payment, expenses and support")
    assert "benefits" in support["text"] and "Margaret Evans" in support["text"]
    await amina.press("Next")
    await amina.expect("What we ask")
    await amina.press("I agree")
    consent = await amina.expect("Your reflections")
    assert "/forget" in consent["text"]
    await amina.press("Yes, keep my answers")
    await amina.expect("What would you like me to call you?")
    await amina.press("Call me Amina")
    await amina.expect("Which time zone")
    await amina.press("UK time")
    await amina.expect("When should I stay quiet?")
    await amina.press("10pm to 7am")
    done = await amina.expect("You're all set")
    assert "Amina" in done["text"]
    assert [b["text"] for row in done["reply_markup"]["inline_keyboard"] for b in row] == [
        "What can I do?",
        "My settings",
    ]

    person = stored_person(db, telegram_user_id=amina.id)
    assert person.status == PersonStatus.ACTIVE
    assert person.preferred_name == "Amina"
    assert (person.time_zone, person.quiet_start, person.quiet_end) == (
        "Europe/London",
        22 * 60,
        7 * 60,
    )
    with db.transaction() as session:
        records = session.exec(
            select(ConsentRecord)
            .where(ConsentRecord.person_id == person.id)
            .order_by(col(ConsentRecord.id))
        ).all()
    assert [(r.kind, r.granted) for r in records] == [
        (ConsentKind.EXPECTATIONS, True),
        (ConsentKind.REFLECTIONS, True),
    ]
    # The record keeps the words the partner actually saw when agreeing.
    assert "What we ask, and what you can expect" in records[0].statement
    assert "May I keep your answers?" in records[1].statement


async def test_pressed_buttons_are_taken_away(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await telegram.create_user("Amina")
    await amina.send(f"/start {make_invite(db, clock, make_cohort(db, clock))}")
    welcome = await amina.expect("welcome to Tandem")
    await amina.press("Tell me more")
    await amina.expect("Your role")
    messages = {m["message_id"]: m for m in await amina.messages()}
    assert not messages[welcome["message_id"]]["reply_markup"]


async def test_facilitators_hear_that_a_partner_joined(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    margaret = await staff_joins(telegram, db, clock, cohort)
    amina = await partner_joins(telegram, db, clock, cohort, typed_name="Amina K")
    notice = await margaret.expect("has joined")
    assert "Amina K" in notice["text"] and "Frailty pathway" in notice["text"]
    # ...and the partner's welcome names her facilitator.
    assert any("Margaret" in m["text"] for m in await amina.bot_messages())


async def test_typed_answers_and_their_mistakes(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    dev = await telegram.create_user("Dev")
    await dev.send(f"/start {make_invite(db, clock, make_cohort(db, clock))}")
    await dev.expect("welcome to Tandem")
    await dev.send("hello?")  # a button-only step: kept (never its answer), step shown again
    await dev.expect("I haven't used it as your answer here")
    again = await dev.expect("welcome to Tandem")
    assert "Tell me more" in str(again["reply_markup"])
    for label, heading in [
        ("Tell me more", "Your role"),
        ("Next", "How we work"),
        ("Next", "Payment"),
        ("Next", "What we ask"),
    ]:
        await dev.press(label)
        await dev.expect(heading)
    await dev.press("I have a question")
    await dev.expect("You can contact Margaret Evans")
    await dev.press("Not yet")
    await dev.expect("Take your time")
    await dev.press("I agree")
    await dev.expect("Your reflections")
    await dev.press("No, don't keep them")
    await dev.expect("call you?")
    await dev.send("x" * 65)
    await dev.expect("That's a bit long for a name")
    await dev.send("  Dev   O. ")
    await dev.expect("Which time zone")
    await dev.press("Somewhere else")
    await dev.expect("Please type the city")
    await dev.send("Narnia")
    await dev.expect('I don\'t recognise "Narnia"')
    await dev.send("Lagos")
    await dev.expect("When should I stay quiet?")
    await dev.send("whenever")
    await dev.expect("I didn't understand")
    await dev.send("11pm to 6:30am")
    await dev.expect("You're all set")
    person = stored_person(db, telegram_user_id=dev.id)
    assert (person.preferred_name, person.time_zone) == ("Dev O.", "Africa/Lagos")
    assert (person.quiet_start, person.quiet_end) == (23 * 60, 6 * 60 + 30)
    with db.transaction() as session:
        reflections = session.exec(
            select(ConsentRecord).where(ConsentRecord.kind == ConsentKind.REFLECTIONS)
        ).one()
    assert reflections.granted is False


async def test_restart_mid_onboarding_resumes_at_the_same_step(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await telegram.create_user("Amina")
    await amina.send(f"/start {make_invite(db, clock, make_cohort(db, clock))}")
    await amina.expect("welcome to Tandem")
    await amina.press("Tell me more")
    await amina.expect("Your role")
    await amina.press("Next")
    await amina.expect("How we work together")

    await bot.restart()

    # The button on the message shown before the restart still works...
    await amina.press("Next")
    await amina.expect("Payment, expenses and support")
    await bot.restart()
    # ...and a bare /start after a restart shows where she is.
    await amina.send("/start")
    resumed = await amina.expect("carry on where we left off")
    assert "Payment, expenses and support" in resumed["text"]


async def test_a_button_from_an_earlier_step_is_explained(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await telegram.create_user("Amina")
    await amina.send(f"/start {make_invite(db, clock, make_cohort(db, clock))}")
    welcome = await amina.expect("welcome to Tandem")
    await amina.send("/start")  # shows the current step again, with its own buttons
    await amina.expect("carry on where we left off")
    await amina.press("Tell me more")
    await amina.expect("Your role")
    # The first welcome message still has its button; tapping it now is stale.
    await amina.press("Tell me more", message_id=welcome["message_id"])
    toast = await amina.expect_toast()
    assert "earlier message" in toast["callback_answer"]["text"]
    where = await amina.expect("Here's where we are now")
    assert "Your role" in where["text"]


async def test_staff_get_a_shorter_onboarding(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    tom = await staff_joins(telegram, db, clock, None, "Tom", Role.COORDINATOR)
    person = stored_person(db, telegram_user_id=tom.id)
    assert person.role == Role.COORDINATOR
    assert person.status == PersonStatus.ACTIVE
    assert person.quiet_start is None
