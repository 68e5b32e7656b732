"""The audit trail: who did what and when, read back by coordinators with names."""

from __future__ import annotations

from datetime import timedelta

from bot.db import Database
from bot.domain import audit, overview
from bot.domain.clock import FakeClock
from bot.models import Role
from tests.factories import make_cohort, make_person


def test_an_event_records_who_did_what_to_whom_and_when(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    amina = make_person(db, clock, cohort, name="Amina")
    with db.transaction() as session:
        audit.record(
            session,
            clock=clock,
            action="dashboard.view_partner",
            actor_id=tom,
            subject_id=amina,
            detail="timeline",
        )
    clock.advance(timedelta(minutes=5))
    with db.transaction() as session:
        audit.record(session, clock=clock, action="outbox.pruned", actor_id=None)
    with db.reading() as session:
        rows, total = overview.audit_log(session)
    assert total == 2
    newest, oldest = rows
    assert (newest.event.action, newest.actor, newest.subject) == ("outbox.pruned", "Tandem", "")
    assert (oldest.actor, oldest.subject, oldest.event.detail) == ("Tom", "Amina", "timeline")
    assert newest.event.at - oldest.event.at == timedelta(minutes=5)
