"""Everyone's own commands: /help, /settings, /pause, /resume, /stop, /mydata, /forget."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Person, PersonStatus
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import (
    facilitator_then_partner,
    partner_joins,
    staff_joins,
    start_and_agree,
    stored_anywhere,
    stored_person,
)
from tests.factories import make_cohort, make_invite


async def test_help_depends_on_the_role(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    amina = await partner_joins(telegram, db, clock, cohort)
    margaret = await staff_joins(telegram, db, clock, cohort)

    await amina.send("/help")
    partner_help = await amina.expect("How I can help")
    assert "/settings" in partner_help["text"] and "/forget" in partner_help["text"]
    assert "/invite" not in partner_help["text"]
    await margaret.send("/help")
    staff_help = await margaret.expect("as a facilitator")
    assert "/invite" in staff_help["text"]


async def test_settings_change_name_time_zone_and_quiet_hours(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    dev = await partner_joins(telegram, db, clock, name="Dev")
    await dev.send("/settings")
    screen = await dev.expect("Your settings")
    assert "Dev" in screen["text"] and "UK time" in screen["text"]
    assert "21:00 to 08:00" in screen["text"]

    await dev.press("Change my name")
    await dev.expect("call you?")
    await dev.send("Devendra")
    saved = await dev.expect("Saved")
    assert "Devendra" in saved["text"]
    await dev.press("Change my time zone")
    await dev.expect("Which time zone")
    await dev.press("Somewhere else")
    await dev.expect("Please type the city")
    await dev.send("lagos")
    saved = await dev.expect("Saved")
    assert "Lagos" in saved["text"]
    await dev.press("Change my quiet hours")
    await dev.expect("When should I stay quiet?")
    await dev.press("No quiet hours")
    saved = await dev.expect("Saved")
    assert "Quiet hours: none" in saved["text"]
    await dev.press("Stop keeping my reflections")
    dropped = await dev.expect("I won't keep your answers")
    assert "Keep my reflections: no" in dropped["text"]
    await dev.press("Done")
    await dev.expect("All done")

    person = stored_person(db, name="Devendra")
    assert person.time_zone == "Africa/Lagos"
    assert person.quiet_start is None and person.quiet_end is None


async def test_a_settings_change_can_be_cancelled(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    dev = await partner_joins(telegram, db, clock, name="Dev")
    await dev.send("/settings")
    await dev.expect("Your settings")
    await dev.press("Change my name")
    await dev.expect("call you?")
    await dev.press("Cancel")
    await dev.expect("All done")
    await dev.send("Not a name change")
    await dev.expect("I've saved your message")  # kept as a note, not taken as a name
    assert stored_person(db, name="Dev").preferred_name == "Dev"


async def test_pause_and_resume(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    dev = await partner_joins(telegram, db, clock, name="Dev")
    await dev.send("/pause")
    await dev.expect("Would you like a break?")
    await dev.press("2 weeks")
    paused = await dev.expect("Paused until")
    person = stored_person(db, name="Dev")
    assert person.paused_until == clock.now() + timedelta(weeks=2)
    assert "16 Mar" in paused["text"]  # the fake clock says 2 March; two weeks on
    await dev.send("/pause")
    await dev.expect("Your messages are paused until")
    await dev.press("Stay paused")
    await dev.expect("still paused")
    await dev.send("/resume")
    await dev.expect("Messages are on again")
    assert stored_person(db, name="Dev").paused_at is None
    await dev.send("/resume")
    await dev.expect("aren't paused")


async def test_stop_needs_confirmation_and_tells_the_facilitator(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    margaret, amina = await facilitator_then_partner(telegram, db, clock, make_cohort(db, clock))
    await margaret.expect("has joined")

    await amina.send("/stop")
    await amina.expect("Do you want to leave Tandem?")
    await amina.press("No, stay")
    await amina.expect("Nothing has changed")
    assert stored_person(db, name="Amina").status == PersonStatus.ACTIVE

    await amina.send("/stop")
    await amina.expect("Do you want to leave Tandem?")
    await amina.press("Yes, leave Tandem")
    await amina.expect("You've left Tandem")
    assert stored_person(db, name="Amina").status == PersonStatus.LEFT
    left = await margaret.expect("has left Tandem")
    assert "Amina" in left["text"]
    await amina.send("/settings")
    refused = await amina.expect("You left Tandem")
    assert "Come back to Tandem" in str(refused["reply_markup"])


async def test_after_stop_the_journal_stays_and_start_brings_the_partner_back(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    margaret, amina = await facilitator_then_partner(telegram, db, clock, make_cohort(db, clock))
    await margaret.expect("has joined")
    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("Write in my journal")
    await amina.expect("What's on your mind?")
    await amina.send("The papers came too late to read.")
    await amina.expect("who can see this reflection?")
    await amina.press("Just me")
    await amina.expect("Who can see it: only you")

    await amina.send("/stop")
    await amina.expect("Do you want to leave Tandem?")
    await amina.press("Yes, leave Tandem")
    done = await amina.expect("You've left Tandem")
    assert "/start" in done["text"]
    await margaret.expect("has left Tandem")
    # Her journal is still hers to read after /stop.
    await amina.send("/journal")
    await amina.expect("The papers came too late to read.")
    # What she says after /stop is kept too, and the way back is shown.
    await amina.send("I miss the group already.")
    kept = await amina.expect("I've saved your message")
    assert "Send it to my facilitator" not in str(kept["reply_markup"])  # she has left
    await amina.expect("You left Tandem")
    await amina.press("Keep it in my journal")
    await amina.expect("It's in your journal")

    clock.advance(timedelta(days=30))
    await amina.send("/start")
    back = await amina.expect("Welcome back, Amina")
    assert "part of Tandem again" in back["text"]
    assert stored_person(db, name="Amina").status == PersonStatus.ACTIVE
    told = await margaret.expect("has come back to Tandem")
    assert "Amina" in told["text"]
    await amina.send("/settings")
    await amina.expect("Your settings")


async def test_an_old_stop_confirmation_expires(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/stop")
    await amina.expect("Do you want to leave Tandem?")
    clock.advance(timedelta(hours=1))
    await amina.press("Yes, leave Tandem")
    await amina.expect("That button has expired")
    assert stored_person(db, name="Amina").status == PersonStatus.ACTIVE


async def test_mydata_sends_everything_stored(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock, typed_name="Amina K")
    await amina.send("/mydata")
    message = await amina.expect("everything Tandem holds about you")
    assert message["document"]["file_name"] == "tandem-my-data.json"
    data = json.loads(await telegram.download(message["document"]["file_id"]))
    assert data["you"]["preferred_name"] == "Amina K"
    assert data["you"]["telegram_user_id"] == amina.id
    assert data["cohorts"] == [{"name": "Frailty pathway", "role": "partner"}]
    assert [c["about"] for c in data["consent"]] == ["expectations", "reflections"]
    assert "May I keep your answers?" in data["consent"][1]["statement"]


async def test_forget_really_erases(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock, database_url: str
) -> None:
    name, typed_city = "Zephyrine Quillfeather", "Ouagadougou"
    amina = await telegram.create_user("Amina")
    code = make_invite(db, clock, make_cohort(db, clock))
    await start_and_agree(amina, code)
    await amina.send(name)
    await amina.expect("Which time zone")
    await amina.press("Somewhere else")
    await amina.expect("Please type the city")
    await amina.send(typed_city)
    await amina.expect("When should I stay quiet?")
    await amina.press("No quiet hours")
    await amina.expect("You're all set")
    assert stored_anywhere(db, database_url, name)

    await amina.send("/forget")
    await amina.expect("Do you want to erase everything")
    await amina.press("No, keep it")
    await amina.expect("nothing has been erased")
    await amina.send("/forget")
    await amina.expect("Do you want to erase everything")
    await amina.press("Yes, erase everything")
    await amina.expect("has been erased")

    await bot.stop()  # let the bot close its connections, as a real process would
    for secret in (name, typed_city, "Africa/Ouagadougou", str(amina.id)):
        assert not stored_anywhere(db, database_url, secret), secret
    with db.transaction() as session:
        erased = session.exec(select(Person)).one()
    assert erased.status == PersonStatus.ERASED and erased.preferred_name is None
    await bot.start()
    await amina.send("/mydata")
    await amina.expect("I don't hold any information about you")
    assert await telegram.commands_for(amina.chat_id) == [
        {"command": "start", "description": "Join with your invite link"},
        {"command": "help", "description": "What I can do, and how to get help"},
    ]
