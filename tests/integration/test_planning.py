"""The planner at the domain level: idempotence, re-timing and overrides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput
from bot.domain.meetings import add_meeting
from bot.domain.planning import plan_meeting, plan_person, set_override
from bot.library.catalogue import Library
from bot.models import Delivery, DeliveryStatus, Meeting, Person
from tests.factories import make_cohort, make_person

LIBRARY, _ = Library.load()
START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def _rows(db: Database, purpose: str | None = None) -> list[Delivery]:
    with db.transaction() as session:
        query = select(Delivery)
        if purpose:
            query = query.where(Delivery.purpose == purpose)
        return list(session.exec(query).all())


def _meeting(db: Database, clock: FakeClock, cohort: object) -> Meeting:
    with db.transaction() as session:
        return add_meeting(
            session,
            cohort=cohort,
            title="Board",
            starts_at=START,  # type: ignore[arg-type]
            ends_at=START + timedelta(hours=2),
            clock=clock,
            timetable=LIBRARY.timetable,
        ).meeting


def test_planning_twice_writes_nothing_new(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    make_person(db, clock, cohort, name="Amina")
    make_person(db, clock, cohort, name="Dev")
    meeting = _meeting(db, clock, cohort)
    first = len(_rows(db))
    # Neither is in a pair, so the pairs-only rules (preparing together) are not planned.
    assert first == 2 * len([r for r in LIBRARY.timetable.meeting if not r.pairs_only])
    with db.transaction() as session:
        plan_meeting(
            session,
            meeting=session.get(Meeting, meeting.id),
            timetable=LIBRARY.timetable,
            clock=clock,
        )
    assert len(_rows(db)) == first


def test_a_new_time_zone_re_times_pending_rows_but_never_sent_ones(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    kwame = make_person(db, clock, cohort, name="Kwame")
    _meeting(db, clock, cohort)
    [reminder] = _rows(db, "reminder_day")
    [briefing] = _rows(db, "briefing")
    assert briefing.planned_for == datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
    with db.transaction() as session:
        sent = session.get(Delivery, reminder.id)
        assert sent is not None
        sent.status = DeliveryStatus.SENT
        session.add(sent)
        person = session.get(Person, kwame)
        assert person is not None
        person.time_zone = "Africa/Lagos"
        session.add(person)
    with db.transaction() as session:
        plan_person(session, person_id=kwame, timetable=LIBRARY.timetable, clock=clock)
    [briefing] = _rows(db, "briefing")
    assert briefing.planned_for == datetime(2026, 3, 3, 17, 0, tzinfo=UTC)  # 18:00 in Lagos
    [reminder_after] = _rows(db, "reminder_day")
    assert reminder_after.status == DeliveryStatus.SENT


def test_a_cohort_can_turn_a_rule_off_or_move_it(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    make_person(db, clock, cohort)
    _meeting(db, clock, cohort)
    assert cohort.id is not None
    with db.transaction() as session:
        set_override(
            session,
            cohort_id=cohort.id,
            purpose="nudge",
            enabled=False,
            timetable=LIBRARY.timetable,
            clock=clock,
        )
        set_override(
            session,
            cohort_id=cohort.id,
            purpose="briefing",
            offset="5d",
            at="09:00",
            timetable=LIBRARY.timetable,
            clock=clock,
        )
    [nudge] = _rows(db, "nudge")
    assert nudge.status == DeliveryStatus.CANCELLED
    [briefing] = _rows(db, "briefing")
    assert briefing.planned_for == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput), db.transaction() as session:
        set_override(
            session,
            cohort_id=cohort.id,
            purpose="fireworks",
            timetable=LIBRARY.timetable,
            clock=clock,
        )
