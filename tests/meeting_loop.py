"""A whole meeting loop, built through the domain, for the summary's tests (issue 17 part 4).

Before the previous meeting the group adopts a measure and one partner rates it (that score
is before the summary's window). Then, for the next meeting: a topic backed by two partners,
accepted and decided with an outcome; one declined; one still waiting. Three ratings between
the two meetings. After the meeting a board member (a clinician) says what they learned;
partners react. Finally the facilitator records what changed about the measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.db import Database
from bot.domain import agenda, board, measures
from bot.domain.clock import FakeClock
from bot.domain.safeguarding import default_rules
from bot.models import BoardLabel, Cohort, ReactionKind, Role
from tests.factories import make_meeting, make_person, make_reflection

MEASURE = "Discharge letters are in plain English"
ASKED = "Letters are hard to read"
DECLINED = "Parking at the hospital"
WAITING = "Transport to clinics"
ITEM_OUTCOME = "The team will rewrite the letters with two partners"
MEASURE_OUTCOME = "New letters are now tested with partners first"
LEARNED = "Plain words matter more than I thought"
DIFFERENTLY = "I will ask partners to read our letters"
FINE = {"support": "none"}  # the check-in's one choice without a default
PARTNER_NAMES = ("Amina", "Bill", "Grace")


@dataclass(frozen=True)
class Loop:
    """The ids a test needs."""

    meeting: int
    previous: int
    measure: int
    amina: int
    bill: int
    grace: int
    helen: int


def _share(db: Database, clock: FakeClock, person: int, title: str) -> int:
    with db.transaction() as session:
        item = agenda.propose(session, person_id=person, title=title, clock=clock)
        agenda.set_why(session, person_id=person, item_id=item.id or 0, clock=clock, text="Why")
        agenda.confirm(session, person_id=person, item_id=item.id or 0, clock=clock)
        return item.id or 0


def _rate(db: Database, clock: FakeClock, person: int, measure: int, value: object) -> None:
    make_reflection(
        db, clock, person, FINE | {f"measure_{measure}": value}, prompt_set="monthly-check-in"
    )


def _adopted_measure(db: Database, clock: FakeClock, loop: dict[str, int]) -> int:
    with db.transaction() as session:
        idea = measures.propose(
            session, person_id=loop["amina"], text=MEASURE, clock=clock, rules=default_rules()
        )
        measures.vote(
            session, person_id=loop["bill"], measure_id=idea.id or 0, votes_each=2, clock=clock
        )
        measures.adopt(session, viewer_id=loop["facilitator"], measure_id=idea.id or 0, clock=clock)
        return idea.id or 0


def _items(db: Database, clock: FakeClock, loop: dict[str, int], meeting: int) -> int:
    asked = _share(db, clock, loop["amina"], ASKED)
    declined = _share(db, clock, loop["bill"], DECLINED)
    _share(db, clock, loop["grace"], WAITING)
    with db.transaction() as session:
        for supporter in ("bill", "grace"):
            agenda.support(session, person_id=loop[supporter], item_id=asked, clock=clock)
        agenda.accept(
            session, viewer_id=loop["facilitator"], item_id=asked, meeting_id=meeting, clock=clock
        )
        agenda.decline(
            session, viewer_id=loop["facilitator"], item_id=declined, reason="Not ours", clock=clock
        )
    return asked


def _learning(db: Database, clock: FakeClock, loop: dict[str, int], meeting: int) -> None:
    helen = loop["helen"]
    with db.transaction() as session:
        board.set_label(session, person_id=helen, label=BoardLabel.CLINICIAN, clock=clock)
        learning = board.begin(session, person_id=helen, meeting_id=meeting, clock=clock)
        learning_id = learning.id or 0
        for question, text in (("learned", LEARNED), ("differently", DIFFERENTLY)):
            board.answer(
                session, person_id=helen, learning_id=learning_id, question=question, text=text
            )
        board.decide(
            session, person_id=helen, learning_id=learning_id, send=True, flagged=False, clock=clock
        )
        for partner, kind in (("amina", ReactionKind.HELPS), ("bill", ReactionKind.TALK)):
            board.react(
                session, person_id=loop[partner], learning_id=learning_id, kind=kind, clock=clock
            )


def build_loop(db: Database, clock: FakeClock, cohort: Cohort, facilitator: int) -> Loop:
    """The whole loop in `cohort`, run by `facilitator`; the clock ends after the meeting."""
    loop = {
        "facilitator": facilitator,
        "helen": make_person(db, clock, cohort, Role.BOARD, "Helen"),
    }
    for name in PARTNER_NAMES:
        loop[name.lower()] = make_person(db, clock, cohort, name=name)
    measure = _adopted_measure(db, clock, loop)
    _rate(db, clock, loop["amina"], measure, 1)  # before the previous meeting: not counted
    previous = make_meeting(
        db, clock, cohort, title="Frailty board (March)", starts_at=clock.now() + timedelta(hours=1)
    )
    clock.advance(timedelta(hours=4))
    meeting = make_meeting(db, clock, cohort, starts_at=clock.now() + timedelta(days=2))
    asked = _items(db, clock, loop, meeting.id or 0)
    for partner, value in (("amina", 4), ("bill", "don't know"), ("grace", 2)):
        _rate(db, clock, loop[partner], measure, value)
    clock.advance(timedelta(days=3))  # the meeting is over
    with db.transaction() as session:
        agenda.record_outcome(
            session, viewer_id=facilitator, item_id=asked, text=ITEM_OUTCOME, clock=clock
        )
        measures.record_measure_outcome(
            session, viewer_id=facilitator, measure_id=measure, text=MEASURE_OUTCOME, clock=clock
        )
    _learning(db, clock, loop, meeting.id or 0)
    return Loop(
        meeting.id or 0,
        previous.id or 0,
        measure,
        loop["amina"],
        loop["bill"],
        loop["grace"],
        loop["helen"],
    )
