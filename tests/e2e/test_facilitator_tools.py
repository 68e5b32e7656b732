"""Facilitators run their cohort from a phone: broadcasts (with delivery reports, corrections
and withdrawals), meetings made in chat, questions answered, reflections reviewed, and
"you said, we did". Everything through the sandbox with the real bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.library.catalogue import Library
from bot.models import Broadcast, Delivery, Meeting, Person, Role
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox, texts_of
from tests.factories import make_cohort, make_population

LIBRARY, _ = Library.load()


async def test_a_broadcast_to_fifty_with_two_blocked_is_reported_corrected_and_withdrawn(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    users = await telegram.create_users([f"Partner{n}" for n in range(50)])
    make_population(db, clock, cohort, [u["id"] for u in users])
    partners = [await telegram.user(u["id"]) for u in users]
    blocked, reachable = partners[:2], partners[2:]
    for user in blocked:
        await user.block()

    await margaret.send("/broadcast")
    await margaret.expect("Who is this message for?")
    await margaret.press("Everyone in Frailty pathway")
    await margaret.expect("Type your message for everyone in Frailty pathway (50 people)")
    await margaret.send("Hello {{ name }}. Thank you for Thursday!")
    await margaret.expect("exactly what Partner 0 will see")
    preview = await margaret.expect("Thank you for Thursday")
    assert preview["text"] == "From Margaret:\n\nHello Partner 0. Thank you for Thursday!"
    await margaret.expect("Ready to send")
    await margaret.press("Send now to 50 people")
    await margaret.expect("Sent to the outbox for 50 people")
    await settle_outbox(bot, db)

    for number, user in enumerate(reachable, start=2):
        assert await texts_of(user, "Thank you for Thursday") == [
            f"From Margaret:\n\nHello Partner {number}. Thank you for Thursday!"
        ]
    for user in blocked:
        assert await texts_of(user, "Thursday") == []

    await margaret.send("/broadcasts")
    card = await margaret.expect("To everyone in Frailty pathway")
    assert "Sent 48" in card["text"] and "Couldn't reach 2" in card["text"]
    assert "Waiting 0" in card["text"] and "Failed 0" in card["text"]

    # A correction changes the words partners see, in place: still one copy each.
    await margaret.press("Correct it")
    await margaret.expect("Type the corrected message")
    await margaret.send("Hello {{ name }}. Thank you for Wednesday!")
    await margaret.expect("48 copies already sent will change in place")
    await margaret.press("Send correction")
    await margaret.expect("48 sent copies will be corrected")
    await settle_outbox(bot, db)
    for number, user in enumerate(reachable, start=2):
        assert await texts_of(user, "Thank you for") == [
            f"From Margaret:\n\nHello Partner {number}. Thank you for Wednesday!"
        ]

    # A withdrawal deletes every sent copy.
    await margaret.send("/broadcasts")
    await margaret.expect("To everyone in Frailty pathway")
    await margaret.press("Withdraw")
    await margaret.expect("Withdraw this broadcast?")
    await margaret.press("Yes, withdraw it")
    await margaret.expect("Withdrawn. 48 sent copies are being deleted")
    await settle_outbox(bot, db)
    for user in reachable:
        assert await texts_of(user, "Thank you for") == []


async def test_a_broadcast_is_refused_when_empty_too_long_or_broken(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    await person(telegram, db, clock, cohort, "Amina")
    empty_cohort = make_cohort(db, clock, name="Maternity voices")
    with db.transaction() as session:
        from bot.models import Membership

        staff = session.exec(select(Person).where(Person.preferred_name == "Margaret")).one()
        session.add(
            Membership(
                person_id=staff.id or 0,
                cohort_id=empty_cohort.id or 0,
                role=Role.FACILITATOR,
                joined_at=clock.now(),
            )
        )

    await margaret.send("/broadcast")
    await margaret.expect("Who is this message for?")
    await margaret.press("Everyone in Maternity voices")
    await margaret.expect("Nobody would receive a message sent to everyone in Maternity voices")

    await margaret.send("/broadcast")
    await margaret.expect("Who is this message for?")
    await margaret.press("Everyone in Frailty pathway")
    await margaret.expect("Type your message")
    await margaret.send("x" * 3501)
    await margaret.expect("That message is 3501 characters; please keep broadcasts to 3500")
    await margaret.send("Hello {{ nmae }}")
    await margaret.expect("I don't know that placeholder")
    await margaret.send("Hello {{ name ")
    await margaret.expect("Something in the curly brackets isn't right")
    await margaret.send("Hello {{ name.__class__.__mro__ }}")
    reply = await margaret.expect("Something in the curly brackets")
    assert "mro" not in reply["text"] or "unsafe" in reply["text"].lower()
    with db.transaction() as session:
        assert session.exec(select(Broadcast)).all() == []


async def test_a_scheduled_broadcast_goes_out_at_its_local_time(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 6, 8, 12, 0, tzinfo=UTC))  # summer: London is UTC+1
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")

    await margaret.send("/broadcast")
    await margaret.expect("Who is this message for?")
    await margaret.press("One person")
    await margaret.expect("Who is it for?")
    await margaret.press("Amina")
    await margaret.expect("Type your message for Amina (1 person)")
    await margaret.send("Papers for Thursday are out, {{ name }}.")
    await margaret.expect("Ready to send")
    await margaret.press("Send later")
    await margaret.expect("When should it go?")
    await margaret.send("10 Jun 09:30")
    await margaret.expect("Scheduled for Wed 10 Jun, 09:30 (UK time), for 1 person")

    clock.set(datetime(2026, 6, 10, 8, 29, tzinfo=UTC))
    await settle_outbox(bot, db)
    assert await texts_of(amina, "Papers for Thursday") == []
    clock.set(datetime(2026, 6, 10, 8, 30, tzinfo=UTC))  # 09:30 British Summer Time
    await settle_outbox(bot, db)
    assert await texts_of(amina, "Papers for Thursday") == [
        "From Margaret:\n\nPapers for Thursday are out, Amina."
    ]


async def test_a_meeting_made_in_chat_gets_the_whole_timetable(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")

    await margaret.send("/newmeeting")
    await margaret.expect("What is it called?")
    await margaret.send("Frailty board")
    await margaret.expect("When does Frailty board start?")
    await margaret.send("yesterday at noon")
    await margaret.expect("couldn't read")
    await margaret.send("19 Mar 14:00")
    await margaret.expect("How long will it last?")
    await margaret.press("2 hours")
    await margaret.expect("Where is it?")
    await margaret.send("Room 3B, Civic Centre")
    await margaret.expect("Which briefings should partners read")
    await margaret.press("How the NHS in England is organised")
    ticked = await margaret.expect("Which briefings")
    assert "✓ How the NHS in England is organised" in str(ticked["reply_markup"])
    await margaret.press("Done")
    check = await margaret.expect("Please check")
    assert "Thu 19 Mar, 14:00, for 120 minutes" in check["text"]
    await margaret.press("Create the meeting")
    await margaret.expect("Created Frailty board on Thu 19 Mar, 14:00")

    with db.transaction() as session:
        meeting = session.exec(select(Meeting)).one()
        purposes = sorted(
            d.purpose
            for d in session.exec(select(Delivery).where(Delivery.meeting_id == meeting.id))
        )
    assert meeting.starts_at == datetime(2026, 3, 19, 14, 0, tzinfo=UTC)
    assert meeting.ends_at - meeting.starts_at == timedelta(hours=2)
    expected = sorted(
        r.purpose
        for r in LIBRARY.timetable.meeting
        if not r.pairs_only and r.audience == "partners"  # board rules: issue 17
    )
    assert purposes == expected

    clock.set(datetime(2026, 3, 12, 18, 0, tzinfo=UTC))  # a week before, at 18:00
    await settle_outbox(bot, db)
    assert len(await texts_of(amina, "Frailty board is on Thu 19 Mar")) == 1

    # Staff see who is coming and can move the meeting with buttons.
    await margaret.send("/meetings")
    card = await margaret.expect("Frailty board · Frailty pathway")
    assert "Not answered: 1" in card["text"]
    await margaret.press("Move")
    await margaret.expect("When should Frailty board start now?")
    await margaret.send("26 Mar 14:00")
    await margaret.expect("1 partner will be told")
    await margaret.press("Yes, move it")
    await margaret.expect("Moved: Frailty board now starts Thu 26 Mar, 14:00")
    await settle_outbox(bot, db)
    assert len(await texts_of(amina, "has moved")) == 1
