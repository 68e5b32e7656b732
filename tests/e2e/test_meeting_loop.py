"""The meeting loop closes (issue 17 part 4), through the sandbox: a facilitator taps Summary
on their last meeting and sees the items partners asked for, the measures' scores and what
the board learned, without partners' names; partners, board members and another cohort's
facilitator cannot open it. A facilitator records what changed about a measure, and the
cohort's partners are told through the outbox."""

from __future__ import annotations

from sqlmodel import select

from bot.db import Database
from bot.domain import measures
from bot.domain.clock import FakeClock
from bot.domain.safeguarding import default_rules
from bot.models import ContributionOutcome, Person, Role
from bot.sandbox import SandboxClient
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox
from tests.factories import make_cohort
from tests.meeting_loop import (
    ASKED,
    DECLINED,
    DIFFERENTLY,
    ITEM_OUTCOME,
    LEARNED,
    MEASURE,
    MEASURE_OUTCOME,
    PARTNER_NAMES,
    WAITING,
    build_loop,
)


def _id(db: Database, name: str) -> int:
    with db.reading() as session:
        return session.exec(select(Person).where(Person.preferred_name == name)).one().id or 0


async def test_a_facilitator_sees_the_meetings_summary_and_others_cannot(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    dev = await person(telegram, db, clock, cohort, "Dev")
    olu = await person(telegram, db, clock, cohort, "Olu", Role.BOARD)
    priya = await person(
        telegram, db, clock, make_cohort(db, clock, "Maternity voices"), "Priya", Role.FACILITATOR
    )
    loop = build_loop(db, clock, cohort, _id(db, "Margaret"))

    await margaret.send("/meetings")
    await margaret.expect("Your last meeting")
    await margaret.press("Summary")
    summary = (await margaret.expect("Summary: Frailty board"))["text"]
    for shown in (ASKED, DECLINED, WAITING, ITEM_OUTCOME, "2 partners backed it", "Decided: 1"):
        assert shown in summary, f"the summary does not show {shown!r}"
    for shown in (MEASURE, "3.0 out of 5, from 2 scores", "1 said", MEASURE_OUTCOME):
        assert shown in summary, f"the summary does not show {shown!r}"
    for shown in ("A clinician", LEARNED, DIFFERENTLY, "This helps: 1", "Would like to talk: 1"):
        assert shown in summary, f"the summary does not show {shown!r}"
    for name in (*PARTNER_NAMES, "Helen"):
        assert name not in summary, f"the summary names {name}"

    summary_data = callbacks.MEETING_SUMMARY(loop.meeting)
    for outsider, refusal in (
        (dev, "only for facilitators and coordinators"),
        (olu, "not open to board members"),
        (priya, "isn't one of yours"),
    ):
        await outsider.send("/help")  # a message of the bot's for the forged press to be on
        await outsider.next_event(types=("message",))
        await outsider.forge_press(summary_data)
        await outsider.expect(refusal)
        assert LEARNED not in await outsider.transcript()


async def test_what_changed_about_a_measure_reaches_the_cohorts_partners(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    outsider = await person(telegram, db, clock, make_cohort(db, clock, "Maternity voices"), "Ola")
    amina_id, margaret_id = _id(db, "Amina"), _id(db, "Margaret")
    with db.transaction() as session:
        idea = measures.propose(
            session, person_id=amina_id, text=MEASURE, clock=clock, rules=default_rules()
        )
        measures.adopt(session, viewer_id=margaret_id, measure_id=idea.id or 0, clock=clock)
    await settle_outbox(bot, db)
    await amina.expect("Your group has chosen what matters")

    await margaret.send("/measures")
    await margaret.expect("Asked each month")
    await margaret.press(f"Record what changed: {MEASURE}")
    await margaret.expect("What changed?")
    await margaret.send("Better letters. " * 150)  # too long: it asks again
    await margaret.expect("Please type what changed")
    await margaret.send(MEASURE_OUTCOME)
    await margaret.expect("I'll tell 2 lay partners what changed")
    await settle_outbox(bot, db)
    for partner in (amina, bill):
        told = await partner.expect("You said, we did")
        assert MEASURE in told["text"] and MEASURE_OUTCOME in told["text"]
        assert "Margaret" in told["text"]
    assert not [m for m in await outsider.bot_messages() if MEASURE_OUTCOME in m["text"]]
    with db.reading() as session:
        [outcome] = session.exec(select(ContributionOutcome)).all()
    assert outcome.measure_id == idea.id and outcome.text == MEASURE_OUTCOME
