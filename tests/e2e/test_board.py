"""Board members as users (issue 17): a board member joins by invite, hears the lay
partners' voice after a meeting (only what was shared "anonymised for the board", and no
names), says what they learned, and partners get it attributed by role and can react."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain import agenda, measures
from bot.domain.clock import FakeClock
from bot.domain.safeguarding import default_rules
from bot.models import BoardLearning, LearningReaction, LearningStatus, Person, Role
from bot.sandbox import ChatUser, SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, expect_all, person, settle_outbox, tap_through
from tests.factories import make_cohort, make_invite, make_meeting, make_reflection

SHARED_WORDS = "The discharge letters were confusing"
PRIVATE_WORDS = "a worry I keep to myself"
STAFF_ONLY_WORDS = "only my facilitator should read this"
AGENDA_TITLE = "Transport to clinics is late"
MEASURE = "Staff explain what happens next"
LEARNED = "Letters need plain words, tested with partners"
DIFFERENTLY = "I will ask two partners to read our next letter"


async def onboard_board(user: ChatUser, code: str) -> None:
    """A board member joins: expectations on their side, a role label, consent, settings."""
    await user.send(f"/start {code}")
    await user.expect("You're joining as a board member")
    await tap_through(
        user,
        (
            ("I agree", "How should partners know you?"),
            ("A clinician", "May I keep what you tell me"),
            ("Yes, that's fine", "What would you like me to call you?"),
            (f"Call me {user.first_name}", "Which time zone"),
            ("UK time", "When should I stay quiet?"),
            ("No quiet hours", "You're set up as a board member"),
        ),
    )


def _id(db: Database, name: str) -> int:
    with db.transaction() as session:
        found = session.exec(select(Person).where(Person.preferred_name == name)).one()
        return found.id or 0


async def test_a_board_member_hears_the_partners_voice_and_partners_hear_what_they_learned(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    helen = await telegram.create_user("Helen")
    await onboard_board(helen, make_invite(db, clock, cohort, Role.BOARD))
    await settle_outbox(bot, db)
    await margaret.expect("Helen has joined Frailty pathway as a board member")
    meeting = make_meeting(db, clock, cohort, starts_at=NOW + timedelta(days=1))
    amina_id, bill_id = _id(db, "Amina"), _id(db, "Bill")
    make_reflection(
        db,
        clock,
        amina_id,
        {"raise_next": SHARED_WORDS},
        sharing="anonymised",
        meeting_id=meeting.id,
    )
    make_reflection(
        db, clock, bill_id, {"troubling": PRIVATE_WORDS}, sharing="private", meeting_id=meeting.id
    )
    make_reflection(
        db, clock, bill_id, {"raise_next": STAFF_ONLY_WORDS}, meeting_id=meeting.id
    )  # shared with facilitators only

    _topic_and_measure(db, clock, meeting.id or 0, amina_id, bill_id, _id(db, "Margaret"))

    # Three days after the meeting, at 09:00: the digest.
    clock.set(NOW.replace(hour=9) + timedelta(days=4))
    await settle_outbox(bot, db)
    digest = await helen.expect("The lay partners' voice")
    assert SHARED_WORDS in digest["text"]
    assert f"{AGENDA_TITLE}: on the agenda. 1 partner backed it" in digest["text"]
    assert f'"{MEASURE}": 4.0 out of 5, from 1 score' in digest["text"]
    seen = await helen.transcript()
    for hidden in (PRIVATE_WORDS, STAFF_ONLY_WORDS, "Amina", "Bill", "Margaret"):
        assert hidden not in seen, f"a board member saw {hidden!r}"

    await helen.press("Answer the two questions")
    await helen.expect("What did you learn from lay partners at Frailty board?")
    await helen.send(LEARNED)
    await helen.expect("What will you do differently?")
    await helen.send(DIFFERENTLY)
    preview = await helen.expect("This is what lay partners will read")
    assert "A clinician on the board said" in preview["text"] and "Helen" not in preview["text"]
    await helen.press("Send it")
    await helen.expect("I've sent it to 2 lay partners")

    await settle_outbox(bot, db)
    heard = await amina.expect("A clinician on the board said")
    assert LEARNED in heard["text"] and DIFFERENTLY in heard["text"]
    assert "Helen" not in heard["text"]
    await bill.expect("A clinician on the board said")

    await amina.press("I'd like to talk about this")
    await amina.expect("I've told your facilitator")
    await bill.press("This helps")
    await bill.expect("I'll let the board know it helped")
    await settle_outbox(bot, db)
    await expect_all(margaret, "Amina would like to talk about what a clinician on the board")
    with db.transaction() as session:
        [learning] = session.exec(select(BoardLearning)).all()
        assert learning.status == LearningStatus.SHARED and learning.label == "clinician"
        kinds = sorted(r.kind for r in session.exec(select(LearningReaction)).all())
    assert kinds == ["helps", "talk"]

    # The digest's button again: already sent, kindly.
    await helen.press("Answer the two questions")
    await helen.expect("You've already sent what you learned")
    # Partners' tools, staff tools: refused kindly; their own account works.
    await helen.send("/journal")
    await helen.expect("not open to board members")
    await helen.send("/help")
    await helen.expect("How I can help you as a board member")


def _topic_and_measure(
    db: Database, clock: FakeClock, meeting: int, amina: int, bill: int, margaret: int
) -> None:
    """Amina's topic, backed by Bill and accepted for the meeting; a measure the group
    adopted, which Bill scores 4 in his monthly check-in."""
    with db.transaction() as session:
        item = agenda.propose(session, person_id=amina, title=AGENDA_TITLE, clock=clock)
        item_id = item.id or 0
        agenda.set_why(session, person_id=amina, item_id=item_id, clock=clock, text="We wait")
        agenda.confirm(session, person_id=amina, item_id=item_id, clock=clock)
        agenda.support(session, person_id=bill, item_id=item_id, clock=clock)
        agenda.accept(session, viewer_id=margaret, item_id=item_id, meeting_id=meeting, clock=clock)
        idea = measures.propose(
            session, person_id=amina, text=MEASURE, clock=clock, rules=default_rules()
        )
        measures.adopt(session, viewer_id=margaret, measure_id=idea.id or 0, clock=clock)
    make_reflection(
        db,
        clock,
        bill,
        {"support": "none", f"measure_{idea.id}": 4},
        prompt_set="monthly-check-in",
    )


async def test_a_learning_with_words_of_concern_is_kept_back_from_partners(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    amina = await person(telegram, db, clock, cohort, "Amina")
    helen = await telegram.create_user("Helen")
    await onboard_board(helen, make_invite(db, clock, cohort, Role.BOARD))
    meeting = make_meeting(db, clock, cohort, starts_at=NOW + timedelta(hours=1))
    await helen.forge_press(f"bd:{meeting.id}")  # before the meeting: not yet
    await helen.expect("hasn't happened yet")
    clock.advance(timedelta(hours=4))
    await helen.forge_press(f"bd:{meeting.id}")
    await helen.expect("What did you learn")
    await helen.send_voice(12)
    await helen.expect("What will you do differently?")
    await helen.send("Some days I can't cope any more")
    await helen.expect("thank you for telling me")  # the signpost, as for anyone
    with db.transaction() as session:
        [learning] = session.exec(select(BoardLearning)).all()
        learning_id = learning.id
    await helen.forge_press(f"bl:{learning_id}:send")
    await helen.expect("kept them back from partners")
    await settle_outbox(bot, db)
    assert not [m for m in await amina.bot_messages() if "on the board said" in m["text"]]


async def test_a_broadcast_to_board_members_reaches_only_them(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    helen = await person(telegram, db, clock, cohort, "Helen", Role.BOARD)
    other = await person(
        telegram, db, clock, make_cohort(db, clock, "Maternity voices"), "Ola", Role.BOARD
    )

    await margaret.send("/broadcast")
    await margaret.expect("Who is this message for?")
    await margaret.press("Board members of Frailty pathway")
    await margaret.expect("Type your message for the board members of Frailty pathway (1 person)")
    await margaret.send("Thank you for listening, {{ name }}.")
    await margaret.expect("Ready to send")
    await margaret.press("Send now to 1 person")
    await settle_outbox(bot, db)
    assert await helen.expect("Thank you for listening, Helen.")
    for outsider in (amina, other):
        assert not [m for m in await outsider.bot_messages() if "listening" in m["text"]]

    await margaret.send("/broadcast")
    await margaret.expect("Who is this message for?")
    await margaret.press("Partners and board of Frailty pathway")
    await margaret.expect("(2 people)")
    await margaret.send("Papers are out.")
    await margaret.expect("Ready to send")
    await margaret.press("Send now to 2 people")
    await settle_outbox(bot, db)
    await amina.expect("Papers are out.")
    await helen.expect("Papers are out.")
    assert not [m for m in await other.bot_messages() if "Papers" in m["text"]]
