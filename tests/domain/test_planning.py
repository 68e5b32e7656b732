"""The planner: the calendar and the timetable become outbox rows for each partner, in
their own time zone; planning again writes nothing new and only re-times what is pending;
a cohort can turn a rule off or move it; one instance plans at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.db import Database
from bot.domain import people
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput
from bot.domain.meetings import cancel_meeting
from bot.domain.planning import (
    plan_meeting,
    plan_person,
    plan_recurring_for_everyone,
    planner_lock,
    set_override,
    stale_meetings,
)
from bot.library.timetable import Timetable
from bot.models import Cohort, Delivery, DeliveryStatus, Meeting, Person, Role
from tests.factories import make_cohort, make_meeting, make_person

START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def _rows(db: Database, purpose: str | None = None) -> list[Delivery]:
    with db.transaction() as session:
        query = select(Delivery)
        if purpose:
            query = query.where(Delivery.purpose == purpose)
        return list(session.exec(query).all())


def _meeting(db: Database, clock: FakeClock, cohort: Cohort) -> Meeting:
    return make_meeting(db, clock, cohort, title="Board", starts_at=START)


def test_planning_twice_writes_nothing_new(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    make_person(db, clock, cohort, name="Amina")
    make_person(db, clock, cohort, name="Dev")
    meeting = _meeting(db, clock, cohort)
    first = len(_rows(db))
    # Neither is in a pair, so the pairs-only rules (preparing together) are not planned.
    assert first == 2 * len(
        [r for r in timetable.meeting if not r.pairs_only and r.audience == "partners"]
    )
    with db.transaction() as session:
        plan_meeting(
            session,
            meeting=session.get(Meeting, meeting.id),  # type: ignore[arg-type]
            timetable=timetable,
            clock=clock,
        )
    assert len(_rows(db)) == first


def test_a_new_time_zone_re_times_pending_rows_but_never_sent_ones(
    db: Database, clock: FakeClock, timetable: Timetable
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
        plan_person(session, person_id=kwame, timetable=timetable, clock=clock)
    [briefing] = _rows(db, "briefing")
    assert briefing.planned_for == datetime(2026, 3, 3, 17, 0, tzinfo=UTC)  # 18:00 in Lagos
    [reminder_after] = _rows(db, "reminder_day")
    assert reminder_after.status == DeliveryStatus.SENT


def test_a_cohort_can_turn_a_rule_off_or_move_it(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
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
            timetable=timetable,
            clock=clock,
        )
        set_override(
            session,
            cohort_id=cohort.id,
            purpose="briefing",
            offset="5d",
            at="09:00",
            timetable=timetable,
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
            timetable=timetable,
            clock=clock,
        )


def test_an_override_needs_a_duration_and_a_time_of_day_it_can_read(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    for typed in ({"offset": "a week"}, {"at": "teatime"}):
        with pytest.raises(InvalidInput) as refused, db.transaction() as session:
            set_override(
                session,
                cohort_id=cohort.id or 0,
                purpose="briefing",
                timetable=timetable,
                clock=clock,
                **typed,  # type: ignore[arg-type]
            )
        assert refused.value.key == "timetable.bad_value"


def test_turning_a_rule_off_touches_only_that_cohorts_rows_of_that_purpose(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    amina = make_person(db, clock, frailty, name="Amina")
    bola = make_person(db, clock, maternity, name="Bola")
    make_meeting(db, clock, frailty)
    make_meeting(db, clock, maternity)
    with db.transaction() as session:
        set_override(
            session,
            cohort_id=frailty.id or 0,
            purpose="nudge",
            enabled=False,
            timetable=timetable,
            clock=clock,
        )
    status = {(r.person_id, r.purpose): (r.status, r.last_error) for r in _rows(db)}
    assert status[amina, "nudge"] == (DeliveryStatus.CANCELLED, "turned off for the cohort")
    assert status[bola, "nudge"] == (DeliveryStatus.PENDING, None)
    assert {s for (_, purpose), (s, _) in status.items() if purpose != "nudge"} == {
        DeliveryStatus.PENDING
    }
    make_meeting(db, clock, frailty, starts_at=clock.now() + timedelta(days=14))
    make_meeting(db, clock, maternity, starts_at=clock.now() + timedelta(days=14))
    nudged = sorted(r.person_id for r in _rows(db, "nudge") if r.status == DeliveryStatus.PENDING)
    assert nudged == [bola, bola]


def test_someone_who_joins_late_gets_only_what_is_still_useful(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    last = make_meeting(db, clock, cohort, title="Last", starts_at=clock.now() + timedelta(days=1))
    ahead = make_meeting(db, clock, cohort, title="Next", starts_at=START + timedelta(days=2))
    make_meeting(db, clock, cohort, title="Far", starts_at=clock.now() + timedelta(days=60))
    clock.set(datetime(2026, 3, 4, 12, 0, tzinfo=UTC))  # a day after the last meeting ended
    kwame = make_person(db, clock, cohort, name="Kwame")
    with db.transaction() as session:
        written = plan_person(session, person_id=kwame, timetable=timetable, clock=clock)
    rows = _rows(db)
    assert written == len(rows)
    assert {(r.meeting_id, r.purpose) for r in rows} == {
        (last.id, "reflection"),
        (last.id, "nudge"),
        (last.id, "what_changed"),
        *(
            (ahead.id, r.purpose)
            for r in timetable.meeting
            if not r.pairs_only and r.audience == "partners"
        ),
        (None, "check_in"),
    }
    assert all(r.expires_at is None or r.expires_at > clock.now() for r in rows)
    [check_in] = [r for r in rows if r.purpose == "check_in"]
    assert check_in.planned_for == datetime(2026, 4, 1, 9, 0, tzinfo=UTC)  # 10:00 BST


def test_only_active_reachable_partners_are_planned_for(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    blocked = make_person(db, clock, cohort, name="Bill", telegram_user_id=811)
    gone = make_person(db, clock, cohort, name="Chloe")
    margaret = make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    with db.transaction() as session:
        people.mark_unreachable(session, telegram_user_id=811, reason="403", clock=clock)
        people.leave(session, person_id=gone, clock=clock)
    make_meeting(db, clock, cohort)
    assert {r.person_id for r in _rows(db)} == {amina}
    with db.transaction() as session:
        for person in (gone, margaret):
            assert plan_person(session, person_id=person, timetable=timetable, clock=clock) == 0
    assert blocked not in {r.person_id for r in _rows(db)}


def test_a_meeting_is_planned_again_when_changed_or_a_day_old_but_not_when_cancelled(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    board = make_meeting(db, clock, cohort)
    dropped = make_meeting(db, clock, cohort, starts_at=clock.now() + timedelta(days=8))
    make_meeting(db, clock, cohort, starts_at=clock.now() + timedelta(days=50))  # out of reach
    with db.transaction() as session:
        cancel_meeting(session, meeting_id=dropped.id or 0, clock=clock)
        assert stale_meetings(session, now=clock.now()) == []
    clock.advance(timedelta(hours=25))
    with db.transaction() as session:
        assert [m.id for m in stale_meetings(session, now=clock.now())] == [board.id]
        meeting = session.get(Meeting, board.id)
        assert meeting is not None
        plan_meeting(session, meeting=meeting, timetable=timetable, clock=clock)
    with db.transaction() as session:
        assert stale_meetings(session, now=clock.now()) == []
        assert plan_meeting(session, meeting=dropped, timetable=timetable, clock=clock) == 0


def test_calendar_rules_are_planned_for_every_partner_in_batches(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    partners = [make_person(db, clock, cohort, name=n) for n in ("Amina", "Bill", "Chloe")]
    make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    with db.transaction() as session:
        first, after = plan_recurring_for_everyone(
            session, timetable=timetable, clock=clock, batch=2
        )
        second, done = plan_recurring_for_everyone(
            session, timetable=timetable, clock=clock, after_person=after or 0, batch=2
        )
    assert (first, after, second, done) == (2, partners[1], 1, None)
    assert sorted(r.person_id for r in _rows(db, "check_in")) == partners


def test_the_planner_lock_is_always_granted_on_sqlite(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("on PostgreSQL the lock is an advisory lock (the next test)")
    with db.transaction() as first, Session(db.engine) as second:
        assert planner_lock(first) and planner_lock(second)


def test_a_second_instance_is_refused_the_planner_lock_while_the_first_plans(
    db: Database,
) -> None:
    if db.is_sqlite:
        pytest.skip("needs PostgreSQL: only there can several instances plan at once")
    with db.transaction() as first:
        assert planner_lock(first)
        with Session(db.engine) as second:
            assert not planner_lock(second)
    with Session(db.engine) as later:  # the first committed: the lock went with it
        assert planner_lock(later)
