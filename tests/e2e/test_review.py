"""Facilitators on the phone: questions answered, shared reflections reviewed (flag, reply),
and "you said, we did" telling a partner what happened to their contribution. Private
reflections never appear."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import ContributionOutcome, PartnerQuestion, QuestionStatus, Reflection, Role
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, stored_person
from tests.factories import make_cohort, make_meeting, make_reflection


def _person_id(db: Database, name: str) -> int:
    return stored_person(db, name=name).id or 0


async def test_a_question_from_a_briefing_is_answered_from_the_facilitators_phone(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")

    await amina.send("/library")
    await amina.expect("The library")
    await amina.press("How the system works (3)")
    await amina.expect("Tap a briefing to read it")
    await amina.press("How the NHS in England is organised · 4 min")
    await amina.expect("The big picture")
    await amina.press("I have a question")
    await amina.expect("What would you like to ask")
    await amina.send("Who decides how the budget is split?")
    await amina.expect("I've passed your question to Margaret")

    notice = await margaret.expect("Amina has a question")
    assert "Who decides how the budget is split?" in notice["text"]
    await margaret.press("Reply")
    await margaret.expect("Type your answer to")
    await margaret.send("The integrated care board, at its March meeting. I'll show you the paper.")
    await margaret.expect("Your answer is on its way")

    answer = await amina.expect("Margaret has answered your question")
    assert "The integrated care board, at its March meeting" in answer["text"]
    assert "Who decides how the budget is split?" in answer["text"]
    with db.transaction() as session:
        question = session.exec(select(PartnerQuestion)).one()
    assert question.status == QuestionStatus.ANSWERED
    assert question.answer and question.answer.startswith("The integrated care board")

    await margaret.send("/questions")
    await margaret.expect("No questions are waiting")


async def test_unanswered_questions_are_listed_and_facilitators_reminded_after_48_hours(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    await amina.send("/ask")
    await amina.expect("What would you like to ask")
    await amina.send("Can I bring my carer to the board?")
    await margaret.expect("Amina has a question")

    await margaret.send("/questions")
    await margaret.expect("1 question waiting")
    card = await margaret.expect("Amina asks")
    assert "Can I bring my carer to the board?" in card["text"]

    clock.set(NOW + timedelta(hours=47))
    await bot.tick()
    await margaret.expect_silence(0.5)
    clock.set(NOW + timedelta(hours=49))
    await bot.tick()
    reminder = await margaret.expect("waiting 49 hours for an answer")
    assert "Can I bring my carer to the board?" in reminder["text"]
    clock.set(NOW + timedelta(hours=60))
    await bot.tick()
    await margaret.expect_silence(0.5)


async def test_flag_reply_and_you_said_we_did(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    other = make_cohort(db, clock, name="Maternity voices")
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    priya = await person(telegram, db, clock, other, "Priya", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    await person(telegram, db, clock, cohort, "Bill")
    board = make_meeting(
        db, clock, cohort, title="Frailty board", starts_at=NOW + timedelta(days=1)
    )
    make_reflection(
        db,
        clock,
        _person_id(db, "Amina"),
        {"how_it_went": 3, "equal_partner": 4, "raise_next": "Clinic hours are too short"},
        meeting_id=board.id,
    )
    make_reflection(
        db,
        clock,
        _person_id(db, "Bill"),
        {"how_it_went": 2, "equal_partner": 4, "troubling": "my private worry"},
        sharing="private",
    )

    await priya.send("/review")
    await priya.expect("There are no shared reflections to read here yet")

    await margaret.send("/review")
    card = await margaret.expect("After the meeting · Amina")
    assert "Clinic hours are too short" in card["text"]
    assert "my private worry" not in card["text"] and "Bill" not in card["text"]
    await margaret.press("🚩 Flag for follow-up")
    flagged = await margaret.expect("flagged for follow-up")
    assert "Remove flag" in str(flagged["reply_markup"])
    with db.transaction() as session:
        reflection = session.exec(select(Reflection).where(Reflection.meeting_id == board.id)).one()
    assert reflection.flagged_at is not None

    await margaret.press("Reply")
    await margaret.expect("Type your reply")
    await margaret.send("Thank you, Amina. I'll take this to the board tomorrow.")
    await margaret.expect("Your reply is on its way")
    reply = await amina.expect("A message from Margaret, your facilitator")
    assert "I'll take this to the board tomorrow" in reply["text"]

    await margaret.press("You said, we did")
    await margaret.expect("What happened because of this?")
    await margaret.send("The board agreed to open the clinic on Saturday mornings.")
    await margaret.expect("Which meeting did it happen at?")
    await margaret.press("Frailty board · Tue 3 Mar")
    await margaret.expect("The partner will hear what happened")
    told = await amina.expect("You said, we did")
    assert "At Frailty board (03 March 2026)" in told["text"]
    assert "open the clinic on Saturday mornings" in told["text"]
    assert "Clinic hours are too short" in told["text"]
    with db.transaction() as session:
        outcome = session.exec(select(ContributionOutcome)).one()
    assert outcome.meeting_id == board.id and outcome.recorded_by == _person_id(db, "Margaret")
