"""The longest message Telegram allows reaches the person it is for: a 4,096-character
question arrives whole in the facilitator's chat (split between paragraphs, as Telegram
takes at most 4,096 characters a message), on SQLite and on PostgreSQL."""

from __future__ import annotations

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Role
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox
from tests.factories import make_cohort

LONGEST = 4096


async def test_a_question_of_the_longest_length_reaches_the_facilitator_whole(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    question = ("Who decides the budget? " * 200)[: LONGEST - 12] + "END-OF-WORDS"
    assert len(question) == LONGEST
    await amina.send("/ask")
    await amina.expect("question")
    await amina.send(question)
    await amina.expect("Thank")
    await settle_outbox(bot, db)
    said = "".join(m.get("text") or "" for m in await margaret.bot_messages())
    assert "Amina" in said
    assert "END-OF-WORDS" in said, "the end of the question arrived"
    assert question.replace(" ", "") in said.replace(" ", "").replace("\n", "")
