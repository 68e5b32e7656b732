"""The audit trail: who did what and when, read back by coordinators with names."""

from __future__ import annotations

from datetime import timedelta

from bot.db import Database
from bot.domain import audit
from bot.domain.audit import AuditFilter
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
        rows, total = audit.audit_log(session)
    assert total == 2
    newest, oldest = rows
    assert (newest.event.action, newest.actor, newest.subject) == ("outbox.pruned", "Tandem", "")
    assert (oldest.actor, oldest.subject, oldest.event.detail) == ("Tom", "Amina", "timeline")
    assert newest.event.at - oldest.event.at == timedelta(minutes=5)


def test_the_audit_log_pages_and_filters_by_action_person_and_date(
    db: Database, clock: FakeClock
) -> None:
    cast = {
        "tom": make_person(db, clock, None, Role.COORDINATOR, "Tom"),
        "margaret": make_person(db, clock, make_cohort(db, clock), Role.FACILITATOR, "Margaret"),
    }
    start = clock.now()
    with db.transaction() as session:
        for n in range(5):
            audit.record(session, clock=clock, action="dashboard.view", actor_id=cast["tom"])
            clock.advance(timedelta(seconds=n + 1))
        audit.record(session, clock=clock, action="dashboard.export", actor_id=cast["margaret"])
    with db.reading() as session:
        first, total = audit.audit_log(session, per_page=4)
        second, _ = audit.audit_log(session, page=2, per_page=4)
        exports, counted = audit.audit_log(session, wanted=AuditFilter(action="dashboard.export"))
        actions = audit.audit_actions(session)
    assert total == 6 and len(first) == 4 and len(second) == 2
    assert first[0].event.action == "dashboard.export" and first[0].actor == "Margaret"
    assert (counted, [e.actor for e in exports]) == (1, ["Margaret"])
    assert actions == ["dashboard.export", "dashboard.view"]
    with db.reading() as session:
        by_margaret, _ = audit.audit_log(session, wanted=AuditFilter(actor_id=cast["margaret"]))
        early, _ = audit.audit_log(session, wanted=AuditFilter(until=start + timedelta(seconds=2)))
        late, _ = audit.audit_log(session, wanted=AuditFilter(since=start + timedelta(seconds=2)))
        everything = [
            row for rows in audit.audit_batches(session, wanted=AuditFilter()) for row in rows
        ]
        who = audit.audit_actors(session)
    assert [r.event.action for r in by_margaret] == ["dashboard.export"]
    assert len(early) == 2 and len(late) == 4
    assert len(everything) == 6 and everything[0].event.at <= everything[-1].event.at
    assert who == [(cast["margaret"], "Margaret"), (cast["tom"], "Tom")]
