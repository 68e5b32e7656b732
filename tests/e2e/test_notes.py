"""Nothing a partner says is lost: words outside any question are kept as notes, and the
partner chooses by buttons where they go (journal, facilitator, pair)."""

from __future__ import annotations

import json

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import ConsentRecord, Note, NoteStatus, PartnerQuestion
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import facilitator_then_partner, partner_joins, staff_joins, tap_through
from tests.factories import make_cohort, make_invite


def _notes(db: Database) -> list[Note]:
    with db.transaction() as session:
        return list(session.exec(select(Note).order_by(Note.id)).all())


async def test_idle_text_is_kept_and_survives_a_restart(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("hello, is anyone there?")
    kept = await amina.expect("I've saved your message")
    labels = [b["text"] for row in kept["reply_markup"]["inline_keyboard"] for b in row]
    assert "Keep it in my journal" in labels and "Send it to my facilitator" in labels
    # A second message straight after joins the first note.
    await amina.send("I wanted to ask about the bus fare.")
    joined = await amina.expect("I added it to the one you sent just before")
    [note] = _notes(db)
    assert note.text == "hello, is anyone there?\n\nI wanted to ask about the bus fare."
    assert note.status == NoteStatus.DRAFT

    await bot.restart()
    await amina.press("Keep it in my journal", message_id=joined["message_id"])
    confirmed = await amina.expect("✓ Keep it in my journal")
    assert confirmed["message_id"] == joined["message_id"] and not confirmed.get("reply_markup")
    await amina.expect("It's in your journal")
    assert _notes(db)[0].status == NoteStatus.JOURNAL

    await amina.send("/journal")
    entry = await amina.expect("Your note")
    assert "I wanted to ask about the bus fare." in entry["text"]
    assert "kept in your journal" in entry["text"]
    await amina.send("/mydata")
    export = await amina.expect("everything Tandem holds about you")
    data = json.loads(await telegram.download(export["document"]["file_id"]))
    assert data["notes"][0]["text"].startswith("hello, is anyone there?")
    assert data["notes"][0]["what_you_did_with_it"] == "journal"


async def test_a_note_can_go_to_the_facilitator_once(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    margaret, amina = await facilitator_then_partner(telegram, db, clock, make_cohort(db, clock))
    await amina.send("Who do I ask about parking at the Civic Centre?")
    kept = await amina.expect("I've saved your message")
    await amina.press("Send it to my facilitator")
    await amina.expect("Sent to Margaret")
    notice = await margaret.expect("Who do I ask about parking")
    assert "Amina" in notice["text"]
    with db.transaction() as session:
        question = session.exec(select(PartnerQuestion)).one()
    assert question.text == "Who do I ask about parking at the Civic Centre?"
    # The same button again (a client that kept it), sends nothing twice.
    data = kept["reply_markup"]["inline_keyboard"][1][0]["callback_data"]
    await amina.forge_press(data)
    toast = await amina.expect_toast()
    assert "already chosen" in toast["callback_answer"]["text"]
    with db.transaction() as session:
        assert len(session.exec(select(PartnerQuestion)).all()) == 1


async def test_a_voice_note_outside_a_question_is_kept(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send_voice(duration=12)
    await amina.expect("I've saved your voice note")
    [note] = _notes(db)
    assert note.voice_file_id and note.voice_duration == 12 and note.text is None


async def test_a_question_typed_at_consent_reaches_the_facilitator_not_the_record(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    margaret = await staff_joins(telegram, db, clock, cohort)
    amina = await telegram.create_user("Amina")
    await amina.send(f"/start {make_invite(db, clock, cohort)}")
    await amina.expect("welcome to Tandem")
    await tap_through(
        amina,
        (
            ("Tell me more", "Your role"),
            ("Next", "How we work together"),
            ("Next", "Payment, expenses and support"),
            ("Next", "What we ask"),
            ("I agree", "Your reflections"),
        ),
    )
    await amina.send("Will my bus fare be paid?")
    await amina.expect("I haven't used it as your answer here")
    again = await amina.expect("May I keep your answers?")
    assert again.get("reply_markup")
    await amina.press("Send it to my facilitator")
    await amina.expect("Sent to Margaret")
    await margaret.expect("Will my bus fare be paid?")
    await amina.press("Yes, keep my answers", message_id=again["message_id"])
    await amina.expect("What would you like me to call you?")
    with db.transaction() as session:
        statements = [r.statement for r in session.exec(select(ConsentRecord)).all()]
    assert statements and all("bus fare" not in s for s in statements)
    assert all("Please tap" not in s and "I've saved" not in s for s in statements)
    [note] = _notes(db)
    assert note.at_step == "onboarding.consent" and note.status == NoteStatus.FACILITATOR
