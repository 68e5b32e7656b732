"""Conversation state in the database: where a person is in a flow survives a restart, a
new flow replaces the old one, and the notes a flow keeps come back as they were."""

from __future__ import annotations

from datetime import timedelta

from bot.db import Database
from bot.domain import conversation
from bot.domain.clock import FakeClock
from bot.domain.conversation import State
from tests.factories import make_cohort, make_person


def test_a_state_set_is_there_after_a_restart_until_cleared(db: Database, clock: FakeClock) -> None:
    amina = make_person(db, clock, make_cohort(db, clock))
    with db.reading() as session:
        assert conversation.get_state(session, person_id=amina) is None
    with db.transaction() as session:
        made = conversation.set_state(
            session, person_id=amina, flow="reflect", step="q1", clock=clock
        )
    assert made == State("reflect", "q1", {})
    with db.reading() as session:  # a new session, as after a restart
        assert conversation.get_state(session, person_id=amina) == State("reflect", "q1", {})
    with db.transaction() as session:
        conversation.clear_state(session, person_id=amina)
        conversation.clear_state(session, person_id=amina)  # nothing left: no harm
    with db.reading() as session:
        assert conversation.get_state(session, person_id=amina) is None


def test_a_new_state_replaces_the_old_and_each_person_has_their_own(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    amina, bill = make_person(db, clock, cohort), make_person(db, clock, cohort, name="Bill")
    with db.transaction() as session:
        conversation.set_state(
            session,
            person_id=amina,
            flow="broadcast",
            step="audience",
            clock=clock,
            data={"audience": "cohort.1"},
        )
        conversation.set_state(session, person_id=bill, flow="ask", step="text", clock=clock)
    clock.advance(timedelta(minutes=3))
    with db.transaction() as session:
        conversation.set_state(session, person_id=amina, flow="pair", step="write", clock=clock)
    with db.transaction() as session:
        conversation.clear_state(session, person_id=bill)
    with db.reading() as session:
        assert conversation.get_state(session, person_id=amina) == State("pair", "write", {})
        assert conversation.get_state(session, person_id=bill) is None


def test_the_notes_a_flow_keeps_come_back_as_they_were(db: Database, clock: FakeClock) -> None:
    amina = make_person(db, clock, make_cohort(db, clock))
    notes = {
        "text": "Zoë's question: what's the “system flow”? 🙂",
        "people": [3, 5, 8],
        "draft": {"send_at": "2026-03-05T18:00:00+00:00", "audience": None, "urgent": False},
    }
    with db.transaction() as session:
        conversation.set_state(
            session, person_id=amina, flow="broadcast", step="confirm", clock=clock, data=notes
        )
    with db.reading() as session:
        state = conversation.get_state(session, person_id=amina)
    assert state is not None and state.data == notes
