"""Every tap is confirmed in place: the question shows the answer given and loses its
buttons; a typed answer takes the buttons off the question it answered."""

from __future__ import annotations

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import partner_joins


async def test_a_tapped_answer_is_shown_in_the_question(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("After the meeting · 5 min")
    question = await amina.expect("question 1 of 7")
    await amina.press("4")
    edited = await amina.expect("✓ 4 out of 5")
    assert edited["message_id"] == question["message_id"]
    assert "how did the meeting go for you?" in edited["text"] and not edited.get("reply_markup")
    await amina.expect("Did you feel like an equal partner")


async def test_a_typed_answer_takes_the_buttons_off_its_question(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("Write in my journal")
    asked = await amina.expect("What's on your mind?")
    assert asked.get("reply_markup"), "the question offers buttons (such as Finish later)"
    await amina.send("The chair listened to us today.")
    cleared = await amina.expect("What's on your mind?")
    assert cleared["message_id"] == asked["message_id"] and not cleared.get("reply_markup")
    await amina.expect("who can see this reflection?")
