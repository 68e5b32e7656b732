"""Reflection conversations end to end: buttons, text, voice, skips, restarts and privacy."""

from __future__ import annotations

import json

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Answer, Reflection, ReflectionStatus, Sharing
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import facilitator_then_partner, partner_joins, stored_anywhere
from tests.factories import make_cohort, make_invite


async def test_the_debrief_mixing_buttons_text_voice_and_a_skip_survives_a_restart(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock, database_url: str
) -> None:
    cohort = make_cohort(db, clock)
    margaret, amina = await facilitator_then_partner(telegram, db, clock, cohort)

    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("After the meeting · 5 min")
    first = await amina.expect("question 1 of 7")  # the set's opening words come with it
    assert "How did the meeting go?" in first["text"]
    assert "1 = Not well, 5 = Very well" in first["text"]
    await amina.press("4")
    await amina.expect("Did you feel like an equal partner")
    await amina.press("2")
    follow_up = await amina.expect("Would you like a facilitator to get in touch")
    assert "question 3 of 8" in follow_up["text"]
    await amina.press("Yes")
    await amina.expect("What did you learn?")
    await amina.send("Who sits on the board, and that they listen to stories 🙂")
    await amina.expect("Did anything surprise you?")

    await bot.restart()  # killed and restarted mid-set
    await amina.send_voice(duration=21)
    await amina.expect("anything you would do differently")
    await amina.press("Skip")
    await amina.expect("raise at the next meeting")
    await bot.restart()
    await amina.send("/reflect")
    carry = await amina.expect("You have a reflection you haven't finished")
    assert "After the meeting" in carry["text"]
    await amina.press("Carry on")
    await amina.expect("raise at the next meeting")
    await amina.send("🙂👍")  # emoji-only answers are answers too
    await amina.expect("Is anything troubling you")
    await amina.press("Skip")
    await amina.expect("who can see this reflection?")
    await amina.press("My facilitators (suggested)")
    done = await amina.expect("Thank you, Amina")
    assert "I've asked your facilitator to get in touch" in done["text"]
    await margaret.expect("would like a facilitator to get in touch")

    with db.transaction() as session:
        reflection = session.exec(select(Reflection)).one()
        answers = {a.question_id: a for a in session.exec(select(Answer))}
    assert reflection.status == ReflectionStatus.FINISHED
    assert reflection.sharing == Sharing.FACILITATORS and reflection.wants_contact
    assert answers["how_it_went"].number == 4 and answers["equal_partner"].number == 2
    assert json.loads(answers["get_in_touch"].choices or "[]") == ["yes"]
    assert answers["learned"].text == "Who sits on the board, and that they listen to stories 🙂"
    assert answers["surprised"].voice_duration == 21 and answers["surprised"].voice_file_id
    assert answers["differently"].skipped and answers["raise_next"].text == "🙂👍"

    await amina.send("/journal")
    entry = await amina.expect("After the meeting")
    assert "Entry 1 of 1" in entry["text"] and "seen by your facilitators" in entry["text"]
    assert "4 out of 5" in entry["text"] and "Voice note (0:21)" in entry["text"]
    await amina.send("/mydata")
    export = await amina.expect("everything Tandem holds about you")
    data = json.loads(await telegram.download(export["document"]["file_id"]))
    assert data["reflections"][0]["title"] == "After the meeting"
    assert any(a["text"] == "🙂👍" for a in data["reflections"][0]["answers"])

    secret = "that they listen to stories"
    assert stored_anywhere(db, database_url, secret)
    await amina.send("/forget")
    await amina.expect("Do you want to erase everything")
    await amina.press("Yes, erase everything")
    await amina.expect("has been erased")
    await bot.stop()
    assert not stored_anywhere(db, database_url, secret)
    with db.transaction() as session:
        assert session.exec(select(Reflection)).all() == []
        assert session.exec(select(Answer)).all() == []


async def test_bad_input_while_a_question_waits(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("Write in my journal")
    await amina.expect("What's on your mind?")
    await amina.send_sticker()
    sticker = await amina.expect("Thanks for the sticker. I can't keep that as an answer")
    assert "What's on your mind?" in sticker["text"]
    await amina.send_photo()
    await amina.expect("Thanks for the photo")
    # Nearly as long as one Telegram message: with the question above it, too long for one.
    long_answer = "I want to say this properly. " * 142
    await amina.send(long_answer[:4090])
    await amina.expect("who can see this reflection?")
    await amina.press("Just me")
    await amina.expect("Who can see it: only you")
    with db.transaction() as session:
        stored = session.exec(select(Answer)).one()
    assert stored.text == long_answer[:4090].strip()
    # Read back, it is longer than one Telegram message can hold: it arrives in two.
    await amina.send("/journal")
    first = await amina.expect("Journal entry")
    second = await amina.next_event()
    assert not first["reply_markup"] and second["message"]["reply_markup"]
    whole = first["text"] + second["message"]["text"]
    sentence = "I want to say this properly."
    assert whole.count(sentence) == (stored.text or "").count(sentence) == 141


async def test_old_buttons_after_moving_on_are_explained(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("Monthly check-in · 4 min")
    first = await amina.expect("How confident do you feel")
    await amina.send("3")  # typed: the first question loses its buttons...
    await amina.expect("Which of these have you grown in")
    # ...but a client that kept them on screen can still send one: explained, changes nothing.
    keyboard = first["reply_markup"]["inline_keyboard"]
    await amina.forge_press(
        next(b["callback_data"] for r in keyboard for b in r if b["text"] == "5")
    )
    toast = await amina.expect_toast()
    assert "already moved on" in toast["callback_answer"]["text"]
    await amina.expect("Which of these have you grown in")
    await amina.press("☐ Reading board papers")
    ticked = (await amina.next_event())["message"]
    assert "☑ Reading board papers" in str(ticked["reply_markup"])
    await amina.press("Done", message_id=ticked["message_id"])
    await amina.expect("Anything else you've learned")
    await amina.press("‹ Back")
    back = await amina.expect("Which of these have you grown in")
    assert "☑ Reading board papers" in str(back["reply_markup"])
    await amina.press("Finish later")
    await amina.expect("Your answers so far are saved")
    await amina.send("/reflect")
    await amina.expect("You have a reflection you haven't finished")
    await amina.press("Throw it away")
    await amina.expect("I've thrown that reflection away")


async def test_no_reflections_without_consent(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    tomasz = await telegram.create_user("Tomasz")
    await tomasz.send(f"/start {make_invite(db, clock, make_cohort(db, clock))}")
    await tomasz.expect("welcome to Tandem")
    for label, expected in (
        ("Tell me more", "Your role"),
        ("Next", "How we work"),
        ("Next", "Payment"),
        ("Next", "What we ask"),
        ("I agree", "Your reflections"),
        ("No, don't keep them", "call you?"),
        ("Call me Tomasz", "Which time zone"),
        ("UK time", "stay quiet"),
        ("No quiet hours", "You're all set"),
    ):
        await tomasz.press(label)
        await tomasz.expect(expected)
    await tomasz.send("/reflect")
    await tomasz.expect("You chose not to have your answers kept")
    await tomasz.press("Keep my reflections")
    await tomasz.expect("I'll keep your answers from now on")
    await tomasz.send("/reflect")
    await tomasz.expect("What would you like to reflect on?")
