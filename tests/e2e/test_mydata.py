"""/mydata end to end: the data file and a page a person can read, with what they changed."""

from __future__ import annotations

import json

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import AccountChange
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import partner_joins, stored_anywhere


async def test_mydata_sends_the_data_and_a_page_to_read_and_forget_leaves_no_history(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock, database_url: str
) -> None:
    amina = await partner_joins(telegram, db, clock, typed_name="Amina Q")
    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("After the meeting · 5 min")
    await amina.expect("question 1 of 7")
    await amina.press("5")
    await amina.expect("Did you feel like an equal partner")
    await amina.press("4")
    await amina.expect("What did you learn?")
    await amina.send("The board reads every story")
    for question in ("surprise you", "do differently", "raise at the next", "troubling you"):
        await amina.expect(question)
        await amina.press("Skip")
    await amina.expect("who can see this reflection?")
    await amina.press("Just me")
    await amina.expect("Thank you, Amina")
    await amina.send("/pause")
    await amina.expect("Would you like a break?")
    await amina.press("1 week")
    await amina.expect("Paused until")
    await amina.send("/settings")
    await amina.expect("Your settings")
    await amina.press("Change my time zone")
    await amina.expect("Which time zone")
    await amina.press("Somewhere else")
    await amina.expect("Please type the city")
    await amina.send("Ouagadougou")
    await amina.expect("Saved")

    await amina.send("/mydata")
    data_file = await amina.expect("everything Tandem holds about you")
    page_file = await amina.expect("same record, easy to read")
    assert data_file["document"]["file_name"] == "tandem-my-data.json"
    assert page_file["document"]["file_name"] == "tandem-my-data.html"
    data = json.loads(await telegram.download(data_file["document"]["file_id"]))
    changed = [(c["what"], c["to"]) for c in data["changes_you_made"]]
    assert ("time_zone", "Africa/Ouagadougou") in changed
    assert "pause" in [what for what, _ in changed]
    page = (await telegram.download(page_file["document"]["file_id"])).decode()
    assert "Overall, how did the meeting go for you?" in page
    assert "5 out of 5: Very well" in page
    assert "The board reads every story" in page
    assert "You paused messages until Mon 9 Mar 2026" in page
    assert "to Africa/Ouagadougou." in page
    assert "Skipped" in page  # the questions she skipped say so
    assert "how_it_went" not in page

    await amina.send("/forget")
    await amina.expect("Do you want to erase everything")
    await amina.press("Yes, erase everything")
    await amina.expect("has been erased")
    await bot.stop()
    for secret in ("Africa/Ouagadougou", "The board reads every story", "Amina Q"):
        assert not stored_anywhere(db, database_url, secret), secret
    with db.transaction() as session:
        assert session.exec(select(AccountChange)).all() == []
