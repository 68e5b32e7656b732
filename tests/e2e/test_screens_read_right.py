"""Screens read right end to end (issue 15, point 4): what the template test cannot see,
because the code chose the values: counts, labels rendered twice, who wrote a reflection."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Role
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, stored_person
from tests.factories import make_cohort, make_meeting, make_reflection


async def test_a_reflection_counts_only_the_answered_questions_and_marks_optional_ones(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    amina = await person(telegram, db, clock, cohort, "Amina")

    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("After the meeting · 5 min")
    first = await amina.expect("question 1 of 7")
    assert "optional" not in first["text"].split("\n")[0]
    await amina.press("4")
    await amina.expect("Did you feel like an equal partner")
    await amina.press("4")
    learned = await amina.expect("What did you learn?")
    assert "question 3 of 7 · optional" in learned["text"]
    for question in ("surprise you", "do differently", "raise at the next", "troubling you"):
        await amina.press("Skip")
        await amina.expect(question)
    await amina.press("Skip")
    await amina.expect("who can see this reflection?")
    await amina.press("Just me")
    done = await amina.expect("Thank you, Amina")
    assert "You answered 2 questions." in done["text"]


async def test_the_journal_asks_for_a_voice_note_once(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    amina = await person(telegram, db, clock, cohort, "Amina")

    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("Write in my journal")
    asked = await amina.expect("What's on your mind?")
    assert asked["text"].count("voice note") == 1


async def test_a_cohort_with_an_ampersand_is_named_once_escaped_in_a_broadcast(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock, name="Heart & Lungs <North>")
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    await person(telegram, db, clock, cohort, "Amina")

    await margaret.send("/broadcast")
    await margaret.expect("Who is this message for?")
    await margaret.press("Everyone in Heart & Lungs <North>")
    write = await margaret.expect("Type your message for")
    assert "for everyone in Heart & Lungs <North> (1 person)" in write["text"]
    await margaret.send("See you on Thursday.")
    ready = await margaret.expect("Ready to send to")
    assert "Ready to send to everyone in Heart & Lungs <North>?" in ready["text"]
    await margaret.press("Send now to 1 person")
    await margaret.expect("Sent to the outbox")
    await margaret.send("/broadcasts")
    card = await margaret.expect("To everyone in")
    assert card["text"].startswith("To everyone in Heart & Lungs <North> · ")
    assert "&amp;" not in card["text"]


async def test_an_anonymised_reflection_shows_no_author_and_no_none(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    await person(telegram, db, clock, cohort, "Amina")
    make_reflection(
        db,
        clock,
        stored_person(db, name="Amina").id or 0,
        {"how_it_went": 2, "equal_partner": 3, "raise_next": "More time for questions"},
        sharing="anonymised",
    )

    await margaret.send("/review")
    card = await margaret.expect("More time for questions")
    first, second = card["text"].split("\n")[:2]
    assert first.startswith("After the meeting · anonymised · ")
    assert second.startswith("Reflection 1")
    assert "None" not in card["text"] and "Amina" not in card["text"]


async def test_a_meeting_more_than_six_months_away_shows_its_year(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)  # Monday 2 March 2026
    cohort = make_cohort(db, clock)
    amina = await person(telegram, db, clock, cohort, "Amina")
    make_meeting(
        db, clock, cohort, title="Summer board", starts_at=datetime(2026, 7, 2, 13, 0, tzinfo=UTC)
    )
    make_meeting(
        db, clock, cohort, title="Winter board", starts_at=datetime(2026, 11, 10, 14, 0, tzinfo=UTC)
    )

    await amina.send("/meetings")
    summer = await amina.expect("Summer board")
    assert "Thu 2 Jul, 14:00 to 16:00 (UK time)" in summer["text"]  # summer time, both ends
    winter = await amina.expect("Winter board")
    assert "Tue 10 Nov 2026, 14:00 to 16:00 (UK time)" in winter["text"]
