"""Meetings: what a facilitator may set up, and what partners notice when one moves or is
cancelled (every planned message follows, and they are told)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import meetings
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotFound
from bot.library.timetable import Timetable
from bot.models import Cohort, Delivery, DeliveryStatus, MeetingStatus, Role
from tests.factories import make_cohort, make_meeting, make_person

START = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)  # a Thursday, ten days after the clock
LONDON = ZoneInfo("Europe/London")


def _deliveries(db: Database, purpose: str | None = None) -> list[Delivery]:
    with db.reading() as session:
        query = select(Delivery)
        if purpose is not None:
            query = query.where(Delivery.purpose == purpose)
        return list(session.exec(query).all())


def _add(
    db: Database, clock: FakeClock, timetable: Timetable, cohort: Cohort, **changes: object
) -> meetings.MeetingPlan:
    asked: dict[str, object] = {
        "title": "Frailty board",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
    } | changes
    with db.transaction() as session:
        return meetings.add_meeting(
            session,
            cohort=cohort,
            clock=clock,
            timetable=timetable,
            **asked,  # type: ignore[arg-type]
        )


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"title": "  "}, "meeting.bad_title"),
        ({"title": "x" * 121}, "meeting.bad_title"),
        (
            {
                "starts_at": datetime(2026, 3, 1, 14, 0, tzinfo=UTC),
                "ends_at": datetime(2026, 3, 1, 16, 0, tzinfo=UTC),
            },
            "meeting.in_the_past",
        ),
        ({"ends_at": START + timedelta(minutes=2)}, "meeting.bad_length"),
        ({"ends_at": START + timedelta(hours=13)}, "meeting.bad_length"),
        ({"starts_at": datetime(2026, 3, 12, 14, 0)}, "meeting.bad_times"),
        ({"join_url": "http://meet.example.org/x"}, "meeting.bad_link"),
    ],
)
def test_meetings_that_cannot_work_are_refused(
    db: Database, clock: FakeClock, timetable: Timetable, changes: dict[str, object], key: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _add(db, clock, timetable, make_cohort(db, clock), **changes)
    assert caught.value.key == key
    assert _deliveries(db) == []


def test_a_new_meeting_plans_messages_for_each_partner(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina, dev = make_person(db, clock, cohort, name="Amina"), make_person(db, clock, cohort)
    plan = _add(db, clock, timetable, cohort, papers=["how-money-flows", "data-and-evidence"])
    rows = _deliveries(db)
    assert plan.planned == len(rows) > 0
    assert {r.person_id for r in rows} == {amina, dev}
    assert meetings.papers_of(plan.meeting) == ["how-money-flows", "data-and-evidence"]


def test_moving_a_meeting_moves_its_messages_and_tells_partners(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    meeting = _add(db, clock, timetable, cohort).meeting
    before = {r.purpose: r.planned_for for r in _deliveries(db) if r.purpose != "meeting_moved"}
    later = START + timedelta(days=7)
    with db.transaction() as session:
        meetings.move_meeting(
            session,
            meeting_id=meeting.id or 0,
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            clock=clock,
            timetable=timetable,
        )
    after = {
        r.purpose: r.planned_for for r in _deliveries(db) if r.status == DeliveryStatus.PENDING
    }
    for purpose, planned_for in before.items():  # a week later, at the same time in London
        moved = after[purpose].astimezone(LONDON).replace(tzinfo=None)
        assert moved == planned_for.astimezone(LONDON).replace(tzinfo=None) + timedelta(days=7)
    [told] = _deliveries(db, "meeting_moved")
    assert told.person_id == amina
    assert json.loads(told.payload)["from"] == START.isoformat()


def test_cancelling_a_meeting_cancels_its_messages_once(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    meeting = _add(db, clock, timetable, cohort).meeting
    planned = len(_deliveries(db))
    with db.transaction() as session:
        plan = meetings.cancel_meeting(session, meeting_id=meeting.id or 0, clock=clock)
    with db.transaction() as session:
        again = meetings.cancel_meeting(session, meeting_id=meeting.id or 0, clock=clock)
        with pytest.raises(InvalidInput):
            meetings.move_meeting(
                session,
                meeting_id=meeting.id or 0,
                starts_at=START,
                ends_at=START + timedelta(hours=1),
                clock=clock,
                timetable=timetable,
            )
    assert plan.cancelled == planned and again.cancelled == 0
    assert plan.meeting.status == MeetingStatus.CANCELLED
    [told] = _deliveries(db, "meeting_cancelled")
    assert told.person_id == amina
    assert all(r.status == DeliveryStatus.CANCELLED for r in _deliveries(db) if r.id != told.id)


def test_another_cohorts_meeting_is_not_found_and_cannot_be_answered(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    amina = make_person(db, clock, frailty, name="Amina")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    theirs = make_meeting(db, clock, maternity, title="Maternity board")
    with db.transaction() as session:
        with pytest.raises(NotFound):
            meetings.visible_meeting(session, meeting_id=theirs.id or 0, person_id=amina)
        with pytest.raises(NotFound):
            meetings.set_rsvp(
                session, meeting_id=theirs.id or 0, person_id=amina, attending=True, clock=clock
            )
        with pytest.raises(NotFound):
            meetings.get_meeting(session, meeting_id=999_999)
        seen = meetings.visible_meeting(session, meeting_id=theirs.id or 0, person_id=tom)
    assert seen.title == "Maternity board"


def test_the_latest_rsvp_counts(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    amina, dev = make_person(db, clock, cohort, name="Amina"), make_person(db, clock, cohort)
    meeting = make_meeting(db, clock, cohort)
    with db.transaction() as session:
        meetings.set_rsvp(
            session, meeting_id=meeting.id or 0, person_id=amina, attending=True, clock=clock
        )
        meetings.set_rsvp(
            session, meeting_id=meeting.id or 0, person_id=dev, attending=True, clock=clock
        )
    with db.transaction() as session:
        meetings.set_rsvp(
            session, meeting_id=meeting.id or 0, person_id=amina, attending=False, clock=clock
        )
    with db.reading() as session:
        assert meetings.rsvps(session, meeting_id=meeting.id or 0) == {amina: False, dev: True}


def test_meetings_are_listed_soonest_first_by_cohort(db: Database, clock: FakeClock) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    late = make_meeting(db, clock, frailty, title="Later", starts_at=START + timedelta(days=14))
    soon = make_meeting(db, clock, frailty, title="Sooner", starts_at=START)
    make_meeting(db, clock, maternity, title="Elsewhere", starts_at=START)
    with db.reading() as session:
        mine = meetings.list_meetings(session, cohort_ids=[frailty.id or 0])
        after = meetings.list_meetings(session, after=START + timedelta(days=1))
    assert [m.id for m in mine] == [soon.id, late.id]
    assert [m.title for m in after] == ["Later"]
