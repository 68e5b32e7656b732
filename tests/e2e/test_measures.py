"""What matters to us (issue 17), through the sandbox: a cohort suggests and votes measures,
the facilitator adopts three (the group is told, with the votes), the next monthly check-in
asks them, and the ratings are stored; another cohort's partner cannot vote; /forget erases
votes and ratings."""

from __future__ import annotations

from sqlmodel import col, select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Answer, Measure, MeasureStatus, MeasureVote, Person, Role
from bot.sandbox import ChatUser, SandboxClient
from bot.sandbox.common import JSONDict
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import person, settle_outbox
from tests.factories import make_cohort

IDEAS = (
    "Discharge letters are in plain English",
    "Staff listen to carers",
    "Appointments run on time",
    "Parking is free for carers",
)


def _measures(db: Database) -> list[Measure]:
    with db.reading() as session:
        return list(session.exec(select(Measure).order_by(col(Measure.id))).all())


def _votes(db: Database) -> int:
    with db.reading() as session:
        return len(session.exec(select(MeasureVote)).all())


async def _suggest(user: ChatUser, text: str) -> None:
    await user.send("/measures")
    await user.expect("What matters to us")
    await user.press("Suggest an idea")
    await user.expect("Type it as one short sentence")
    await user.send(text)
    await user.expect("Your idea is now open to votes")


async def _vote(user: ChatUser, measure_id: int) -> JSONDict:
    await user.press(callbacks.MEASURE_VOTE(measure_id, "yes"))
    return await user.expect("Your vote has gone to")


async def _adopt(margaret: ChatUser, measure: Measure, votes: int) -> None:
    await margaret.send("/measures")
    await margaret.expect("Ideas, most votes first")
    await margaret.press(callbacks.MEASURE_RUN(measure.id or 0, "adopt"))
    await margaret.expect(f"It has {votes} vote")
    await margaret.press("Yes, adopt it")
    await margaret.expect(f"Adopted: “{measure.text}”")


async def _check_in(amina: ChatUser) -> None:
    """The monthly check-in, answered by taps, up to its measures."""
    await amina.send("/reflect")
    await amina.expect("Time to reflect")
    await amina.press(callbacks.REFLECT("monthly-check-in"))
    await amina.expect("How confident do you feel")
    await amina.press("4")
    await amina.expect("Which of these have you grown in")
    await amina.press("Skip")
    await amina.expect("Anything else you've learned")
    await amina.press("Skip")
    await amina.expect("What support would help you most")
    await amina.press("I'm fine for now")
    await amina.expect("How are you feeling about the role")
    await amina.press("4")


async def test_a_cohort_chooses_measures_and_the_check_in_asks_them(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort, other = make_cohort(db, clock), make_cohort(db, clock, "Stroke services")
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    olu = await person(telegram, db, clock, other, "Olu")
    with db.reading() as session:
        bill_id = session.exec(select(Person.id).where(Person.telegram_user_id == bill.id)).one()

    await amina.send("/measures")
    await amina.expect("no ideas to vote on yet")
    for user, text in zip((amina, amina, bill, bill), IDEAS, strict=True):
        await _suggest(user, text)
    ideas = _measures(db)
    assert [m.text for m in ideas] == list(IDEAS)
    # Bill votes with his three votes, then moves one.
    for idea in ideas[:3]:
        await _vote(bill, idea.id or 0)
    await bill.press(callbacks.MEASURE_VOTE(ideas[3].id or 0, "yes"))
    await bill.expect("You've used all 3 of your votes")
    await bill.press(callbacks.MEASURE_VOTE(ideas[2].id or 0, "no"))
    await bill.expect("You took your vote back")
    await _vote(bill, ideas[3].id or 0)
    listing = await _vote(amina, ideas[0].id or 0)
    assert "Votes you have left: 2 out of 3" in listing["text"]
    assert "Discharge letters are in plain English (2 votes) ✓ your vote" in listing["text"]
    assert "Bill" not in listing["text"] and "Amina" not in listing["text"]

    # A partner of another cohort cannot vote, even with forged buttons.
    before = _votes(db)
    await olu.send("/measures")
    assert IDEAS[0] not in (await olu.expect("no ideas to vote on yet"))["text"]
    await olu.forge_press(callbacks.MEASURE_VOTE(ideas[0].id or 0, "yes"))
    await olu.expect("I can't find that idea")
    await olu.forge_press(callbacks.MEASURE_RUN(ideas[0].id or 0, "Adopt"))
    await olu.expect("only for facilitators and coordinators")
    assert _votes(db) == before

    for idea, votes in zip(ideas[:3], (2, 1, 0), strict=True):
        await _adopt(margaret, idea, votes)
    adopted = [m for m in _measures(db) if m.status == MeasureStatus.ADOPTED]
    assert [m.votes_at_adoption for m in adopted] == [2, 1, 0]
    await settle_outbox(bot, db)
    told = await amina.expect("Your group has chosen what matters")
    assert told["text"].count("vote") == 1  # each adoption is told with its votes

    await _check_in(amina)
    asked = await amina.expect("How true was this for you this month?")
    assert IDEAS[0] in asked["text"] and "Your name is never shown" in asked["text"]
    await amina.press("5")
    await amina.expect(f"Anything to add about “{IDEAS[0]}”")
    await amina.send("Mine was clear and kind")
    await amina.expect(IDEAS[1])
    await amina.press("Don't know")
    await amina.expect(f"Anything to add about “{IDEAS[1]}”")
    await amina.press("Skip")
    await amina.expect(IDEAS[2])
    await amina.press("2")
    await amina.expect(f"Anything to add about “{IDEAS[2]}”")
    await amina.press("Skip")
    await amina.expect("who can see this reflection?")
    await amina.press("My facilitators (suggested)")
    await amina.expect("Thank you")
    with db.reading() as session:
        ratings = {
            a.question_id: (a.number, a.choices, a.text)
            for a in session.exec(select(Answer).where(col(Answer.question_id).startswith("m")))
        }
    first, second, third = (m.id for m in adopted)
    assert ratings[f"measure_{first}"] == (5, None, None)
    assert ratings[f"measure_{first}_note"][2] == "Mine was clear and kind"
    assert ratings[f"measure_{second}"] == (None, '["dont_know"]', None)
    assert ratings[f"measure_{third}"] == (2, None, None)

    # /forget erases Amina's votes and ratings; the measures stay the cohort's.
    with db.reading() as session:
        amina_id = session.exec(select(Person.id).where(Person.telegram_user_id == amina.id)).one()
    await amina.send("/forget")
    await amina.expect("Do you want to erase everything")
    await amina.press("Yes, erase everything")
    await amina.expect("has been erased")
    with db.reading() as session:
        mine = select(MeasureVote).where(MeasureVote.person_id == amina_id)
        assert session.exec(mine).all() == []
        ratings_left = select(Answer).where(col(Answer.question_id).startswith("measure_"))
        assert session.exec(ratings_left).all() == []
    adopted = [m for m in _measures(db) if m.status == MeasureStatus.ADOPTED]
    assert [m.proposed_by for m in adopted] == [None, None, bill_id]
    assert _votes(db) == 3  # Bill's stay


async def test_an_idea_too_short_is_asked_again_and_risky_words_are_never_shown(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    amina = await person(telegram, db, clock, cohort, "Amina")
    await amina.send("/measures")
    await amina.expect("no ideas to vote on yet")
    await amina.press("Suggest an idea")
    await amina.expect("Type it as one short sentence")
    await amina.send("ok")
    await amina.expect("That looks very short")
    await amina.send("Nurses explain my medicines")
    await amina.expect("Your idea is now open to votes")
    await amina.press("Suggest an idea")
    await amina.expect("Type it as one short sentence")
    await amina.send("I want to end my life")
    await amina.expect("thank you for telling me")  # the signpost is the whole answer
    await amina.send("Nothing happens at the meetings")
    await amina.expect("I've saved your message")  # no longer taken as an idea
    assert [m.text for m in _measures(db)] == ["Nurses explain my medicines"]
