"""Reflections at the domain level: order, conditions, changes, and who may read them."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.domain import reflections, review
from bot.domain.answers import Voice
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotAllowed
from bot.library.catalogue import Library
from bot.models import Role, Sharing
from tests.factories import make_cohort, make_person


@pytest.fixture(scope="module")
def prompt_sets() -> dict[str, object]:
    library, problems = Library.load()
    assert problems == []
    return library.prompt_sets  # type: ignore[return-value]


def _debrief(
    db: Database,
    clock: FakeClock,
    prompt_sets: dict,
    person_id: int,
    equal: int = 4,
    sharing: Sharing = Sharing.FACILITATORS,
) -> int:
    with db.transaction() as session:
        position = reflections.start(
            session, person_id=person_id, prompt_set=prompt_sets["after-meeting"], clock=clock
        )
        rid = position.reflection.id
        assert rid is not None
        common = {
            "person_id": person_id,
            "reflection_id": rid,
            "clock": clock,
            "prompt_sets": prompt_sets,
        }
        reflections.answer(session, question_id="how_it_went", number=4, **common)
        position = reflections.answer(session, question_id="equal_partner", number=equal, **common)
        if position.question and position.question.id == "get_in_touch":
            reflections.answer(session, question_id="get_in_touch", choice="yes", **common)
        reflections.answer(session, question_id="learned", text="How budgets are set", **common)
        for question in ("surprised", "differently", "raise_next", "troubling"):
            position = reflections.skip(session, question_id=question, **common)
        assert position.question is None
        reflections.finish(session, sharing=sharing, **common)
    return rid


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


def test_review_never_shows_private_reflections(
    db: Database, clock: FakeClock, prompt_sets: dict
) -> None:
    frailty, diabetes = make_cohort(db, clock), make_cohort(db, clock, "Diabetes prevention")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    other_facilitator = make_person(db, clock, diabetes, Role.FACILITATOR, "Olu")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    amina = make_person(db, clock, frailty, name="Amina")
    dev = make_person(db, clock, frailty, name="Dev")
    grace = make_person(db, clock, diabetes, name="Grace")
    shared = _debrief(db, clock, prompt_sets, amina, sharing=Sharing.FACILITATORS)
    private = _debrief(db, clock, prompt_sets, dev, sharing=Sharing.PRIVATE)
    anonymous = _debrief(db, clock, prompt_sets, dev, sharing=Sharing.ANONYMISED)
    elsewhere = _debrief(db, clock, prompt_sets, grace)
    with db.transaction() as session:
        seen = review.for_review(session, viewer_id=margaret, prompt_sets=prompt_sets, clock=clock)
        assert {v.id for v in seen} == {shared, anonymous}
        assert {v.id: v.author for v in seen} == {shared: "Amina", anonymous: None}
        assert private not in {v.id for v in seen}
        assert "How budgets are set" in [a.answer for a in seen[0].answers]
        assert {
            v.id
            for v in review.for_review(
                session, viewer_id=other_facilitator, prompt_sets=prompt_sets, clock=clock
            )
        } == {elsewhere}
        everything = review.for_review(session, viewer_id=tom, prompt_sets=prompt_sets, clock=clock)
        assert {v.id for v in everything} == {shared, anonymous, elsewhere}
        with pytest.raises(NotAllowed):
            review.for_review(session, viewer_id=amina, prompt_sets=prompt_sets, clock=clock)
        own, total = review.journal_page(session, person_id=dev, index=0, prompt_sets=prompt_sets)
        assert total == 2 and own is not None


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
