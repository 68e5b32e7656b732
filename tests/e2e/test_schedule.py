"""The outbox through the sandbox with a moved clock: the right message at the right local
time, once; quiet hours defer; moving and cancelling a meeting carry its messages along."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.meetings import cancel_meeting, move_meeting
from bot.library.catalogue import Library
from bot.models import Cohort, Delivery, DeliveryStatus, Meeting, Rsvp
from bot.sandbox import ChatUser, SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import person
from tests.factories import make_cohort, make_meeting

LIBRARY, _ = Library.load()
START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)  # Tuesday 10 March 14:00 in London (GMT)
NIGHTS = (21 * 60, 8 * 60)  # quiet from 9pm to 8am, as most partners choose


def _meeting(db: Database, clock: FakeClock, cohort: Cohort, start: datetime = START) -> Meeting:
    return make_meeting(
        db,
        clock,
        cohort,
        title="Frailty board",
        starts_at=start,
        place="Room 3B, Civic Centre",
        join_url="https://meet.example.nhs.uk/frailty",
        papers=["how-the-nhs-is-organised", "reading-a-board-paper"],
    )


async def _at(bot: BotHarness, when: datetime) -> None:
    bot.clock.set(when)
    await bot.tick()


async def _new_texts(telegram: SandboxClient, user: ChatUser, seen: dict[int, int]) -> list[str]:
    """Bot messages in the user's chat since the last look."""
    messages = [m for m in await user.bot_messages() if m["message_id"] > seen.get(user.id, 0)]
    if messages:
        seen[user.id] = messages[-1]["message_id"]
    return [m["text"] for m in messages]


async def test_a_meeting_eight_days_ahead_in_two_time_zones(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    amina = await person(telegram, db, clock, cohort, "Amina", quiet=NIGHTS)
    kwame = await person(
        telegram, db, clock, cohort, "Kwame", time_zone="Africa/Lagos", quiet=NIGHTS
    )
    meeting = _meeting(db, clock, cohort)
    seen: dict[int, int] = {}

    async def expect_only(who: ChatUser, fragment: str | None) -> None:
        texts = await _new_texts(telegram, who, seen)
        if fragment is None:
            assert texts == [], texts
        else:
            assert len(texts) == 1 and fragment in texts[0], texts

    # The briefing: 18:00 local on Tuesday 3 March (Lagos is an hour ahead of London).
    await _at(bot, datetime(2026, 3, 3, 16, 59, tzinfo=UTC))
    await expect_only(kwame, None)
    await _at(bot, datetime(2026, 3, 3, 17, 0, tzinfo=UTC))
    await expect_only(kwame, "How the NHS in England is organised")
    await expect_only(amina, None)
    await _at(bot, datetime(2026, 3, 3, 18, 0, tzinfo=UTC))
    await expect_only(amina, "How the NHS in England is organised")
    await _at(bot, datetime(2026, 3, 3, 18, 30, tzinfo=UTC))
    await expect_only(amina, None)
    # Papers two days ahead, 18:00 local; reminders 24 h and 1 h before, for both.
    await _at(bot, datetime(2026, 3, 8, 18, 0, tzinfo=UTC))
    await expect_only(amina, "papers for Frailty board")
    await expect_only(kwame, "papers for Frailty board")
    await _at(bot, datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    await expect_only(amina, "tomorrow at 14:00")
    await expect_only(kwame, "tomorrow at 15:00")
    await _at(bot, datetime(2026, 3, 10, 13, 0, tzinfo=UTC))
    await expect_only(amina, "in 1 hour")
    await expect_only(kwame, "in 1 hour")
    # The debrief three hours after the end; Amina answers, Kwame does not.
    await _at(bot, datetime(2026, 3, 10, 19, 0, tzinfo=UTC))
    await expect_only(amina, "How did Frailty board go?")
    await expect_only(kwame, "How did Frailty board go?")
    await amina.press("Start now")
    first = await amina.expect("question 1 of")
    assert "How did Frailty board go?" in first["text"]  # the set's opening words name it
    await amina.press("5")
    await amina.expect("equal partner")
    await amina.press("5")
    for expected in ("What did you learn?", "surprise", "differently", "raise", "troubling"):
        await amina.expect(expected)
        await amina.press("Skip")
    await amina.expect("who can see this reflection?")
    await amina.press("My facilitators (suggested)")
    await amina.expect("Thank you, Amina")
    seen[amina.id] = (await amina.bot_messages())[-1]["message_id"]
    # The nudge 48 hours later goes only to Kwame.
    await _at(bot, datetime(2026, 3, 12, 19, 0, tzinfo=UTC))
    await expect_only(kwame, "A gentle reminder, Kwame")
    await expect_only(amina, None)
    # "What changed?" two weeks on, 18:00 local.
    await _at(bot, datetime(2026, 3, 24, 17, 0, tzinfo=UTC))
    await expect_only(kwame, "two weeks since Frailty board")
    await _at(bot, datetime(2026, 3, 24, 18, 0, tzinfo=UTC))
    await expect_only(amina, "two weeks since Frailty board")
    with db.transaction() as session:
        rows = session.exec(select(Delivery).where(Delivery.meeting_id == meeting.id)).all()
    by_status = {(r.purpose, r.status) for r in rows}
    assert ("nudge", DeliveryStatus.SKIPPED) in by_status
    assert all(r.status in (DeliveryStatus.SENT, DeliveryStatus.SKIPPED) for r in rows)


async def test_quiet_hours_defer_and_rsvp_and_calendar(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    grace = await person(telegram, db, clock, cohort, "Grace", quiet=(17 * 60, 20 * 60))
    _meeting(db, clock, cohort)
    seen: dict[int, int] = {}
    await _at(bot, datetime(2026, 3, 3, 18, 0, tzinfo=UTC))
    assert await _new_texts(telegram, grace, seen) == [], "18:00 is inside 17:00-20:00"
    await _at(bot, datetime(2026, 3, 3, 19, 59, tzinfo=UTC))
    assert await _new_texts(telegram, grace, seen) == []
    await _at(bot, datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
    assert len(await _new_texts(telegram, grace, seen)) == 1, "deferred, not dropped"
    await _at(bot, datetime(2026, 3, 9, 14, 0, tzinfo=UTC))
    reminder = await grace.expect("Will you be there?")
    assert "Room 3B, Civic Centre" in reminder["text"] and "meet.example.nhs.uk" in reminder["text"]
    await grace.press("I'll be there")
    toast = await grace.expect_toast()
    assert "you'll be at Frailty board" in toast["callback_answer"]["text"]
    # The card itself now says what she answered, and offers only the other answer.
    card = await grace.expect("You said you'll be there")
    assert card["message_id"] == reminder["message_id"] and "Will you be there?" in card["text"]
    labels = [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert "I'll be there" not in labels and "I can't make it now" in labels
    assert "Add to calendar" in labels
    with db.transaction() as session:
        assert session.exec(select(Rsvp)).one().attending is True
    await grace.send("/meetings")
    listed = await grace.expect("Frailty board")
    assert "You said you'll be there" in listed["text"]
    await grace.press("I can't make it now", message_id=listed["message_id"])
    changed = await grace.expect("You said you can't make it")
    assert changed["message_id"] == listed["message_id"]
    assert "You said you'll be there" not in changed["text"]
    with db.transaction() as session:
        assert session.exec(select(Rsvp)).one().attending is False
    await grace.press("Add to calendar")
    ics = await grace.expect("to your calendar")
    data = (await telegram.download(ics["document"]["file_id"])).decode()
    assert "BEGIN:VEVENT" in data and "SUMMARY:Frailty board" in data
    assert "DTSTART:20260310T140000Z" in data or "DTSTART;VALUE=DATE-TIME:20260310T140000Z" in data
    # The private feed: a link in chat, served by the web app, with every meeting.
    await grace.send("/calendar")
    link = await grace.expect("private calendar link")
    url = next(word for word in link["text"].split() if word.endswith(".ics"))
    async with httpx.AsyncClient() as http:
        feed = await http.get(url)
        wrong = await http.get(url.replace("/calendar/", "/calendar/x"))
    assert feed.status_code == 200 and "SUMMARY:Frailty board" in feed.text
    assert feed.headers["content-type"].startswith("text/calendar")
    assert wrong.status_code == 404


async def test_moving_and_cancelling_carry_the_messages(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    dev = await person(telegram, db, clock, cohort, "Dev", quiet=NIGHTS)
    meeting = _meeting(db, clock, cohort)
    seen: dict[int, int] = {}
    with db.transaction() as session:
        move_meeting(
            session,
            meeting_id=meeting.id or 0,
            starts_at=START + timedelta(days=7),
            ends_at=START + timedelta(days=7, hours=2),
            clock=clock,
            timetable=LIBRARY.timetable,
        )
    await bot.tick()
    moved = await _new_texts(telegram, dev, seen)
    assert len(moved) == 1 and "has moved" in moved[0] and "17 Mar" in moved[0]
    await _at(bot, datetime(2026, 3, 3, 18, 0, tzinfo=UTC))
    assert await _new_texts(telegram, dev, seen) == [], "the briefing moved a week later"
    await _at(bot, datetime(2026, 3, 10, 18, 0, tzinfo=UTC))
    assert len(await _new_texts(telegram, dev, seen)) == 1
    with db.transaction() as session:
        cancel_meeting(session, meeting_id=meeting.id or 0, clock=clock)
    await bot.tick()
    cancelled = await _new_texts(telegram, dev, seen)
    assert len(cancelled) == 1 and "has been cancelled" in cancelled[0]
    await _at(bot, datetime(2026, 3, 16, 14, 0, tzinfo=UTC))
    await _at(bot, datetime(2026, 3, 17, 20, 0, tzinfo=UTC))
    assert await _new_texts(telegram, dev, seen) == []
