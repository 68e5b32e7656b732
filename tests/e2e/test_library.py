"""Briefings and the jargon buster in chat, through the sandbox."""

from __future__ import annotations

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import BriefingRead, PartnerQuestion
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import facilitator_then_partner, partner_joins
from tests.factories import make_cohort


async def test_a_partner_pages_through_a_briefing_marks_it_read_and_asks(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    margaret, amina = await facilitator_then_partner(telegram, db, clock, cohort)

    await amina.send("/library")
    await amina.expect("The library")
    await amina.press("How the system works (3)")
    topic = await amina.expect("Tap a briefing to read it")
    assert "How the NHS in England is organised" in str(topic["reply_markup"])
    await amina.press("How the NHS in England is organised · 4 min")
    first = await amina.expect("The big picture")
    assert "Page 1 of" in first["text"] and "Changing:" in first["text"]
    assert "<b>The big picture</b>" in first["html"]
    await amina.press("Next ›")
    second = await amina.expect("Your local system")
    assert second["message_id"] == first["message_id"], "pages turn in place"
    await amina.press("‹ Back")
    await amina.expect("The big picture")
    pages = int(first["text"].split("Page 1 of ")[1].split()[0])
    for _ in range(pages - 1):
        await amina.press("Next ›")
        last = await amina.expect("Page")
    assert "What you can do" in last["text"] and "Got it ✓" in str(last["reply_markup"])
    await amina.press("Got it ✓")
    toast = await amina.expect_toast()
    assert "Marked as read" in toast["callback_answer"]["text"]
    marked = await amina.next_event()
    assert "Read ✓" in str(marked["message"]["reply_markup"])
    with db.transaction() as session:
        assert [r.briefing_id for r in session.exec(select(BriefingRead))] == [
            "how-the-nhs-is-organised"
        ]

    await amina.press("I have a question")
    await amina.expect("What would you like to ask about “How the NHS in England is organised”")
    await amina.send("Who actually decides the budget?")
    thanks = await amina.expect("I've passed your question to Margaret")
    assert "answer will come here" in thanks["text"]
    notice = await margaret.expect("has a question")
    assert "Who actually decides the budget?" in notice["text"]
    with db.transaction() as session:
        question = session.exec(select(PartnerQuestion)).one()
    assert (question.briefing_id, question.page, question.text) == (
        "how-the-nhs-is-organised",
        pages,
        "Who actually decides the budget?",
    )

    await amina.send("/library")
    await amina.expect("The library")
    await amina.press("How the system works (3)")
    ticked = await amina.expect("Tap a briefing")
    assert "✓ How the NHS in England is organised" in str(ticked["reply_markup"])


async def test_explain_finds_terms_plurals_and_near_misses(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/explain ICB")
    icb = await amina.expect("Integrated care board (ICB)")
    assert "plans and pays" in icb["text"]
    await amina.send("/explain icbs")
    await amina.expect("Integrated care board (ICB)")
    await amina.send("/explain intergrated care bord")
    suggestion = await amina.expect("Did you mean")
    assert "Integrated care board" in str(suggestion["reply_markup"])
    await amina.press("Integrated care board (ICB)")
    await amina.expect("plans and pays")
    await amina.send("What is a PCN?")
    await amina.expect("Primary care network")
    await amina.send("/explain")
    await amina.expect("Send /explain and a word")


async def test_an_unknown_word_can_go_to_the_facilitator(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/explain zorblax")
    await amina.expect("I couldn't find “zorblax”")
    await amina.press("Ask my facilitator")
    await amina.expect("I've passed your question")
    with db.transaction() as session:
        question = session.exec(select(PartnerQuestion)).one()
    assert "zorblax" in (question.text or "")


async def test_a_question_can_be_a_voice_note_or_cancelled(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/library")
    await amina.expect("The library")
    await amina.press("Money and decisions (1)")
    await amina.expect("Tap a briefing")
    await amina.press("How money flows in the NHS · 4 min")
    await amina.expect("Page 1 of")
    await amina.press("I have a question")
    await amina.expect("What would you like to ask")
    await amina.press("Cancel")
    await amina.expect("Nothing was sent")
    await amina.press("I have a question")
    await amina.expect("What would you like to ask")
    await amina.send_voice(duration=14)
    await amina.expect("I've passed your question")
    with db.transaction() as session:
        question = session.exec(select(PartnerQuestion)).one()
    assert question.voice_duration == 14 and question.voice_file_id
