"""What matters to us (issue 17): ideas, votes, adoption, the check-in's questions, figures
and erasure, through the domain."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import measures, privacy
from bot.domain.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.measures.figures import measure_series
from bot.domain.safeguarding import default_rules
from bot.library.prompts import PromptSet
from bot.models import Delivery, Measure, MeasureStatus, MeasureVote, Role
from tests.factories import make_cohort, make_person, make_reflection

LETTERS = "Discharge letters are in plain English"
FINE = {"support": "none"}  # the check-in's one choice without a default


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    cohort = make_cohort(db, clock)
    other = make_cohort(db, clock, "Stroke services")
    return {
        "cohort": cohort.id or 0,
        "margaret": make_person(db, clock, cohort, Role.FACILITATOR, "Margaret"),
        "amina": make_person(db, clock, cohort, name="Amina"),
        "bill": make_person(db, clock, cohort, name="Bill"),
        "olu": make_person(db, clock, other, name="Olu"),
        "otto": make_person(db, clock, other, Role.FACILITATOR, "Otto"),
    }


def _propose(db: Database, clock: FakeClock, person: int, text: str) -> int:
    with db.transaction() as session:
        made = measures.propose(
            session, person_id=person, text=text, clock=clock, rules=default_rules()
        )
        return made.id or 0


def _vote(db: Database, clock: FakeClock, person: int, measure: int) -> bool:
    with db.transaction() as session:
        return measures.vote(
            session, person_id=person, measure_id=measure, votes_each=2, clock=clock
        )[1]


def test_partners_vote_with_a_few_votes_each_and_can_move_one(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    amina, bill = cast["amina"], cast["bill"]
    ideas = [
        _propose(db, clock, amina, t) for t in (LETTERS, "Staff listen {{ to }} us", "Ok?")[:2]
    ]
    third = _propose(db, clock, bill, "Appointments run on time")
    assert _vote(db, clock, bill, ideas[0]) and _vote(db, clock, bill, ideas[1])
    assert not _vote(db, clock, bill, ideas[0])  # already voted: no second vote
    with pytest.raises(Conflict):  # both votes used
        _vote(db, clock, bill, third)
    with db.transaction() as session:  # move one
        measures.take_back(session, person_id=bill, measure_id=ideas[1])
    assert _vote(db, clock, bill, third)
    with db.transaction() as session:
        view = measures.partner_view(session, person_id=bill, votes_each=2)
    top = view.proposed[0]
    assert (top.text, top.votes, top.voted) == (LETTERS, 1, True)
    assert view.votes_left == 0
    assert "Staff listen (( to )) us" in [m.text for m in view.proposed]  # no template brackets


def test_bad_ideas_are_refused_kindly(db: Database, clock: FakeClock, cast: dict[str, int]) -> None:
    for text in ("", "ok", "x" * 301):
        with pytest.raises(InvalidInput):
            _propose(db, clock, cast["amina"], text)
    with pytest.raises(InvalidInput) as held:
        _propose(db, clock, cast["amina"], "I want to kill myself")
    assert held.value.key == "measures.held"
    with db.reading() as session:
        assert session.exec(select(Measure)).all() == []


def test_another_cohort_cannot_vote_or_adopt(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    idea = _propose(db, clock, cast["amina"], LETTERS)
    with pytest.raises(NotFound):
        _vote(db, clock, cast["olu"], idea)
    with db.transaction() as session, pytest.raises(NotFound):
        measures.adopt(session, viewer_id=cast["otto"], measure_id=idea, clock=clock)
    with db.reading() as session:
        assert session.exec(select(MeasureVote)).all() == []
        assert session.get(Measure, idea).status == MeasureStatus.PROPOSED  # type: ignore[union-attr]


def test_adoption_is_told_to_the_cohort_with_its_votes_and_joins_the_check_in(
    db: Database, clock: FakeClock, cast: dict[str, int], prompt_sets: dict[str, PromptSet]
) -> None:
    idea = _propose(db, clock, cast["amina"], LETTERS)
    _vote(db, clock, cast["bill"], idea)
    _vote(db, clock, cast["amina"], idea)
    with db.transaction() as session:
        measures.adopt(session, viewer_id=cast["margaret"], measure_id=idea, clock=clock)
    with db.reading() as session:
        told = session.exec(select(Delivery).where(Delivery.purpose == "notice")).all()
    assert sorted(d.person_id for d in told) == sorted([cast["amina"], cast["bill"]])
    assert json.loads(told[0].payload)["params"] == {"measure": LETTERS, "votes": 2}

    clock.advance(timedelta(days=3))
    make_reflection(
        db,
        clock,
        cast["amina"],
        FINE | {f"measure_{idea}": 4, f"measure_{idea}_note": "Mine was clear"},
        prompt_set="monthly-check-in",
    )
    make_reflection(
        db,
        clock,
        cast["bill"],
        FINE | {f"measure_{idea}": "don't know"},
        prompt_set="monthly-check-in",
    )
    make_reflection(
        db,
        clock,
        cast["amina"],
        FINE | {f"measure_{idea}": 2, f"measure_{idea}_note": "Private words"},
        prompt_set="monthly-check-in",
        sharing="private",
    )
    with db.reading() as session:
        [figure] = measures.latest_figures(session, cohort_id=cast["cohort"])
        [series] = measure_series(session, viewer_id=cast["margaret"])
    assert (figure.text, figure.mean, figure.count, figure.dont_know) == (LETTERS, 3.0, 2, 1)
    assert [words for _, words in series.comments] == ["Mine was clear"]  # never private ones

    with db.transaction() as session:
        measures.retire(session, viewer_id=cast["margaret"], measure_id=idea, clock=clock)
    clock.advance(timedelta(days=1))
    later = make_reflection(db, clock, cast["bill"], FINE, prompt_set="monthly-check-in")
    with db.reading() as session:
        [kept] = measure_series(session, viewer_id=cast["margaret"])  # history stays
        from bot.models import Answer

        asked = session.exec(select(Answer.question_id).where(Answer.reflection_id == later))
        assert not any(q.startswith("measure_") for q in asked.all())
    assert sum(f.count for f in kept.months.values()) == 2


def test_forget_erases_votes_ideas_and_ratings_but_the_cohort_keeps_adopted_words(
    db: Database, clock: FakeClock, cast: dict[str, int], prompt_sets: dict[str, PromptSet]
) -> None:
    amina, bill = cast["amina"], cast["bill"]
    adopted = _propose(db, clock, amina, LETTERS)
    open_idea = _propose(db, clock, amina, "Appointments run on time")
    _vote(db, clock, bill, open_idea)
    _vote(db, clock, amina, adopted)
    with db.transaction() as session:
        measures.adopt(session, viewer_id=cast["margaret"], measure_id=adopted, clock=clock)
    clock.advance(timedelta(days=1))
    make_reflection(
        db, clock, amina, FINE | {f"measure_{adopted}": 5}, prompt_set="monthly-check-in"
    )
    with db.transaction() as session:
        exported = privacy.export_personal_data(session, person_id=amina, clock=clock)
    assert [i["text"] for i in exported["what_matters_to_us"]["ideas"]] == [
        LETTERS,
        "Appointments run on time",
    ]
    with db.transaction() as session:
        page = privacy.readable_copy(session, person_id=amina, prompt_sets=prompt_sets, clock=clock)
    assert "What matters to us" in page and "You suggested this" in page
    assert f"How true was this for you this month? “{LETTERS}”" in page  # as asked
    with db.transaction() as session:
        privacy.forget(session, person_id=amina, clock=clock)
    with db.reading() as session:
        left = session.exec(select(Measure)).all()
        assert [(m.text, m.proposed_by, m.votes_at_adoption) for m in left] == [(LETTERS, None, 1)]
        assert session.exec(select(MeasureVote)).all() == []
        [figure] = measures.latest_figures(session, cohort_id=cast["cohort"])
    assert figure.count == 0
