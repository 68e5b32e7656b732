"""Board members (issue 17): planning their digest, the digest's privacy, learnings and
reactions, and what is refused."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.db import Database
from bot.domain import board, privacy
from bot.domain.broadcasts import Audience, recipients
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.planning import plan_person
from bot.library.timetable import Timetable
from bot.models import (
    BoardLabel,
    BoardLearning,
    Cohort,
    Delivery,
    LearningReaction,
    LearningStatus,
    ReactionKind,
    Role,
)
from tests.factories import make_cohort, make_meeting, make_person, make_reflection

SHARED = "The letters were hard to follow"
PRIVATE = "something I keep to myself"
STAFF_ONLY = "for my facilitator only"


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    frailty = make_cohort(db, clock)
    maternity = make_cohort(db, clock, "Maternity voices")
    return {
        "frailty": frailty.id or 0,
        "maternity": maternity.id or 0,
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "amina": make_person(db, clock, frailty, name="Amina"),
        "bola": make_person(db, clock, maternity, name="Bola"),
        "helen": make_person(db, clock, frailty, Role.BOARD, "Helen"),
        "olu": make_person(db, clock, maternity, Role.BOARD, "Olu"),
    }


def _cohort(db: Database, cohort_id: int) -> Cohort:
    with db.reading() as session:
        found = session.get(Cohort, cohort_id)
    assert found is not None
    return found


def _past_meeting(db: Database, clock: FakeClock, cohort_id: int) -> int:
    meeting = make_meeting(
        db, clock, _cohort(db, cohort_id), starts_at=clock.now() + timedelta(hours=1)
    )
    clock.advance(timedelta(hours=4))
    return meeting.id or 0


def test_board_members_get_only_the_board_rule_and_partners_never_get_it(
    db: Database, clock: FakeClock, cast: dict[str, int], timetable: Timetable
) -> None:
    meeting = make_meeting(db, clock, _cohort(db, cast["frailty"]))
    with db.transaction() as session:
        plan_person(session, person_id=cast["helen"], timetable=timetable, clock=clock)
        rows = session.exec(select(Delivery.person_id, Delivery.purpose)).all()
    helen = {purpose for person, purpose in rows if person == cast["helen"]}
    amina = {purpose for person, purpose in rows if person == cast["amina"]}
    assert helen == {"board_digest"}
    assert "board_digest" not in amina and "reflection" in amina
    assert not [p for p, _ in rows if p == cast["olu"]]  # another cohort's board member
    assert meeting.id is not None


def test_the_digest_holds_only_words_shared_anonymised_for_the_board(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    meeting = _past_meeting(db, clock, cast["frailty"])
    amina = cast["amina"]
    make_reflection(
        db, clock, amina, {"raise_next": SHARED}, sharing="anonymised", meeting_id=meeting
    )
    make_reflection(db, clock, amina, {"troubling": PRIVATE}, sharing="private", meeting_id=meeting)
    make_reflection(db, clock, amina, {"raise_next": STAFF_ONLY}, meeting_id=meeting)
    with db.reading() as session:
        sections = board.digest_for_meeting(session, meeting_id=meeting)
    shown = json.dumps([s.lines for s in sections])
    assert SHARED in shown
    assert PRIVATE not in shown and STAFF_ONLY not in shown and "Amina" not in shown
    assert [s.key for s in sections] == ["voices", "agenda"]  # no measures adopted: none


def _learning(db: Database, clock: FakeClock, person_id: int, meeting_id: int) -> int:
    with db.transaction() as session:
        learning = board.begin(session, person_id=person_id, meeting_id=meeting_id, clock=clock)
        board.answer(
            session,
            person_id=person_id,
            learning_id=learning.id or 0,
            question="learned",
            text="Plain words",
        )
        return learning.id or 0


def test_a_learning_reaches_the_cohorts_partners_by_role_and_reactions_count_once(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    meeting = _past_meeting(db, clock, cast["frailty"])
    with db.transaction() as session:
        board.set_label(session, person_id=cast["helen"], label=BoardLabel.CLINICIAN, clock=clock)
    learning_id = _learning(db, clock, cast["helen"], meeting)
    with db.transaction() as session:
        shared = board.decide(
            session,
            person_id=cast["helen"],
            learning_id=learning_id,
            send=True,
            flagged=False,
            clock=clock,
        )
        notices = session.exec(
            select(Delivery).where(col(Delivery.payload).contains("board.learning_notice"))
        ).all()
    assert shared.status == LearningStatus.SHARED and shared.partners == 1
    assert [n.person_id for n in notices] == [cast["amina"]]
    assert "Helen" not in (notices[0].payload or "") and '"clinician"' in (notices[0].payload or "")
    for _ in range(2):
        with db.transaction() as session:
            reacted = board.react(
                session,
                person_id=cast["amina"],
                learning_id=learning_id,
                kind=ReactionKind.TALK,
                clock=clock,
            )
    assert reacted.already
    with db.transaction() as session:
        assert len(session.exec(select(LearningReaction)).all()) == 1
        with pytest.raises(NotFound):  # a partner of another cohort, stepping ids
            board.react(
                session,
                person_id=cast["bola"],
                learning_id=learning_id,
                kind=ReactionKind.HELPS,
                clock=clock,
            )


def test_another_cohorts_meeting_or_learning_is_not_found(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    meeting = _past_meeting(db, clock, cast["frailty"])
    learning_id = _learning(db, clock, cast["helen"], meeting)
    with db.transaction() as session:
        with pytest.raises(NotFound):
            board.begin(session, person_id=cast["olu"], meeting_id=meeting, clock=clock)
        with pytest.raises(NotFound):
            board.decide(
                session,
                person_id=cast["olu"],
                learning_id=learning_id,
                send=True,
                flagged=False,
                clock=clock,
            )
        with pytest.raises(InvalidInput):
            board.answer(
                session,
                person_id=cast["helen"],
                learning_id=learning_id,
                question="learned",
                text="   ",
            )


def test_a_flagged_learning_is_held_back_and_forget_erases_learnings(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    meeting = _past_meeting(db, clock, cast["frailty"])
    learning_id = _learning(db, clock, cast["helen"], meeting)
    with db.transaction() as session:
        held = board.decide(
            session,
            person_id=cast["helen"],
            learning_id=learning_id,
            send=True,
            flagged=True,
            clock=clock,
        )
        assert held.status == LearningStatus.HELD
        assert not session.exec(select(Delivery).where(Delivery.purpose == "notice")).all()
        privacy.forget(session, person_id=cast["helen"], clock=clock)
        assert session.exec(select(BoardLearning)).all() == []


def test_broadcasts_by_role_reach_board_members_only_in_the_viewers_cohorts(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    frailty, maternity = cast["frailty"], cast["maternity"]
    with db.reading() as session:
        board_only = recipients(
            session, viewer_id=cast["margaret"], audience=Audience("board", frailty)
        )
        together = recipients(
            session, viewer_id=cast["margaret"], audience=Audience("together", frailty)
        )
        with pytest.raises(NotFound):
            recipients(session, viewer_id=cast["margaret"], audience=Audience("board", maternity))
    assert board_only == [cast["helen"]]
    assert together == sorted([cast["helen"], cast["amina"]])
