"""The attendance and record buttons the forged-buttons scenario collects (issue 18): a
meeting's attendance sheet and its buttons, an endorsement written from /attendance and
offered to Amina, and Amina's own achievements on /record."""

from __future__ import annotations

from bot.db import Database
from bot.sandbox import ChatUser
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.forged_presses import deeper, keyboards, step
from tests.e2e.journeys import settle_outbox


async def attendance_buttons(
    bot: BotHarness, db: Database, margaret: ChatUser, amina: ChatUser
) -> set[str]:
    """Every attendance and record button Margaret and Amina are sent on the way."""
    k = callbacks
    found = await step(margaret, "/attendance", "Who came to each meeting")
    found = await deeper(margaret, found, k.ATTENDANCE_SHEET, k.ENDORSE_LIST)
    await margaret.forge_press(sorted(d for d in found if k.ENDORSE.parse(d))[0])
    await margaret.expect("What would you like to say about")
    await margaret.send("Amina spoke up for carers at every board.")
    await margaret.expect("It goes on their record only if they agree")
    await settle_outbox(bot, db)
    await amina.expect("wrote this about you")
    found |= await step(amina, "/record", "Your record of contribution")
    await amina.press("Add an achievement")
    await amina.expect("What did you do?")
    await amina.send("Spoke at the board")
    await amina.expect("Would you like to add one line")
    await amina.press("No, that's all")
    await amina.expect("Added to your record")
    return found | await keyboards(amina) | await keyboards(margaret)
