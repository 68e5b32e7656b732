"""Participation figures: who was eligible to reflect on a meeting, and who did."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.db import Database
from bot.domain import participation, people, privacy
from bot.domain.clock import FakeClock
from bot.domain.meetings import add_meeting, cancel_meeting
from bot.library.catalogue import Library
from bot.library.timetable import Timetable
from bot.models import Cohort, Role
from tests.factories import make_cohort, make_person, make_reflection

MARCH_10 = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
MARCH_20 = datetime(2026, 3, 20, 14, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def timetable() -> Timetable:
    library, problems = Library.load()
    assert problems == []
    return library.timetable


def _meeting(
    db: Database, clock: FakeClock, timetable: Timetable, cohort: Cohort, starts_at: datetime
) -> int:
    with db.transaction() as session:
        plan = add_meeting(
            session,
            cohort=cohort,
            title=f"Board {starts_at:%d %B}",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            clock=clock,
            timetable=timetable,
        )
        assert plan.meeting.id is not None
        return plan.meeting.id


def _reflect(db: Database, clock: FakeClock, person_id: int, meeting_id: int, **kw: str) -> None:
    make_reflection(db, clock, person_id, {"how_it_went": 4}, meeting_id=meeting_id, **kw)


def _by_meeting(db: Database, now: datetime, cohort_ids: list[int] | None = None) -> dict:
    with db.transaction() as session:
        rows = participation.by_meeting(session, cohort_ids=cohort_ids, now=now)
    return {row.meeting_id: (row.responded, row.eligible) for row in rows}


def test_a_partner_who_joined_after_a_meeting_is_not_eligible_for_it(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    make_person(db, clock, cohort, name="Ben")
    make_person(db, clock, cohort, role=Role.FACILITATOR, name="Fiona")
    meeting = _meeting(db, clock, timetable, cohort, MARCH_10)
    clock.set(MARCH_10 + timedelta(days=1))
    chidi = make_person(db, clock, cohort, name="Chidi")
    _reflect(db, clock, amina, meeting)
    _reflect(db, clock, chidi, meeting)  # a newcomer reads back; not counted for this one

    assert _by_meeting(db, clock.now()) == {meeting: (1, 2)}
    with db.transaction() as session:
        partners = participation.by_partner(session, cohort_ids=None, now=clock.now())
    assert [(p.name, p.responded, p.eligible) for p in partners] == [("Ben", 0, 1), ("Amina", 1, 1)]
    assert partners[1].last_response == clock.now()
    assert partners[0].last_response is None


def test_a_private_reflection_counts_as_a_response(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    meeting = _meeting(db, clock, timetable, cohort, MARCH_10)
    clock.set(MARCH_10 + timedelta(hours=3))
    _reflect(db, clock, amina, meeting, sharing="private")

    with db.transaction() as session:
        [row] = participation.by_meeting(session, cohort_ids=None, now=clock.now())
    assert (row.responded, row.eligible, row.rate) == (1, 1, 1.0)
    assert row.title == "Board 10 March"
    assert row.starts_at == MARCH_10


def test_cancelled_and_future_meetings_are_not_counted(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    held = _meeting(db, clock, timetable, cohort, MARCH_10)
    cancelled = _meeting(db, clock, timetable, cohort, MARCH_10 + timedelta(days=1))
    _meeting(db, clock, timetable, cohort, MARCH_20)
    with db.transaction() as session:
        cancel_meeting(session, meeting_id=cancelled, clock=clock)
    clock.set(MARCH_10 + timedelta(days=2))
    _reflect(db, clock, amina, held)

    assert _by_meeting(db, clock.now()) == {held: (1, 1)}
    with db.transaction() as session:
        assert participation.this_month(session, cohort_ids=None, now=clock.now()) == (1, 1)
        [partner] = participation.by_partner(session, cohort_ids=None, now=clock.now())
    assert (partner.responded, partner.eligible) == (1, 1)


def test_the_cohort_filter_leaves_out_other_cohorts(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    frailty = make_cohort(db, clock, "Frailty pathway")
    maternity = make_cohort(db, clock, "Maternity voices")
    amina = make_person(db, clock, frailty, name="Amina")
    make_person(db, clock, maternity, name="Dee")
    ours = _meeting(db, clock, timetable, frailty, MARCH_10)
    theirs = _meeting(db, clock, timetable, maternity, MARCH_10)
    clock.set(MARCH_20)
    _reflect(db, clock, amina, ours)

    assert frailty.id is not None and maternity.id is not None
    assert _by_meeting(db, clock.now()) == {ours: (1, 1), theirs: (0, 1)}
    assert _by_meeting(db, clock.now(), [maternity.id]) == {theirs: (0, 1)}
    with db.transaction() as session:
        names = participation.by_partner(session, cohort_ids=[frailty.id], now=clock.now())
        month = participation.this_month(session, cohort_ids=[frailty.id], now=clock.now())
        empty = participation.by_meeting(session, cohort_ids=[], now=clock.now())
    assert [(p.name, p.cohort) for p in names] == [("Amina", "Frailty pathway")]
    assert month == (1, 1)
    assert empty == []


def test_by_month_includes_months_without_meetings(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    make_person(db, clock, cohort, name="Ben")
    march = _meeting(db, clock, timetable, cohort, MARCH_10)
    may = _meeting(db, clock, timetable, cohort, datetime(2026, 5, 12, 14, tzinfo=UTC))
    clock.set(datetime(2026, 5, 20, tzinfo=UTC))
    _reflect(db, clock, amina, march)
    _reflect(db, clock, amina, may)

    with db.transaction() as session:
        months = participation.by_month(session, cohort_ids=None, now=clock.now(), months=4)
        this_month = participation.this_month(session, cohort_ids=None, now=clock.now())
    assert [(m.month, m.responded, m.eligible) for m in months] == [
        (date(2026, 2, 1), 0, 0),
        (date(2026, 3, 1), 1, 2),
        (date(2026, 4, 1), 0, 0),
        (date(2026, 5, 1), 1, 2),
    ]
    assert {m.cohort for m in months} == {"Frailty pathway"}
    assert months[1].rate == 0.5 and months[2].rate == 0.0
    assert this_month == (1, 2)


def test_partners_who_left_before_or_were_erased_are_not_counted(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    ben = make_person(db, clock, cohort, name="Ben")
    erased = make_person(db, clock, cohort, name="Esme")
    first = _meeting(db, clock, timetable, cohort, MARCH_10)
    second = _meeting(db, clock, timetable, cohort, MARCH_20)
    clock.set(MARCH_10 + timedelta(days=1))
    _reflect(db, clock, ben, first)
    with db.transaction() as session:
        people.leave(session, person_id=ben, clock=clock)
    clock.set(MARCH_20 + timedelta(days=1))
    _reflect(db, clock, amina, second)
    with db.transaction() as session:
        privacy.forget(session, person_id=erased, clock=clock)

    # Ben counts for the meeting before he left, not the one after; Esme for neither.
    assert _by_meeting(db, clock.now()) == {first: (1, 2), second: (1, 1)}
    with db.transaction() as session:
        partners = participation.by_partner(session, cohort_ids=None, now=clock.now())
    assert [(p.name, p.responded, p.eligible) for p in partners] == [("Amina", 1, 2)]
