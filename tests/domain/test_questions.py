"""Partners' questions for their facilitators: who may see and answer them, the answer
reaching the partner, and a reminder when one waits too long."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import questions
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import Delivery, QuestionStatus, Role
from tests.factories import make_cohort, make_person, make_question


@pytest.fixture
def people(db: Database, clock: FakeClock) -> dict[str, int]:
    """Margaret runs Frailty pathway (Amina's); Nia runs Maternity voices; Tom coordinates."""
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    return {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "nia": make_person(db, clock, maternity, Role.FACILITATOR, "Nia"),
        "tom": make_person(db, clock, None, Role.COORDINATOR, "Tom"),
        "amina": make_person(db, clock, frailty, name="Amina"),
        "bola": make_person(db, clock, maternity, name="Bola"),
    }


def _to(db: Database, person_id: int) -> list[Delivery]:
    with db.reading() as session:
        return list(session.exec(select(Delivery).where(Delivery.person_id == person_id)).all())


def test_a_facilitator_of_another_cohort_cannot_see_or_answer_the_question(
    db: Database, clock: FakeClock, people: dict[str, int]
) -> None:
    asked = make_question(db, clock, people["amina"])
    with db.transaction() as session:
        with pytest.raises(NotFound):
            questions.get_question(session, viewer_id=people["nia"], question_id=asked)
        with pytest.raises(NotFound):
            questions.answer_question(
                session, viewer_id=people["nia"], question_id=asked, text="Hi", clock=clock
            )
        assert questions.open_questions(session, viewer_id=people["nia"]) == []
        assert questions.inbox(session, viewer_id=people["nia"], status=None) == []
        with pytest.raises(NotAllowed):
            questions.open_questions(session, viewer_id=people["bola"])
        for viewer in (people["margaret"], people["tom"]):
            assert questions.get_question(session, viewer_id=viewer, question_id=asked).id == asked


def test_an_answer_reaches_the_partner_and_closes_the_question(
    db: Database, clock: FakeClock, people: dict[str, int]
) -> None:
    asked = make_question(db, clock, people["amina"], "What is a trust board?")
    with db.transaction() as session:
        for empty in ("", "   "):
            with pytest.raises(InvalidInput):
                questions.answer_question(
                    session,
                    viewer_id=people["margaret"],
                    question_id=asked,
                    text=empty,
                    clock=clock,
                )
        with pytest.raises(InvalidInput):
            questions.answer_question(
                session,
                viewer_id=people["margaret"],
                question_id=asked,
                text="x" * (questions.ANSWER_LIMIT + 1),
                clock=clock,
            )
        answered = questions.answer_question(
            session,
            viewer_id=people["margaret"],
            question_id=asked,
            text="The group that runs the hospital.",
            clock=clock,
        )
    assert answered.status == QuestionStatus.ANSWERED
    assert (answered.answered_by, answered.answered_at) == (people["margaret"], clock.now())
    [notice] = _to(db, people["amina"])
    assert "The group that runs the hospital." in notice.payload and "Margaret" in notice.payload
    with db.reading() as session:
        assert questions.open_questions(session, viewer_id=people["margaret"]) == []
        [item] = questions.inbox(session, viewer_id=people["margaret"], status=None)
    assert (item.partner, item.cohort, item.question.id) == ("Amina", "Frailty pathway", asked)


def test_open_questions_are_oldest_first_and_coordinators_see_every_cohort(
    db: Database, clock: FakeClock, people: dict[str, int]
) -> None:
    first = make_question(db, clock, people["bola"], "First")
    clock.advance(timedelta(minutes=10))
    second = make_question(db, clock, people["amina"], "Second")
    with db.reading() as session:
        assert [q.id for q in questions.open_questions(session, viewer_id=people["tom"])] == [
            first,
            second,
        ]
        waiting = questions.inbox(session, viewer_id=people["tom"], status=QuestionStatus.OPEN)
        newest_first = questions.inbox(session, viewer_id=people["tom"], status=None)
    assert [i.question.id for i in waiting] == [first, second]
    assert [i.question.id for i in newest_first] == [second, first]


def test_facilitators_are_reminded_once_of_a_question_waiting_two_days(
    db: Database, clock: FakeClock, people: dict[str, int]
) -> None:
    make_question(db, clock, people["amina"], "Is there parking?")
    clock.advance(timedelta(hours=47))
    with db.transaction() as session:
        assert questions.remind_unanswered(session, clock=clock) == 0
    clock.advance(timedelta(hours=1))
    with db.transaction() as session:
        assert questions.remind_unanswered(session, clock=clock) == 1
    clock.advance(timedelta(days=3))
    with db.transaction() as session:
        assert questions.remind_unanswered(session, clock=clock) == 0
    [reminder] = _to(db, people["margaret"])
    assert "Is there parking?" in reminder.payload
    assert _to(db, people["nia"]) == []
