"""The champion buttons the forged-buttons scenario collects (issue 18): Margaret asks Amina
to be a champion and offers her to Bill as a mentor; each of them sees their own buttons."""

from __future__ import annotations

from bot.db import Database
from bot.sandbox import ChatUser
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.forged_presses import deeper, keyboards, step
from tests.e2e.journeys import settle_outbox


async def champion_buttons(
    bot: BotHarness, db: Database, margaret: ChatUser, amina: ChatUser, bill: ChatUser
) -> set[str]:
    """Every champion and mentoring button Margaret, Amina and Bill are sent on the way."""
    k = callbacks
    found = await step(margaret, "/champions", "No champions yet")
    found = await deeper(margaret, found, k.CHAMPION_CANDIDATES)
    await margaret.press("Ask Amina")
    await margaret.expect("I've asked Amina")
    await settle_outbox(bot, db)
    await amina.expect("Would you like to be a champion?")
    found |= await keyboards(amina)
    await amina.press("Yes, I'd like to")
    await amina.expect("You're now a champion")
    found |= await step(margaret, "/champions", "New partners without a mentor: Bill")
    found = await deeper(margaret, found, k.MENTOR_CHOOSE)
    await margaret.press("Amina")
    await margaret.expect("I've offered Amina to Bill")
    await settle_outbox(bot, db)
    await bill.expect("Would you like a mentor?")
    found |= await keyboards(bill)
    await bill.press("Yes, please")
    await bill.expect("Meet your mentor: Amina")
    await settle_outbox(bot, db)
    await amina.expect("Meet Bill, the new partner")
    found |= await step(amina, "/champions", "You're a champion")
    found |= await step(bill, "/champions", "Your mentor is Amina")
    return found | await step(margaret, "/champions", "mentoring Bill")
