"""Command menus per role: partners never see facilitator commands."""

from __future__ import annotations

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import onboard_partner, partner_joins, staff_joins
from tests.factories import make_cohort


async def _menu(telegram: SandboxClient, chat_id: int) -> list[str]:
    return [entry["command"] for entry in await telegram.commands_for(chat_id)]


async def test_each_role_sees_its_own_menu(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    stranger = await telegram.create_user("Sam")
    amina = await partner_joins(telegram, db, clock, cohort)
    margaret = await staff_joins(telegram, db, clock, cohort)

    assert await _menu(telegram, stranger.chat_id) == ["start", "help"]
    everyone = [
        "help",
        "library",
        "explain",
        "calendar",
        "settings",
        "language",
        "pause",
        "mydata",
        "stop",
        "forget",
    ]
    partner_menu = await _menu(telegram, amina.chat_id)
    mine = ["reflect", "journal", "meetings", "ask", "pair", "propose", "agenda", "measures"]
    mine += ["record", "book", "champions", "claim"]  # issue 18
    assert partner_menu == [*mine, *everyone]
    staff_only = {"invite", "broadcast", "broadcasts", "review", "questions", "pairs", "dashboard"}
    assert not staff_only & set(partner_menu)
    assert await _menu(telegram, margaret.chat_id) == [
        "meetings",
        "newmeeting",
        "questions",
        "review",
        "broadcast",
        "broadcasts",
        "pairs",
        "invite",
        "dashboard",
        "agenda",
        "measures",
        "attendance",  # issue 18
        "book",  # issue 18: the one-to-one times they host
        "champions",  # issue 18
        *everyone,
    ]


async def test_leaving_puts_the_strangers_menu_back(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/stop")
    await amina.expect("Do you want to leave")
    await amina.press("Yes, leave Tandem")
    await amina.expect("You've left Tandem")
    assert await _menu(telegram, amina.chat_id) == ["start", "help"]


async def test_facilitator_makes_an_invite_in_chat_that_works(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    margaret = await staff_joins(telegram, db, clock, cohort)
    await margaret.send("/invite")
    made = await margaret.expect("Here's an invite link")
    link = next(word for word in made["text"].split() if word.startswith("https://t.me/"))
    assert link.startswith("https://t.me/tandem_test_bot?start=")
    newcomer = await telegram.create_user("Nadia")
    await onboard_partner(newcomer, link.split("start=")[1])
    await margaret.expect("Nadia has joined")
