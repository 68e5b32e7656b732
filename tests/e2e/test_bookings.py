"""One-to-one briefings (issue 18), through the sandbox: Margaret adds two times in chat,
Amina (in Lagos) books one with a calendar file, moves it, cancels it; Margaret is told
each time; reminders wait in the outbox for Amina's own local times; outsiders cannot book
or cancel; a host cancelling a booked time tells the partner kindly; the monthly check-in's
"A one-to-one briefing" offers the free times, or tells the facilitator when there are
none."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import col, select

from bot.db import Database
from bot.domain import bookings
from bot.domain.clock import FakeClock
from bot.models import Booking, BookingSlot, Delivery, DeliveryStatus, Role
from bot.sandbox import ChatUser, SandboxClient
from bot.sandbox.common import JSONDict
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox, stored_person
from tests.factories import make_cohort

UTC = NOW.tzinfo


async def _add_time(margaret: ChatUser, day: str, at: str, length: str, where: str) -> JSONDict:
    """Margaret adds a time from /book: a day, a time, a length, then the place, typed."""
    await margaret.send("/book")
    await margaret.expect("One-to-ones you host")
    await margaret.press("Add a time")
    await margaret.expect("Which day?")
    await margaret.press(day)
    await margaret.expect(f"What time on {day}?")
    await margaret.press(at)
    await margaret.expect("How long")
    await margaret.press(length)
    await margaret.expect("Where will you meet?")
    await margaret.send(where)
    return await margaret.expect("Partners can now book")


async def _calendar_file(telegram: SandboxClient, user: ChatUser) -> str:
    """The .ics file the bot sent last, as text."""
    sent = await user.expect("Open this file")
    assert sent["document"]["file_name"] == "one-to-one.ics"
    return (await telegram.download(sent["document"]["file_id"])).decode()


def _reminders(db: Database) -> list[tuple[str, datetime, DeliveryStatus]]:
    with db.reading() as session:
        rows = session.exec(
            select(Delivery)
            .where(col(Delivery.dedupe_key).startswith("book"))
            .order_by(col(Delivery.id))
        ).all()
        return [(r.dedupe_key.split(":")[2], r.due_at, r.status) for r in rows]


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


async def test_a_booking_is_made_moved_and_cancelled_with_calendar_files(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort, other = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina", time_zone="Africa/Lagos")
    bill = await person(telegram, db, clock, cohort, "Bill")
    bola = await person(telegram, db, clock, other, "Bola")

    await amina.send("/book")
    await amina.expect("There are no free times right now")
    await _add_time(margaret, "Wed 4 Mar", "14:00", "30 minutes", "Room 3B")
    listed = await _add_time(
        margaret, "Thu 5 Mar", "10:00", "45 minutes", "https://meet.example.org/abc"
    )
    assert "Wed 4 Mar, 14:00, 30 minutes: free" in listed["text"]

    # Amina, in Lagos (an hour ahead), sees the times in her own time zone.
    await amina.send("/book")
    await amina.expect("Tap a time to book it")
    await amina.press("Wed 4 Mar, 15:00 · Margaret")
    await amina.expect("Book this one-to-one?")
    await amina.press("Yes, book it")
    await amina.expect("Booked! Your one-to-one with Margaret is on Wed 4 Mar, 15:00")
    ics = await _calendar_file(telegram, amina)
    assert "DTSTART:20260304T140000Z" in ics and "Room 3B" in ics
    uid = next(line for line in ics.splitlines() if line.startswith("UID"))
    # Her reminders: the day before and an hour before, at 15:00 and 14:00 in Lagos.
    assert _reminders(db) == [
        ("day", _at(3, 14), DeliveryStatus.PENDING),
        ("hour", _at(4, 13), DeliveryStatus.PENDING),
    ]
    await settle_outbox(bot, db)
    await margaret.expect("Amina has booked a one-to-one with you on Wed 4 Mar, 14:00")

    # Nobody else can take her time or cancel her booking, even with forged buttons.
    with db.reading() as session:
        booking = session.exec(select(Booking)).one()
    booking_id, first_slot = booking.id or 0, booking.slot_id
    await bill.send("/book")
    assert "Wed 4 Mar" not in str((await bill.expect("Tap a time to book it"))["reply_markup"])
    await bola.send("/book")
    await bola.expect("There are no free times right now")  # another cohort's are not shown
    await bill.forge_press(callbacks.BOOK_CONFIRM(first_slot))
    await bill.expect("someone else booked that time a moment ago. Here are the other")
    for outsider in (bill, bola):
        await outsider.forge_press(callbacks.BOOK_CANCEL(booking_id))
        await outsider.expect("I can't find that booking")
    await bola.forge_press(callbacks.BOOK_PICK(first_slot))
    await bola.expect("I can't find that time")
    await bill.forge_press(callbacks.HOST_NEW(cohort.id or 0))
    await bill.expect("isn't one of yours")  # only hosts (staff, champions) add times

    # She moves it to Thursday.
    await amina.send("/book")
    await amina.expect("My one-to-one")
    await amina.press("Move it")
    await amina.expect("Which time would you like instead?")
    await amina.press("Thu 5 Mar, 11:00 · Margaret")
    await amina.expect("Move your one-to-one to this time?")
    await amina.press("Yes, move it")
    await amina.expect("Your one-to-one is now on Thu 5 Mar, 11:00 with Margaret")
    moved = await _calendar_file(telegram, amina)
    assert "DTSTART:20260305T100000Z" in moved and uid in moved
    assert "https://meet.example.org/abc" in moved
    assert [status for *_, status in _reminders(db)] == [
        DeliveryStatus.CANCELLED,
        DeliveryStatus.CANCELLED,
        DeliveryStatus.PENDING,
        DeliveryStatus.PENDING,
    ]
    assert [due for _, due, _ in _reminders(db)[2:]] == [_at(4, 10), _at(5, 9)]
    await settle_outbox(bot, db)
    await margaret.expect("Amina has moved their one-to-one with you from Wed 4 Mar, 14:00")

    # She holds one booking at a time.
    await amina.forge_press(callbacks.BOOK_CONFIRM(first_slot))
    await amina.expect("You can book one at a time")

    # And cancels it.
    await amina.send("/book")
    await amina.expect("My one-to-one")
    await amina.press("Cancel it")
    await amina.expect("Cancel your one-to-one on Thu 5 Mar, 11:00 with Margaret?")
    await amina.press("Yes, cancel it")
    await amina.expect("Cancelled. I've told Margaret")
    cancelled = await _calendar_file(telegram, amina)
    assert "STATUS:CANCELLED" in cancelled and uid in cancelled
    assert all(status == DeliveryStatus.CANCELLED for *_, status in _reminders(db))
    await settle_outbox(bot, db)
    await margaret.expect("Amina has cancelled their one-to-one with you on Thu 5 Mar, 10:00")
    await margaret.send("/book")
    again = await margaret.expect("One-to-ones you host")
    assert again["text"].count(": free") == 2


async def test_a_host_cancelling_tells_the_partner_and_reminders_honour_quiet_hours(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    # Amina keeps quiet from 21:00 to 08:00; her one-to-one is at 08:30 on Wednesday.
    amina = await person(telegram, db, clock, cohort, "Amina", quiet=(21 * 60, 8 * 60))
    ids = stored_person(db, name="Margaret").id or 0, stored_person(db, name="Amina").id or 0
    with db.transaction() as session:
        early, later = (
            bookings.publish(
                session,
                host_id=ids[0],
                cohort_id=cohort.id or 0,
                day=date(2026, 3, 4),
                at=at,
                minutes=30,
                where="Room 3B",
                clock=clock,
            ).id
            or 0
            for at in (time(8, 30), time(15))
        )
        bookings.book(session, person_id=ids[1], slot_id=early, clock=clock)

    clock.set(_at(3, 8) + timedelta(minutes=30))  # Tuesday 08:30: the day before
    await settle_outbox(bot, db)
    await amina.expect("Reminder: your one-to-one with Margaret is tomorrow, Wed 4 Mar, 08:30")
    clock.set(_at(4, 7) + timedelta(minutes=30))  # an hour before, but in her quiet hours
    await settle_outbox(bot, db)
    await amina.expect_silence(0.3)
    clock.set(_at(4, 8))
    await settle_outbox(bot, db)
    await amina.expect("starts in an hour")

    # Margaret cancels the later time of a fresh booking: Amina is told kindly.
    clock.set(_at(4, 9))
    with db.transaction() as session:
        bookings.book(session, person_id=ids[1], slot_id=later, clock=clock)
    await margaret.send("/book")
    await margaret.expect("booked by Amina")
    await margaret.press("Cancel Wed 4 Mar, 15:00")
    await margaret.expect("Amina has booked it. I'll tell them kindly")
    await margaret.press("Yes, cancel it")
    await margaret.expect("I've told the partner who booked it")
    await settle_outbox(bot, db)
    await amina.expect("Sorry, Margaret had to cancel your one-to-one on Wed 4 Mar, 15:00")
    await amina.press("Book another time")
    await amina.expect("There are no free times right now")


async def _check_in(amina: ChatUser) -> JSONDict:
    """The monthly check-in, asking for a one-to-one briefing."""
    await amina.send("/reflect")
    await amina.expect("Time to reflect")
    await amina.press(callbacks.REFLECT("monthly-check-in"))
    await amina.expect("How confident do you feel")
    await amina.press("4")
    await amina.expect("Which of these have you grown in")
    await amina.press("Skip")
    await amina.expect("Anything else you've learned")
    await amina.press("Skip")
    await amina.expect("What support would help you most")
    await amina.press("A one-to-one briefing")
    await amina.expect("Tell me a little more")
    await amina.press("Skip")
    await amina.expect("How are you feeling about the role")
    await amina.press("4")
    await amina.expect("who can see this reflection?")
    await amina.press("My facilitators (suggested)")
    return await amina.expect("You asked for a one-to-one briefing")


async def test_the_check_in_offers_free_times_or_tells_the_facilitator(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    offered = await _check_in(amina)
    assert "I've told your facilitator" in offered["text"]
    await settle_outbox(bot, db)
    await margaret.expect("Amina asked for a one-to-one briefing in their check-in")
    await margaret.press("Add a time")
    await margaret.expect("Which day?")

    host = stored_person(db, name="Margaret").id or 0
    with db.transaction() as session:
        bookings.publish(
            session,
            host_id=host,
            cohort_id=cohort.id or 0,
            day=date(2026, 3, 5),
            at=time(11),
            minutes=45,
            where="Room 3B",
            clock=clock,
        )
    offered = await _check_in(amina)
    assert "Here are the next free times" in offered["text"]
    await amina.press("Thu 5 Mar, 11:00 · Margaret")
    await amina.expect("Book this one-to-one?")
    await amina.press("Yes, book it")
    await amina.expect("Booked!")


async def test_a_host_is_asked_again_for_a_bad_link_and_told_of_an_overlap(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    await _add_time(margaret, "Wed 4 Mar", "14:00", "60 minutes", "Room 4")
    await margaret.press("Add a time")
    await margaret.expect("Which day?")
    await margaret.press("Wed 4 Mar")
    await margaret.expect("What time on Wed 4 Mar?")
    await margaret.press("14:00")
    await margaret.expect("How long")
    await margaret.press("30 minutes")
    await margaret.expect("Where will you meet?")
    await margaret.send("http://meet.example.org/x")
    await margaret.expect("The join link must start with https://")
    await margaret.send("https://meet.example.org/x")
    await margaret.expect("You already offer a time that overlaps this one")
    await margaret.send("Room 5")  # no longer taken as a place
    await margaret.expect("I can't reply to messages like this yet")
    with db.reading() as session:
        assert [b.place for b in session.exec(select(BookingSlot))] == ["Room 4"]
