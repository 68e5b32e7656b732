"""Every button a cohort's people are really sent, forged by outsiders: a stranger, a
partner of another cohort and a facilitator of another cohort press each one (taken from
the real keyboards, with the real ids). Nothing of the cohort is shown to them and nothing
of it changes. The table is generated, so a new button is covered as soon as Tandem sends
it, and the test fails if a kind of button that names something is never seen."""

from __future__ import annotations

import functools
import itertools
import re
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from bot.db import Database
from bot.domain.broadcasts import create_broadcast
from bot.domain.clock import FakeClock
from bot.domain.measures import adopt, propose
from bot.domain.safeguarding import default_rules
from bot.models import (
    Achievement,
    AgendaItem,
    AgendaSupport,
    Attendance,
    BoardLearning,
    Booking,
    BookingSlot,
    Broadcast,
    Champion,
    Claim,
    ClaimExpense,
    Cohort,
    Concern,
    ContributionOutcome,
    ConversationState,
    Delivery,
    Endorsement,
    LearningReaction,
    Measure,
    MeasureVote,
    Meeting,
    Mentorship,
    Pair,
    PartnerQuestion,
    Person,
    Reflection,
    Role,
    Rsvp,
)
from bot.sandbox import ChatUser, SandboxClient
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.forged_attendance import attendance_buttons
from tests.e2e.forged_bookings import booking_buttons
from tests.e2e.forged_champions import champion_buttons
from tests.e2e.forged_claims import claim_buttons
from tests.e2e.forged_presses import answer_to_press, deeper, keyboards, step
from tests.e2e.journeys import NOW, person, settle_outbox
from tests.e2e.role_state import counting
from tests.factories import make_cohort, make_meeting, make_pair, make_question, make_reflection

SECRET_WORDS = (
    "discharge letters were confusing",
    "Can I bring my carer",
    "Room 3B tomorrow",
    "Hospital transport is late",  # an agenda item the cohort's partners proposed
    "Parking is free for carers",  # a measure the cohort is voting on (issue 17)
    "Clinic letters arrive on time",  # a measure the cohort adopted (issue 17 part 4)
)
NAMES = ("Amina", "Bill", "Margaret", "Frailty board", "Helen", "Board day")

# Kinds that name something of a cohort (an id); each must be among the real keyboards seen.
# (Other numbers are a page, an index or a time, of the library or the presser's own.)
NOT_IDS = {"BROADCAST_AT", "BROADCAST_PICK", "JOURNAL", "BRIEFING_PAGE", "BRIEFING_READ"}
NAMING = {
    name
    for name, kind in callbacks.every_kind().items()
    if int in kind.fields and name not in NOT_IDS | {"BRIEFING_ASK"}
}
SEEN_LATER = {  # offered only deeper in a conversation than this scenario goes
    "NEW_MEETING_COHORT",  # only to someone running several cohorts
    "NEW_MEETING_LENGTH",
    "PAIR_FIRST",
    "PAIR_SECOND",
    "OUTCOME_MEETING",
    "INVITE",
    "INVITE_AS",
    "INVITE_IN",  # issue 19: under an invite link (the role table forges it with another cohort)
    "AGENDA_OUTCOME",  # only once an accepted item's meeting has happened
}


async def _the_cohorts_buttons(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> set[str]:
    """Frailty pathway at work, through its people's chats: every button they were sent."""
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    bill = await person(telegram, db, clock, cohort, "Bill")
    ids = {p.preferred_name: p.id or 0 for p in _people(db)}
    make_meeting(db, clock, cohort, starts_at=NOW + timedelta(days=1), place="Room 3B tomorrow")
    make_pair(db, clock, ids["Margaret"], cohort, ids["Amina"], ids["Bill"])
    make_question(db, clock, ids["Amina"], "Can I bring my carer to the board?")
    make_reflection(db, clock, ids["Amina"], {"how_it_went": 2, "raise_next": SECRET_WORDS[0]})
    with db.transaction() as session:
        create_broadcast(
            session,
            text="Papers are out",
            person_ids=[ids["Amina"], ids["Bill"]],
            clock=clock,
            author_id=ids["Margaret"],
        )
    with db.transaction() as session:  # an idea for the cohort's measures (issue 17)
        propose(
            session, person_id=ids["Bill"], text=SECRET_WORDS[4], clock=clock, rules=default_rules()
        )
        chosen = propose(
            session,
            person_id=ids["Amina"],
            text=SECRET_WORDS[5],
            clock=clock,
            rules=default_rules(),
        )  # adopted: its staff can record what changed (issue 17 part 4)
        adopt(session, viewer_id=ids["Margaret"], measure_id=chosen.id or 0, clock=clock)
    await amina.send("Some days I can't cope any more")  # a safeguarding alert, with buttons
    await amina.expect("thank you for telling me")
    # The signpost is that message's whole answer; ordinary words get their own answer.
    await amina.send("Notes on the transport for Thursday")
    await amina.next_event(types=("message",))
    clock.advance(timedelta(hours=2))
    await settle_outbox(bot, db)  # reminders, notices, the broadcast: with their buttons
    found = await keyboards(amina) | await keyboards(bill) | await keyboards(margaret)
    for command, answer in (
        ("/help", "/settings"),
        ("/settings", "Quiet hours"),
        ("/pause", "How long for"),
        ("/library", "briefing"),
        ("/explain ICB", "Integrated"),
        ("/reflect", "reflect on"),
        ("/journal", "After the meeting"),
        ("/meetings", "Frailty board"),
        ("/pair", "Bill"),
        ("/measures", SECRET_WORDS[4]),
        ("/stop", "leave"),
        ("/forget", "erase"),
    ):
        found |= await step(amina, command, answer)
    k = callbacks
    found |= await _agenda(amina, bill)
    await settle_outbox(bot, db)  # Bill is asked to propose Amina's item with her
    await bill.expect("would like to propose this item")
    found |= await keyboards(bill)
    found = await deeper(bill, found, k.AGENDA_SUPPORT)
    found = await deeper(amina, found, k.TOPIC, k.BRIEFING_PAGE, k.JOURNAL_SHARING)
    found = await deeper(amina, found, k.REFLECT)
    found |= await step(amina, "/reflect", "haven't finished")
    for command, answer in (
        ("/meetings", "Frailty board"),
        ("/pairs", "Amina"),
        ("/broadcast", "Who is this message for"),
        ("/broadcasts", "Papers are out"),
        ("/questions", "carer"),
        ("/review", SECRET_WORDS[0]),
        ("/newmeeting", "What is it called"),
        ("/agenda", SECRET_WORDS[3]),
        ("/measures", SECRET_WORDS[4]),
    ):
        found |= await step(margaret, command, answer)
    found = await deeper(
        margaret,
        found,
        k.AGENDA_ACCEPT,
        k.AGENDA_MERGE,
        k.REVIEW_FILTERS,
        k.MEETING_CANCEL_ASK,
        k.PAIR_END_ASK,
        k.BROADCAST_WITHDRAW_ASK,
    )
    found = await _typed(margaret, found, k.BROADCAST_CORRECT, "Papers are out now", "correction?")
    # (The move's own question says "will be told" too: wait for the check's "Old time".)
    found = await _typed(margaret, found, k.MEETING_MOVE, "5 Mar 14:00", "Old time")
    found |= await booking_buttons(db, clock, cohort, (amina, margaret), ids)  # issue 18
    found |= await champion_buttons(bot, db, margaret, amina, bill)  # issue 18
    # (Amina's check-in prompt about Bill comes after the board meeting below.)
    found |= await _board_buttons(bot, telegram, db, clock, cohort, amina)
    found |= await claim_buttons(bot, db, clock, cohort, (amina, bill), ids)  # issue 18
    return found | await attendance_buttons(bot, db, margaret, amina)  # issue 18


async def _board_buttons(
    bot: BotHarness,
    telegram: SandboxClient,
    db: Database,
    clock: FakeClock,
    cohort: Cohort,
    amina: ChatUser,
) -> set[str]:
    """Issue 17: a board member's digest after a meeting, their learning's Send, and the
    partners' reactions to it."""
    helen = await person(telegram, db, clock, cohort, "Helen", Role.BOARD)
    make_meeting(db, clock, cohort, title="Board day", starts_at=clock.now() + timedelta(hours=1))
    clock.advance(timedelta(days=4))
    await settle_outbox(bot, db)
    await helen.press("Answer the two questions")
    await helen.expect("What did you learn")
    await helen.send("Letters need plain words")
    await helen.expect("What will you do differently?")
    await helen.send("Ask partners first")
    await helen.expect("Shall I send it?")
    found = await keyboards(helen)
    await helen.press("Send it")
    await helen.expect("I've sent it")
    await settle_outbox(bot, db)
    await amina.expect("on the board said")
    return found | await keyboards(helen) | await keyboards(amina)


async def _agenda(amina: ChatUser, bill: ChatUser) -> set[str]:
    """Agenda items (issue 17): Amina proposes one in chat (its link and share buttons), Bill
    has one shared already; each sees the other's with Support, and their own."""
    await amina.send("/propose")
    await amina.expect("What would you like the board")
    await amina.send(SECRET_WORDS[3])
    await amina.expect("Why does it matter")
    await amina.send("We miss the start of appointments.")
    await amina.expect("link one of your reflections")
    found = await keyboards(amina)
    await amina.press("No, thanks")
    await amina.expect("Only you can see it now")
    found |= await keyboards(amina)
    await amina.press("Propose it with Bill")  # shared, and her pair asked to join it
    await amina.expect("Your group can see it now")
    await bill.send("/propose")
    await bill.expect("What would you like the board")
    await bill.send("Parking costs at the hospital")
    await bill.expect("Why does it matter")
    await bill.send("It costs too much.")
    await bill.expect("Only you can see it now")
    await bill.press("Share it with my group")
    await bill.expect("Your group can see it now")
    found |= await step(amina, "/agenda", "Parking")
    return found | await step(bill, "/agenda", SECRET_WORDS[3])


async def _typed(
    user: ChatUser, found: set[str], kind: callbacks.Kind, words: str, answer: str
) -> set[str]:
    """Press a real button of `kind`, type `words` where it asks, and collect the buttons of
    the check that follows (a correction's preview, a move's old and new times)."""
    data = sorted(d for d in found if kind.parse(d) is not None)[0]
    await user.forge_press(data)
    await user.expect("Type" if kind == callbacks.BROADCAST_CORRECT else "start now")
    await user.send(words)
    await user.expect(answer)
    return found | await keyboards(user)


def _people(db: Database) -> list[Person]:
    with db.transaction() as session:
        return list(session.exec(select(Person)).all())


def _state(db: Database, cohort_people: frozenset[int]) -> tuple[object, ...]:
    """Everything of the cohort a forged press must leave as it was."""
    counted, listed = _snapshot(cohort_people)
    with db.transaction() as session:
        return (
            tuple(session.exec(counted).one()),
            *(tuple(session.exec(query).all()) for query in listed),
        )


@functools.cache
def _snapshot(cohort_people: frozenset[int]) -> tuple[Any, tuple[Any, ...]]:
    """The statements `_state` reads, built once: it runs twice for each of hundreds of
    presses (issue 16)."""
    counted = counting(
        (Broadcast,),
        (Broadcast, col(Broadcast.withdrawn_at).is_not(None)),
        (Pair, col(Pair.ended_at).is_(None)),
        (Pair, col(Pair.first_stopped_relay) | col(Pair.second_stopped_relay)),
        (Reflection, col(Reflection.flagged_at).is_not(None)),
        (ContributionOutcome,),
        (PartnerQuestion, PartnerQuestion.status == "answered"),
        (Rsvp,),
        (Delivery, col(Delivery.person_id).in_(cohort_people)),
        (ConversationState, col(ConversationState.person_id).in_(cohort_people)),
        (Concern, col(Concern.safe_at).is_not(None)),
        (Concern, col(Concern.contact_asked_at).is_not(None)),
        (AgendaSupport,),
        (MeasureVote,),
        (LearningReaction,),
        (ClaimExpense,),
        (Achievement,),  # issue 18: attendance, achievements, endorsements
        (Booking, col(Booking.held_slot_id).is_not(None)),  # issue 18: one-to-ones
    )
    listed = (
        select(Meeting.status, Meeting.starts_at),
        select(Person.status).where(col(Person.id).in_(cohort_people)),
        select(AgendaItem.status).order_by(col(AgendaItem.id)),
        select(AgendaItem.co_proposer_id, AgendaItem.co_joined_at),
        select(Measure.status),
        select(BoardLearning.status),
        select(Claim.status, Claim.answer).order_by(col(Claim.id)),
        select(Attendance.person_id, Attendance.attended),  # issue 18
        select(Endorsement.status),
        select(BookingSlot.status),
        select(Champion.status),  # issue 18: champions
        select(
            Mentorship.status, Mentorship.champion_stopped_relay, Mentorship.mentee_stopped_relay
        ),
    )
    return counted, listed


def _last_for_the_presser(data: str) -> tuple[bool, str]:
    """Leaving and erasing act on the presser alone; press them last."""
    return (data.startswith(("stop:", "forget:")), data)


async def test_outsiders_forging_every_real_button_see_and_change_nothing(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    await bot.restart_for_a_flood()
    clock.set(NOW)
    found = await _the_cohorts_buttons(bot, telegram, db, clock)
    seen = {
        name for name, kind in callbacks.every_kind().items() if any(kind.parse(d) for d in found)
    }
    assert seen >= NAMING - SEEN_LATER, f"never sent in the scenario: {NAMING - SEEN_LATER - seen}"
    cohort_people = frozenset(p.id or 0 for p in _people(db))

    other = make_cohort(db, clock, name="Maternity voices")
    outsiders = {
        "a stranger": await telegram.create_user("Stan", started=True),
        "a partner of another cohort": await person(telegram, db, clock, other, "Chloe"),
        "a facilitator of another cohort": await person(
            telegram, db, clock, other, "Priya", Role.FACILITATOR
        ),
        "a board member of another cohort": await person(
            telegram, db, clock, other, "Olu", Role.BOARD
        ),
    }
    for outsider in outsiders.values():
        await outsider.send("/help")  # a message of the bot's for the forged presses to be on
        await outsider.next_event(types=("message",))
    markers = itertools.count(1)
    failures = []
    for who, user in outsiders.items():
        before = _state(db, cohort_people)
        for data in sorted(found, key=_last_for_the_presser):
            await user.forge_press(data)
            said = await answer_to_press(user, f"/zz{next(markers)}")
            leaked = [w for w in (*NAMES, *SECRET_WORDS) if re.search(re.escape(w), said)]
            if leaked:
                failures.append(f"{who} pressing {data} saw {leaked}: {said[:160]!r}")
            # Nothing else runs between presses: one press's "after" is the next's "before".
            after = _state(db, cohort_people)
            if after != before:
                failures.append(f"{who} pressing {data} changed the cohort's data")
            before = after
    assert not failures, "\n".join(failures)
    assert len(found) >= 40, f"only {len(found)} buttons seen: is the scenario still running?"
