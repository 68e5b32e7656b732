"""Attendance (issue 18): the sheet of a meeting that has begun lists its cohort's partners,
pre-filled from what they said they would do; a facilitator confirms or corrects it; only
those who run the cohort may; and confirmed attendance is what the record counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.db import Database
from bot.domain import attendance, meetings
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import Role
from tests.factories import make_cohort, make_meeting, make_person


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    frailty = make_cohort(db, clock)
    maternity = make_cohort(db, clock, "Maternity voices")
    people = {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "amina": make_person(db, clock, frailty, name="Amina"),
        "bill": make_person(db, clock, frailty, name="Bill"),
        "dev": make_person(db, clock, frailty, name="Dev"),
        "other": make_person(db, clock, maternity, Role.FACILITATOR, "Olu"),
        "coordinator": make_person(db, clock, None, Role.COORDINATOR, "Chris"),
    }
    meeting = make_meeting(db, clock, frailty, starts_at=clock.now() + timedelta(days=1))
    with db.transaction() as session:
        for who, coming in (("amina", True), ("bill", False)):
            meetings.set_rsvp(
                session,
                meeting_id=meeting.id or 0,
                person_id=people[who],
                attending=coming,
                clock=clock,
            )
    return people | {"meeting": meeting.id or 0}


def test_a_sheet_is_prefilled_from_rsvps_once_the_meeting_has_begun(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.transaction() as session, pytest.raises(InvalidInput):
        attendance.attendance_sheet(
            session, meeting_id=cast["meeting"], person_id=cast["margaret"], clock=clock
        )
    clock.advance(timedelta(days=1, hours=3))
    with db.transaction() as session:
        sheet = attendance.attendance_sheet(
            session, meeting_id=cast["meeting"], person_id=cast["margaret"], clock=clock
        )
    lines = {line.name: line for line in sheet.lines}
    assert set(lines) == {"Amina", "Bill", "Dev"}
    assert lines["Amina"].attended and lines["Amina"].said is True
    assert not lines["Bill"].attended and not lines["Dev"].attended
    assert not sheet.confirmed and sheet.count == 1


def test_confirming_records_who_was_there_and_can_be_corrected(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    clock.advance(timedelta(days=1, hours=3))
    with db.transaction() as session:
        sheet = attendance.confirm_attendance(
            session,
            meeting_id=cast["meeting"],
            person_id=cast["margaret"],
            attended=[cast["amina"], cast["dev"]],
            clock=clock,
        )
    assert sheet.confirmed and sheet.count == 2
    with db.transaction() as session:
        attendance.set_attended(
            session,
            meeting_id=cast["meeting"],
            person_id=cast["margaret"],
            partner_id=cast["dev"],
            attended=False,
            clock=clock,
        )
        assert attendance.was_there(session, meeting_id=cast["meeting"], person_id=cast["amina"])
        assert not attendance.was_there(session, meeting_id=cast["meeting"], person_id=cast["dev"])
        assert [m.id for m in attendance.meetings_attended(session, person_id=cast["amina"])] == [
            cast["meeting"]
        ]
        assert attendance.meetings_attended(session, person_id=cast["dev"]) == []
        assert (
            attendance.unconfirmed_meetings(session, person_id=cast["margaret"], clock=clock) == []
        )


def test_only_those_who_run_the_cohort_may_see_or_confirm_it(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    clock.advance(timedelta(days=1, hours=3))
    with db.transaction() as session:
        assert [
            m.id
            for m in attendance.unconfirmed_meetings(
                session, person_id=cast["coordinator"], clock=clock
            )
        ] == [cast["meeting"]]
        attendance.attendance_sheet(
            session, meeting_id=cast["meeting"], person_id=cast["coordinator"], clock=clock
        )
    for outsider, error in (("other", NotFound), ("amina", NotAllowed)):
        with db.transaction() as session, pytest.raises(error):
            attendance.confirm_attendance(
                session,
                meeting_id=cast["meeting"],
                person_id=cast[outsider],
                attended=[cast["amina"]],
                clock=clock,
            )
    with db.transaction() as session, pytest.raises(NotFound):
        attendance.confirm_attendance(  # someone not on the sheet
            session,
            meeting_id=cast["meeting"],
            person_id=cast["margaret"],
            attended=[cast["margaret"]],
            clock=clock,
        )
