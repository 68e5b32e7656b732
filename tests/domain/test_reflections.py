"""Reflections at the domain level: order, conditions, changes, consent and multiple choice."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import open_reflections, reflection_sharing, reflections, review
from bot.domain.answers import Voice
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import Answer, Reflection, ReflectionStatus, Sharing
from tests.factories import make_cohort, make_meeting, make_person, make_reflection


def test_conditions_changes_and_contact(db: Database, clock: FakeClock, prompt_sets: dict) -> None:
    person = make_person(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        position = reflections.start(
            session, person_id=person, prompt_set=prompt_sets["after-meeting"], clock=clock
        )
        rid = position.reflection.id
        common = {
            "person_id": person,
            "reflection_id": rid,
            "clock": clock,
            "prompt_sets": prompt_sets,
        }
        assert position.question.id == "how_it_went" and position.number == 1
        reflections.answer(session, question_id="how_it_went", text="4", **common)
        position = reflections.answer(session, question_id="equal_partner", number=2, **common)
        assert position.question.id == "get_in_touch"  # a low score opens the follow-up
        position = reflections.answer(
            session, question_id="get_in_touch", text="yes please", **common
        )
        assert position.reflection.wants_contact
        position = reflections.back(session, **common)
        assert position.question.id == "get_in_touch"
        position = reflections.back(session, **common)
        assert position.question.id == "equal_partner" and position.answer.number == 2
        position = reflections.answer(session, question_id="equal_partner", number=5, **common)
        # The follow-up no longer applies: its answer and the contact request are gone.
        assert position.question.id == "learned"
        assert not position.reflection.wants_contact
        stale = reflections.answer(session, question_id="equal_partner", number=1, **common)
        assert stale.stale and stale.question.id == "learned"
        with pytest.raises(InvalidInput):
            reflections.answer(session, question_id="learned", text="   ", **common)
        position = reflections.answer(
            session, question_id="learned", voice=Voice("voice-file-1", 12), **common
        )
        assert position.question.id == "surprised"


def test_button_questions_refuse_what_they_cannot_use(
    db: Database, clock: FakeClock, prompt_sets: dict
) -> None:
    person = make_person(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        rid = reflections.start(
            session, person_id=person, prompt_set=prompt_sets["after-meeting"], clock=clock
        ).reflection.id
        common = {
            "person_id": person,
            "reflection_id": rid,
            "clock": clock,
            "prompt_sets": prompt_sets,
        }
        for bad in ({"number": 9}, {"text": "pretty good"}, {"voice": Voice("v", 3)}):
            with pytest.raises(InvalidInput):
                reflections.answer(session, question_id="how_it_went", **common, **bad)
        with pytest.raises(InvalidInput):
            reflections.skip(session, question_id="how_it_went", **common)


def test_no_reflection_without_consent(db: Database, clock: FakeClock, prompt_sets: dict) -> None:
    person = make_person(db, clock, make_cohort(db, clock), keeps_reflections=False)
    with pytest.raises(NotAllowed), db.transaction() as session:
        reflections.start(session, person_id=person, prompt_set=prompt_sets["journal"], clock=clock)


def test_anything_else_typed_for_a_multiple_choice_needs_the_buttons(
    db: Database, clock: FakeClock, prompt_sets: dict
) -> None:
    person = make_person(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        position = reflections.start(
            session, person_id=person, prompt_set=prompt_sets["monthly-check-in"], clock=clock
        )
        common = {
            "person_id": person,
            "reflection_id": position.reflection.id,
            "clock": clock,
            "prompt_sets": prompt_sets,
        }
        reflections.answer(session, question_id="confidence", number=3, **common)
        position = reflections.toggle(session, question_id="skills", choice="papers", **common)
        position = reflections.toggle(session, question_id="skills", choice="data", **common)
        position = reflections.toggle(session, question_id="skills", choice="papers", **common)
        assert position.question.id == "skills"
        assert review.describe(position.answer, prompt_sets["monthly-check-in"]).answer == (
            "Making sense of data"
        )
        position = reflections.done(session, question_id="skills", **common)
        assert position.question.id == "skills_more"


def test_finish_later_resumes_at_the_same_question_with_answers_kept(
    db: Database, clock: FakeClock, prompt_sets: dict
) -> None:
    person = make_person(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        position = reflections.start(
            session, person_id=person, prompt_set=prompt_sets["after-meeting"], clock=clock
        )
        rid = position.reflection.id
        reflections.answer(
            session,
            person_id=person,
            reflection_id=rid,
            question_id="how_it_went",
            number=5,
            clock=clock,
            prompt_sets=prompt_sets,
        )
    with db.transaction() as session:  # a week later, in a new session
        waiting = open_reflections.unfinished(session, person_id=person)
        assert waiting is not None and waiting.id == rid
        position = reflections.resume(
            session, person_id=person, reflection_id=rid, prompt_sets=prompt_sets
        )
        assert position.question is not None and position.question.id == "equal_partner"
        assert position.number == 2 and not position.finished
        earlier = reflections.back(
            session, person_id=person, reflection_id=rid, clock=clock, prompt_sets=prompt_sets
        )
        assert earlier.answer is not None and earlier.answer.number == 5


def test_someone_elses_reflection_is_not_found(
    db: Database, clock: FakeClock, prompt_sets: dict
) -> None:
    cohort = make_cohort(db, clock)
    amina, dev = make_person(db, clock, cohort, name="Amina"), make_person(db, clock, cohort)
    with db.transaction() as session:
        rid = reflections.start(
            session, person_id=amina, prompt_set=prompt_sets["journal"], clock=clock
        ).reflection.id
    with pytest.raises(NotFound), db.transaction() as session:
        reflections.resume(session, person_id=dev, reflection_id=rid, prompt_sets=prompt_sets)


def test_sharing_is_chosen_only_after_the_last_question_and_can_change(
    db: Database, clock: FakeClock, prompt_sets: dict
) -> None:
    person = make_person(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        rid = reflections.start(
            session, person_id=person, prompt_set=prompt_sets["after-meeting"], clock=clock
        ).reflection.id
        early = reflections.finish(
            session,
            person_id=person,
            reflection_id=rid,
            sharing=Sharing.FACILITATORS,
            clock=clock,
            prompt_sets=prompt_sets,
        )
        assert early.stale and not early.finished
    rid = make_reflection(db, clock, person, {"learned": "Budgets"}, sharing="private")
    with db.transaction() as session:
        changed = reflection_sharing.change_sharing(
            session, person_id=person, reflection_id=rid, sharing=Sharing.ANONYMISED, clock=clock
        )
        assert changed.sharing == Sharing.ANONYMISED


def test_a_discarded_reflection_keeps_no_answers(
    db: Database, clock: FakeClock, prompt_sets: dict
) -> None:
    cohort = make_cohort(db, clock, "Diabetes prevention")
    person = make_person(db, clock, cohort)
    meeting = make_meeting(db, clock, cohort)  # one of their own cohort's meetings
    with db.transaction() as session:
        position = reflections.start(
            session,
            person_id=person,
            prompt_set=prompt_sets["after-meeting"],
            clock=clock,
            meeting_id=meeting.id,
        )
        rid = position.reflection.id
        reflections.answer(
            session,
            person_id=person,
            reflection_id=rid,
            question_id="how_it_went",
            number=2,
            clock=clock,
            prompt_sets=prompt_sets,
        )
        found = open_reflections.for_meeting(
            session, person_id=person, meeting_id=meeting.id, prompt_set="after-meeting"
        )
        assert found is not None and found.id == rid
        reflections.discard(session, person_id=person, reflection_id=rid, clock=clock)
    with db.transaction() as session:
        assert session.exec(select(Answer).where(Answer.reflection_id == rid)).all() == []
        assert session.get(Reflection, rid).status == ReflectionStatus.DISCARDED  # type: ignore[union-attr]
        assert open_reflections.unfinished(session, person_id=person) is None
        assert (
            open_reflections.for_meeting(
                session, person_id=person, meeting_id=meeting.id, prompt_set="after-meeting"
            )
            is None
        )


def test_a_reflection_on_another_cohorts_meeting_cannot_be_started(
    db: Database, clock: FakeClock, prompt_sets: dict
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    board = make_meeting(db, clock, frailty)
    chloe = make_person(db, clock, maternity, name="Chloe")
    with db.transaction() as session, pytest.raises(NotFound):
        reflections.start(
            session,
            person_id=chloe,
            prompt_set=prompt_sets["after-meeting"],
            clock=clock,
            meeting_id=board.id,
        )
    with db.reading() as session:
        assert session.exec(select(Reflection)).all() == []
