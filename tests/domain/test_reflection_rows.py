"""Shared reflections as the dashboard shows them: plain rows, answers in words and in the
set's order, and no author on an anonymised one."""

from __future__ import annotations

from sqlmodel import col, select

from bot.db import Database
from bot.domain.answers import Voice
from bot.domain.clock import FakeClock
from bot.domain.reflection_rows import COLUMNS, ReflectionRow, rows_from
from bot.domain.reflections import answer, start
from bot.library.prompts import PromptSet
from bot.models import Person, Reflection, Sharing
from tests.factories import make_cohort, make_meeting, make_person, make_reflection


def _rows(db: Database, prompt_sets: dict[str, PromptSet], *ids: int) -> dict[int, ReflectionRow]:
    with db.reading() as session:
        found = session.exec(
            select(*COLUMNS)  # type: ignore[call-overload]
            .join(Person, col(Person.id) == col(Reflection.person_id))
            .where(col(Reflection.id).in_(ids))
        ).all()
        return {row.id: row for row in rows_from(session, found, prompt_sets)}


def test_an_anonymised_row_carries_no_author_and_a_named_one_does(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet]
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    meeting = make_meeting(db, clock, cohort, title="Frailty board")
    named = make_reflection(db, clock, amina, {}, meeting_id=meeting.id)
    anonymous = make_reflection(db, clock, amina, {}, sharing="anonymised")
    rows = _rows(db, prompt_sets, named, anonymous)
    assert (rows[named].author, rows[named].person_id) == ("Amina", amina)
    assert (rows[anonymous].author, rows[anonymous].person_id) == (None, None)
    assert rows[anonymous].sharing == Sharing.ANONYMISED
    assert rows[named].meeting == "Frailty board" and rows[anonymous].meeting is None
    assert {r.cohort for r in rows.values()} == {"Frailty pathway"}


def test_answers_are_in_words_and_in_the_sets_order(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet]
) -> None:
    amina = make_person(db, clock, make_cohort(db, clock), name="Amina")
    rid = make_reflection(
        db,
        clock,
        amina,
        {"how_it_went": 5, "equal_partner": 2, "get_in_touch": "no", "learned": "Budgets"},
    )
    [row] = _rows(db, prompt_sets, rid).values()
    shown = [(a.question_id, a.shown) for a in row.answers]
    assert shown[:5] == [
        ("how_it_went", "5 out of 5"),
        ("equal_partner", "2 out of 5"),
        ("get_in_touch", "No"),
        ("learned", "Budgets"),
        ("surprised", "Skipped"),
    ]
    assert row.answers[0].number == 5 and row.answers[0].top == 5
    assert row.answers[4].skipped and row.answers[4].number is None


def test_a_voice_answer_shows_its_length(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet]
) -> None:
    amina = make_person(db, clock, make_cohort(db, clock), name="Amina")
    with db.transaction() as session:
        rid = start(
            session, person_id=amina, prompt_set=prompt_sets["journal"], clock=clock
        ).reflection.id
        question = prompt_sets["journal"].questions[0].id
        answer(
            session,
            person_id=amina,
            reflection_id=rid or 0,
            question_id=question,
            voice=Voice("voice-3", 95),
            clock=clock,
            prompt_sets=prompt_sets,
        )
    [row] = _rows(db, prompt_sets, rid or 0).values()
    assert row.answers[0].shown == "Voice note, 1:35" and row.answers[0].voice_seconds == 95
