"""Briefings read and questions asked from them, on their way to the facilitators."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import briefings, people
from bot.domain.answers import TEXT_LIMIT, Voice
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput
from bot.domain.notices import about_key_prefix
from bot.models import Delivery, Role
from tests.factories import make_cohort, make_person


def _notices(db: Database) -> list[Delivery]:
    with db.reading() as session:
        return list(session.exec(select(Delivery).where(Delivery.purpose == "notice")))


def test_got_it_is_recorded_once_per_briefing_and_person(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    amina, dev = make_person(db, clock, cohort, name="Amina"), make_person(db, clock, cohort)
    with db.transaction() as session:
        assert briefings.mark_read(
            session, person_id=amina, briefing_id="how-money-flows", clock=clock
        )
    with db.transaction() as session:
        again = briefings.mark_read(
            session, person_id=amina, briefing_id="how-money-flows", clock=clock
        )
        briefings.mark_read(session, person_id=dev, briefing_id="data-and-evidence", clock=clock)
    with db.reading() as session:
        assert not again
        assert briefings.read_briefings(session, person_id=amina) == {"how-money-flows"}
        assert briefings.read_briefings(session, person_id=dev) == {"data-and-evidence"}


def test_a_question_goes_to_the_partners_cohort_with_its_page(
    db: Database, clock: FakeClock
) -> None:
    amina = make_person(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        question = briefings.ask(
            session,
            person_id=amina,
            clock=clock,
            text="  What does 'system flow' mean?  ",
            briefing_id="how-money-flows",
            page=2,
        )
    assert question.text == "What does 'system flow' mean?"
    assert (question.briefing_id, question.page) == ("how-money-flows", 2)
    assert question.cohort_id is not None and question.asked_at == clock.now()


def test_a_voice_question_needs_no_text_and_an_empty_one_is_refused(
    db: Database, clock: FakeClock
) -> None:
    amina = make_person(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        spoken = briefings.ask(session, person_id=amina, clock=clock, voice=Voice("voice-9", 14))
        with pytest.raises(InvalidInput) as caught:
            briefings.ask(session, person_id=amina, clock=clock, text="   ")
    assert spoken.text is None and (spoken.voice_file_id, spoken.voice_duration) == ("voice-9", 14)
    assert caught.value.key == "question.empty"


def test_questions_are_kept_to_the_limit_and_listed_oldest_first(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    amina, dev = make_person(db, clock, cohort, name="Amina"), make_person(db, clock, cohort)
    with db.transaction() as session:
        briefings.ask(session, person_id=amina, clock=clock, text="x" * (TEXT_LIMIT + 50))
        clock.advance(timedelta(hours=1))
        briefings.ask(session, person_id=amina, clock=clock, text="Who chairs the board?")
        briefings.ask(session, person_id=dev, clock=clock, text="Not Amina's")
    with db.reading() as session:
        mine = briefings.questions_of(session, person_id=amina)
    assert [len(q.text or "") for q in mine] == [TEXT_LIMIT + 50, len("Who chairs the board?")]


def test_a_question_reaches_the_partners_reachable_facilitators_with_a_reply_button(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    make_person(db, clock, frailty, Role.FACILITATOR, "Olu", telegram_user_id=861)
    make_person(db, clock, maternity, Role.FACILITATOR, "Nia")
    amina = make_person(db, clock, frailty, name="Amina")
    with db.transaction() as session:
        people.mark_unreachable(session, telegram_user_id=861, reason="403", clock=clock)
        asked = briefings.ask_facilitators(
            session,
            person_id=amina,
            clock=clock,
            text="Who sets the budget?",
            briefing_id="how-money-flows",
            briefing_title="How the money flows",
            page=3,
        )
    assert asked.facilitators == ["Margaret"] and asked.question.page == 3
    [told] = _notices(db)
    payload = json.loads(told.payload)
    assert told.person_id == margaret and told.dedupe_key.startswith(about_key_prefix(amina))
    assert payload["params"] == {
        "name": "Amina",
        "question": "Who sets the budget?",
        "voice": False,
        "briefing": "How the money flows",
    }
    assert payload["buttons"] == [
        [["questions.buttons.reply", "question.reply", [asked.question.id]]]
    ]


def test_a_voice_question_tells_the_facilitators_it_is_a_voice_note(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    amina = make_person(db, clock, cohort, name="Amina")
    with db.transaction() as session:
        briefings.ask_facilitators(
            session, person_id=amina, clock=clock, voice=Voice("voice-3", 21)
        )
    [told] = _notices(db)
    params = json.loads(told.payload)["params"]
    assert (params["voice"], params["question"], params["briefing"]) == (True, "", None)
