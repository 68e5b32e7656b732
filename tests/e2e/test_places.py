"""Places typed for a time zone, end to end through the sandbox: the bot says back the place
it found, the zone and the time there now, with a button to change it; misspelt places get
suggestions to tap; unknown ones a kind answer with a way on (issue 15, point 5)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from bot.db import Database
from bot.domain import places
from bot.domain.clock import FakeClock
from bot.sandbox import ChatUser, SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import partner_joins, start_and_agree, stored_person
from tests.factories import make_cohort, make_invite


def _labels(message: dict[str, object]) -> list[str]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [button["text"] for row in markup.get("inline_keyboard", []) for button in row]


async def _at_time_zone_step(telegram: SandboxClient, db: Database, clock: FakeClock) -> ChatUser:
    dev = await telegram.create_user("Dev")
    await start_and_agree(dev, make_invite(db, clock, make_cohort(db, clock)))
    await dev.press("Call me Dev")
    await dev.expect("Which time zone")
    return dev


async def test_onboarding_says_back_a_typed_town_and_its_time_and_it_can_be_changed(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.advance(timedelta(hours=1, minutes=15))  # 10:15 in London (GMT), 05:15 in New York
    dev = await _at_time_zone_step(telegram, db, clock)
    await dev.press("Somewhere else")
    await dev.expect("Please type the city")
    await dev.send("Manchester")
    said = await dev.expect("Got it: Manchester, UK")
    assert "UK time: it's 10:15 there now" in said["text"]
    assert _labels(said) == ["Change time zone"]
    await dev.expect("When should I stay quiet?")

    await dev.press("Change time zone")
    await dev.expect("Which time zone")
    await dev.send("new york")
    said = await dev.expect("Got it: New York City, USA")
    assert "New York time: it's 05:15 there now" in said["text"]
    await dev.expect("When should I stay quiet?")
    await dev.press("No quiet hours")
    await dev.expect("You're all set")
    assert stored_person(db, telegram_user_id=dev.id).time_zone == "America/New_York"


async def test_a_tapped_zone_is_said_back_too_and_changing_it_later_is_a_settings_change(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    dev = await _at_time_zone_step(telegram, db, clock)
    await dev.press("UK time")
    said = await dev.expect("UK time: it's 09:00 there now")
    # Said back under the question it answers (an edit: no extra message to wait for).
    assert "Which time zone" in said["text"] and "✓ UK time" in said["text"]
    assert _labels(said) == ["Change time zone"]
    await dev.expect("When should I stay quiet?")
    await dev.press("No quiet hours")
    await dev.expect("You're all set")
    # The button under the zone said back still works once onboarding is over. (The zone is
    # said back under the question it answered, so that message is confirmed first.)
    await dev.press("Change time zone", message_id=said["message_id"])
    await dev.expect("✓ Change time zone")
    asked = await dev.expect("Which time zone")
    assert "Cancel" in _labels(asked)
    await dev.send("Poland")
    saved = await dev.expect("Saved")
    assert "Got it: Poland" in saved["text"]
    assert "Warsaw time: it's 10:00 there now" in saved["text"]
    assert stored_person(db, telegram_user_id=dev.id).time_zone == "Europe/Warsaw"


async def test_settings_say_back_the_place_and_a_country_with_several_zones_says_so(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    dev = await partner_joins(telegram, db, clock, name="Dev")
    await dev.send("/settings")
    await dev.expect("Your settings")
    await dev.press("Change my time zone")
    await dev.expect("Which time zone")
    await dev.send("USA")
    saved = await dev.expect("Saved")
    assert "Got it: USA" in saved["text"]
    assert "more than one time zone, so I'll use the capital's" in saved["text"]
    assert "New York time: it's 04:00 there now" in saved["text"]
    assert "Tap Change my time zone" in saved["text"]
    await dev.press("Change my time zone")
    await dev.expect("Which time zone")
    await dev.send("Manchester")
    saved = await dev.expect("Saved")
    assert "Got it: Manchester, UK" in saved["text"]
    assert "UK time: it's 09:00 there now" in saved["text"]
    assert stored_person(db, telegram_user_id=dev.id).time_zone == "Europe/London"


async def test_a_misspelt_place_offers_the_places_meant_as_buttons(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    dev = await _at_time_zone_step(telegram, db, clock)
    await dev.send("Manchestr")
    sorry = await dev.expect('I don\'t recognise "Manchestr"')
    assert "Did you mean Manchester, UK" in sorry["text"]
    assert _labels(sorry)[0] == "Manchester, UK"
    assert "UK time" in _labels(sorry)  # the way on without typing
    await dev.press("Manchester, UK")
    await dev.expect("Got it: Manchester, UK")
    await dev.expect("When should I stay quiet?")
    assert stored_person(db, telegram_user_id=dev.id).time_zone == "Europe/London"


async def test_a_place_hiding_a_bigger_namesake_names_it_and_the_country_picks_it(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    dev = await _at_time_zone_step(telegram, db, clock)
    await dev.send("Perth")
    said = await dev.expect("Got it: Perth, UK")
    assert "Did you mean Perth, Australia?" in said["text"]
    await dev.press("Change time zone")
    await dev.expect("Which time zone")
    await dev.send("Perth, Australia")
    said = await dev.expect("Got it: Perth, Australia")
    assert "Perth time: it's 17:00 there now" in said["text"]
    assert stored_person(db, telegram_user_id=dev.id).time_zone == "Australia/Perth"


async def test_a_started_bot_reads_the_gazetteer_before_anyone_types_a_place(
    bot: BotHarness, unread_gazetteer: Callable[[], None]
) -> None:
    """Read on first use, its half second of Python held up every chat while a crowd was
    onboarding (issue 16): `tandem run` reads it in the background once it has started."""
    await bot.restart()
    await asyncio.to_thread(unread_gazetteer)  # wait for the reading it began, if any
    assert places._loaded, "nothing read the gazetteer"
    assert places.find("Manchester") is not None
