"""The longest message Telegram allows (4,096 characters) in every free-text field: it is
kept whole, or refused with a kind answer before anything is stored, never lost to a
database error. PostgreSQL enforces column lengths (SQLite does not), so CI's second run is
the one that matters; the assertions are the same on both."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import (
    briefings,
    broadcasts,
    concerns,
    meetings,
    outcomes,
    pairs,
    people,
    questions,
    reflections,
    review,
    timezones,
)
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput
from bot.domain.safeguarding import default_rules
from bot.library.catalogue import Library
from bot.models import Answer, Delivery, PartnerQuestion, Role
from tests.factories import make_cohort, make_pair, make_person, make_question, make_reflection

LONGEST = 4096  # characters in one Telegram message


def words(marker: str) -> str:
    """4,096 characters of ordinary words, ending with a marker to find them by."""
    text = ("Who decides the budget for the discharge letters? " * 90)[: LONGEST - len(marker)]
    return text + marker


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    cohort = make_cohort(db, clock)
    cast = {
        "margaret": make_person(db, clock, cohort, Role.FACILITATOR, "Margaret"),
        "amina": make_person(db, clock, cohort, name="Amina"),
        "bill": make_person(db, clock, cohort, name="Bill"),
    }
    make_pair(db, clock, cast["margaret"], cohort, cast["amina"], cast["bill"])
    return cast


def _payloads(db: Database) -> str:
    with db.reading() as session:
        return "\n".join(session.exec(select(Delivery.payload)).all())


def test_a_question_of_the_longest_length_reaches_the_facilitator_whole(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    text = words("END-OF-QUESTION")
    with db.transaction() as session:
        asked = briefings.ask_facilitators(session, person_id=cast["amina"], clock=clock, text=text)
    with db.reading() as session:
        stored = session.get(PartnerQuestion, asked.question.id)
    assert stored is not None and stored.text == text
    notice = json.loads(_payloads(db).splitlines()[-1])
    assert notice["params"]["question"] == text


def test_a_reflection_answer_of_the_longest_length_is_kept_whole(
    db: Database, clock: FakeClock, cast: dict[str, int], library: Library
) -> None:
    text = words("END-OF-JOURNAL")
    with db.transaction() as session:
        position = reflections.start(
            session,
            person_id=cast["amina"],
            prompt_set=library.prompt_sets["journal"],
            clock=clock,
        )
        assert position.question is not None and position.reflection.id is not None
        reflections.answer(
            session,
            person_id=cast["amina"],
            reflection_id=position.reflection.id,
            question_id=position.question.id,
            clock=clock,
            prompt_sets=library.prompt_sets,
            text=text,
        )
    with db.reading() as session:
        assert session.exec(select(Answer.text)).all() == [text]


def test_a_problem_reported_about_a_pair_reaches_the_facilitator(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    text = words("END-OF-REPORT")
    with db.transaction() as session:
        pairs.report_problem(session, person_id=cast["amina"], text=text, clock=clock)
    notice = json.loads(_payloads(db).splitlines()[-1])
    assert notice["params"]["text"] == text


def test_an_outcome_of_the_longest_length_reaches_the_partner(
    db: Database, clock: FakeClock, cast: dict[str, int], library: Library
) -> None:
    reflection = make_reflection(db, clock, cast["amina"], {"how_it_went": 4})
    text = words("END-OF-OUTCOME")
    with db.transaction() as session:
        outcome = outcomes.record_outcome(
            session,
            viewer_id=cast["margaret"],
            clock=clock,
            text=text,
            prompt_sets=library.prompt_sets,
            reflection_id=reflection,
        )
    assert outcome.text == text
    assert "END-OF-OUTCOME" in _payloads(db)


def test_a_safeguarding_alert_about_the_longest_message_is_written(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    text = "I want to end my life. " + words("")
    match = default_rules().check(text)
    assert match is not None
    with db.transaction() as session:
        alerted = concerns.raise_concern(
            session, person_id=cast["amina"], text=text, match=match, clock=clock
        )
    assert alerted == [cast["margaret"]]
    assert "end my life" in _payloads(db)


def _refused(action: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        action()  # type: ignore[operator]
    return refused.value


def test_fields_with_a_shorter_limit_refuse_with_a_kind_answer_and_store_nothing(
    db: Database, clock: FakeClock, cast: dict[str, int], library: Library
) -> None:
    question = make_question(db, clock, cast["amina"])
    reflection = make_reflection(db, clock, cast["amina"], {"how_it_went": 4})
    before = _payloads(db)
    text = words("TOO-LONG")
    with db.transaction() as session:
        keys = {
            _refused(
                lambda: questions.answer_question(
                    session,
                    viewer_id=cast["margaret"],
                    question_id=question,
                    text=text,
                    clock=clock,
                )
            ).key,
            _refused(
                lambda: review.reply(
                    session,
                    viewer_id=cast["margaret"],
                    reflection_id=reflection,
                    text=text,
                    clock=clock,
                )
            ).key,
            _refused(
                lambda: pairs.relay(session, sender_id=cast["amina"], text=text, clock=clock)
            ).key,
            _refused(lambda: broadcasts.check_text(text, broadcasts.SAMPLE)).key,
            _refused(
                lambda: people.set_name(session, person_id=cast["amina"], name=text, clock=clock)
            ).key,
            _refused(lambda: timezones.parse_time_zone(text)).key,
            _refused(lambda: timezones.parse_quiet_hours(text)).key,
            _refused(lambda: meetings.check_title(text)).key,
            _refused(lambda: meetings.place_or_link("https://meet.example.nhs.uk/" + text)).key,
        }
    assert all(key for key in keys)
    assert "meeting.link_too_long" in keys
    assert _payloads(db) == before, "a refusal queued nothing"


def test_a_long_place_is_kept_to_what_its_column_holds(db: Database, clock: FakeClock) -> None:
    place, link = meetings.place_or_link(words("ROOM"))
    assert link is None and place is not None and len(place) <= 200
