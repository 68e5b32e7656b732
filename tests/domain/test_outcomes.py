""" "You said, we did": a facilitator records what came of a partner's words, and the partner
is told, in the facilitator's name, with the meeting where it happened."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import outcomes
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotFound
from bot.library.prompts import PromptSet
from bot.models import Cohort, ContributionOutcome, Delivery, Role
from tests.factories import make_cohort, make_meeting, make_person, make_question, make_reflection

SAID = "The discharge letters arrive two weeks late, after the first appointment."


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    return {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "nia": make_person(db, clock, maternity, Role.FACILITATOR, "Nia"),
        "amina": make_person(db, clock, frailty, name="Amina"),
        "frailty": frailty.id or 0,
    }


def _told(db: Database, person_id: int) -> list[str]:
    with db.reading() as session:
        return list(session.exec(select(Delivery.payload).where(Delivery.person_id == person_id)))


def test_the_partner_hears_what_came_of_their_reflection(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet], cast: dict[str, int]
) -> None:
    reflection = make_reflection(db, clock, cast["amina"], {"learned": SAID})
    with db.reading() as session:
        cohort = session.get(Cohort, cast["frailty"])
    assert cohort is not None
    meeting = make_meeting(
        db, clock, cohort, title="Frailty board", starts_at=datetime(2026, 4, 9, 14, tzinfo=UTC)
    )
    before = len(_told(db, cast["amina"]))
    with db.transaction() as session:
        recorded = outcomes.record_outcome(
            session,
            viewer_id=cast["margaret"],
            clock=clock,
            text="Letters now go out on the day of discharge.",
            prompt_sets=prompt_sets,
            reflection_id=reflection,
            meeting_id=meeting.id,
        )
    assert (recorded.person_id, recorded.recorded_by) == (cast["amina"], cast["margaret"])
    [told] = _told(db, cast["amina"])[before:]
    for shown in ("Letters now go out on the day of discharge.", "Margaret", "09 April 2026"):
        assert shown in told
    assert "The discharge letters arrive two weeks late" in told


def test_what_came_of_a_question_is_recorded_too(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet], cast: dict[str, int]
) -> None:
    question = make_question(db, clock, cast["amina"], "Why is parking so expensive?")
    with db.transaction() as session:
        outcomes.record_outcome(
            session,
            viewer_id=cast["margaret"],
            clock=clock,
            text="Partners now get parking vouchers.",
            prompt_sets=prompt_sets,
            question_id=question,
        )
    with db.reading() as session:
        stored = session.exec(select(ContributionOutcome)).one()
    assert (stored.question_id, stored.person_id, stored.meeting_id) == (
        question,
        cast["amina"],
        None,
    )
    assert any("Why is parking so expensive?" in p for p in _told(db, cast["amina"]))


def test_private_words_and_other_cohorts_are_out_of_reach(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet], cast: dict[str, int]
) -> None:
    private = make_reflection(db, clock, cast["amina"], {"learned": SAID}, sharing="private")
    shared = make_reflection(db, clock, cast["amina"], {"learned": SAID})
    question = make_question(db, clock, cast["amina"])
    with db.transaction() as session:
        for viewer, target in (
            (cast["margaret"], {"reflection_id": private}),
            (cast["nia"], {"reflection_id": shared}),
            (cast["nia"], {"question_id": question}),
        ):
            with pytest.raises(NotFound):
                outcomes.record_outcome(
                    session,
                    viewer_id=viewer,
                    clock=clock,
                    text="Done.",
                    prompt_sets=prompt_sets,
                    **target,  # type: ignore[arg-type]
                )
        with pytest.raises(InvalidInput):
            outcomes.record_outcome(
                session,
                viewer_id=cast["margaret"],
                clock=clock,
                text="   ",
                prompt_sets=prompt_sets,
                reflection_id=shared,
            )
    with db.reading() as session:
        assert session.exec(select(ContributionOutcome)).all() == []


def test_the_excerpt_is_the_first_written_answer_cut_to_a_line(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    long = "word " * 60
    reflection = make_reflection(db, clock, cast["amina"], {"learned": long, "surprised": "No"})
    empty = make_reflection(db, clock, cast["amina"], {})
    with db.reading() as session:
        excerpt = outcomes.reflection_excerpt(session, reflection)
        nothing = outcomes.reflection_excerpt(session, empty)
    assert len(excerpt) == outcomes.EXCERPT and excerpt.endswith("…")
    assert excerpt.startswith("word word") and nothing == ""
