"""A person's own account: resuming after a pause brings back what it held, and leaving
tells their facilitators, ends their memberships, stops every message still waiting and is
audited, while their words stay until they ask to be forgotten."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import account, notices, outbox, people
from bot.domain.clock import FakeClock
from bot.domain.outbox.contents import prepare
from bot.models import (
    AuditEvent,
    Delivery,
    DeliveryStatus,
    Membership,
    PersonStatus,
    Reflection,
    Role,
)
from tests.factories import (
    add_to_cohort,
    make_cohort,
    make_meeting,
    make_person,
    make_reflection,
)


def _rows(db: Database, person_id: int) -> dict[str, Delivery]:
    with db.reading() as session:
        found = session.exec(select(Delivery).where(Delivery.person_id == person_id))
        return {row.dedupe_key: row for row in found}


def _dispatch(db: Database, clock: FakeClock, *, send: bool) -> list[int]:
    """A dispatcher tick; returns the people whose messages went (recorded sent if `send`)."""
    with db.transaction() as session:
        rows = outbox.claim_due(session, worker="dispatcher", clock=clock)
        due, held = prepare(session, rows, clock.now())
        sent = [outbox.sent(d.row, now=clock.now(), message_id=1) for d in due] if send else []
        outbox.record(session, held + sent, clock=clock)
    return [d.person.id or 0 for d in due]


def _notice(db: Database, clock: FakeClock, person_id: int, key: str = "notify.question") -> None:
    with db.transaction() as session:
        notices.notify(session, person_ids=[person_id], key=key, clock=clock)


def test_resuming_without_a_pause_changes_nothing(db: Database, clock: FakeClock) -> None:
    amina = make_person(db, clock, make_cohort(db, clock))
    clock.set(datetime(2026, 3, 2, 23, 0, tzinfo=UTC))
    _notice(db, clock, amina)
    assert _dispatch(db, clock, send=True) == []  # held for her quiet hours, until 08:00
    with db.transaction() as session:
        assert account.resume(session, person_id=amina, clock=clock) is False
    [row] = _rows(db, amina).values()
    assert row.due_at == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # still held for the night
    with db.transaction() as session:
        people.pause(session, person_id=amina, choice="1w", clock=clock)
    clock.advance(timedelta(weeks=1))  # the pause ran out by itself
    with db.transaction() as session:
        assert account.resume(session, person_id=amina, clock=clock) is False


def test_resuming_brings_what_the_pause_held_back_forward_to_now(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort)
    make_meeting(db, clock, cohort)  # her briefing, reminders and prompts, all still ahead
    with db.transaction() as session:
        people.pause(session, person_id=amina, choice="2w", clock=clock)
    _notice(db, clock, amina)
    assert _dispatch(db, clock, send=True) == []  # held back by the pause
    ahead = {k: r.due_at for k, r in _rows(db, amina).items() if r.purpose != "notice"}
    clock.advance(timedelta(hours=3))
    with db.transaction() as session:
        assert account.resume(session, person_id=amina, clock=clock) is True
        assert not people.is_paused(people.get_person(session, person_id=amina), now=clock.now())
    rows = _rows(db, amina)
    [held] = [r for r in rows.values() if r.purpose == "notice"]
    assert held.due_at == clock.now()
    assert {k: r.due_at for k, r in rows.items() if r.purpose != "notice"} == ahead
    assert _dispatch(db, clock, send=True) == [amina]


def test_leaving_tells_the_facilitators_ends_memberships_and_stops_what_is_waiting(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    elsewhere = make_cohort(db, clock, "Elsewhere")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    nia = make_person(db, clock, maternity, Role.FACILITATOR, "Nia")
    zed = make_person(db, clock, elsewhere, Role.FACILITATOR, "Zed")
    amina = make_person(db, clock, frailty, name="Amina")
    add_to_cohort(db, clock, amina, maternity)
    make_reflection(db, clock, amina, {})
    _notice(db, clock, amina, "notify.answer")
    _dispatch(db, clock, send=True)  # that one reached her
    make_meeting(db, clock, frailty)
    with db.transaction() as session:
        person = account.leave(session, person_id=amina, clock=clock)
    assert person.status == PersonStatus.LEFT
    told = {}
    with db.reading() as session:
        assert people.cohorts_of(session, person_id=amina) == []
        for row in session.exec(select(Delivery).where(Delivery.purpose == "notice")):
            if row.person_id != amina:
                told[row.person_id] = json.loads(row.payload)["params"]
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "left")).all()
        kept = session.exec(select(Reflection).where(Reflection.person_id == amina)).all()
    assert told == {
        margaret: {"cohort": "Frailty pathway", "name": "Amina"},
        nia: {"cohort": "Maternity voices", "name": "Amina"},
    }
    assert zed not in told
    statuses = {(r.purpose, r.status, r.last_error) for r in _rows(db, amina).values()}
    assert ("notice", DeliveryStatus.SENT, None) in statuses
    assert {s for p, s, _ in statuses if p != "notice"} == {DeliveryStatus.CANCELLED}
    assert {e for p, _, e in statuses if p != "notice"} == {"left Tandem"}
    assert (event.actor_id, event.subject_id, event.detail) == (amina, amina, None)
    assert len(kept) == 1  # her words stay until she asks to be forgotten


def test_coming_back_within_a_year_restores_memberships_plans_and_tells_the_facilitators(
    db: Database, clock: FakeClock
) -> None:
    from bot.library.catalogue import Library

    library, _ = Library.load()
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    old = make_cohort(db, clock, "Old group")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    amina = make_person(db, clock, frailty, name="Amina")
    add_to_cohort(db, clock, amina, maternity)
    add_to_cohort(db, clock, amina, old)
    with db.transaction() as session:  # she had left the old group before
        [gone] = session.exec(
            select(Membership).where(Membership.person_id == amina, Membership.cohort_id == old.id)
        ).all()
        gone.left_at = clock.now()
        session.add(gone)
    clock.advance(timedelta(days=1))
    make_meeting(db, clock, frailty, starts_at=clock.now() + timedelta(days=20))
    with db.transaction() as session:
        account.leave(session, person_id=amina, clock=clock)
    clock.advance(timedelta(days=200))
    with db.transaction() as session:
        person = account.rejoin(session, person_id=amina, timetable=library.timetable, clock=clock)
        assert person.status == PersonStatus.ACTIVE and person.left_at is None
    with db.reading() as session:
        names = sorted(p.cohort.name for p in people.cohorts_of(session, person_id=amina))
        back = [
            json.loads(r.payload)["key"]
            for r in session.exec(select(Delivery).where(Delivery.person_id == margaret))
        ]
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "rejoined")).all()
    # The cohort she had left before /stop stays left; the others are hers again.
    assert names == ["Frailty pathway", "Maternity voices"]
    assert "notify.partner_rejoined" in back
    assert (event.actor_id, event.subject_id) == (amina, amina)
    planned = [r for r in _rows(db, amina).values() if r.status == DeliveryStatus.PENDING]
    assert planned, "what she should get before the next meeting is planned again"


def test_after_a_year_coming_back_needs_a_new_invite(db: Database, clock: FakeClock) -> None:
    from bot.domain.errors import InvalidInput
    from bot.library.catalogue import Library

    library, _ = Library.load()
    amina = make_person(db, clock, make_cohort(db, clock), name="Amina")
    with db.transaction() as session:
        account.leave(session, person_id=amina, clock=clock)
    clock.advance(account.REJOIN_WITHIN + timedelta(minutes=1))
    with db.transaction() as session:
        person = people.get_person(session, person_id=amina)
        assert not account.can_rejoin(person, clock=clock)
        with pytest.raises(InvalidInput) as refused:
            account.rejoin(session, person_id=amina, timetable=library.timetable, clock=clock)
        assert refused.value.key == "rejoin.too_late"
    with db.reading() as session:
        assert people.get_person(session, person_id=amina).status == PersonStatus.LEFT
