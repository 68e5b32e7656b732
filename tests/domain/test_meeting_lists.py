"""Meetings as people see them: a partner's upcoming meetings are their own cohort's,
a facilitator's the cohorts they run, a coordinator's all; staff see recent meetings newest
first; and who is coming to one, by name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.db import Database
from bot.domain import meeting_lists, meetings, people
from bot.domain.clock import FakeClock
from bot.domain.errors import NotAllowed
from bot.models import Cohort, Meeting, Role
from tests.factories import make_cohort, make_meeting, make_person


@pytest.fixture
def frailty(db: Database, clock: FakeClock) -> Cohort:
    return make_cohort(db, clock)


@pytest.fixture
def maternity(db: Database, clock: FakeClock) -> Cohort:
    return make_cohort(db, clock, "Maternity voices")


@pytest.fixture
def calendar(
    db: Database, clock: FakeClock, frailty: Cohort, maternity: Cohort
) -> dict[str, Meeting]:
    """Frailty pathway: one meeting over, one under way, one cancelled and two ahead;
    Maternity voices: one ahead. It is Tuesday 3 March, 10:00."""
    hours = {"over": 2, "under way": 24, "cancelled": 72, "next": 168, "later": 336}
    made = {
        name: make_meeting(
            db, clock, frailty, title=name, starts_at=clock.now() + timedelta(hours=h)
        )
        for name, h in hours.items()
    }
    made["theirs"] = make_meeting(
        db, clock, maternity, title="theirs", starts_at=clock.now() + timedelta(days=5)
    )
    with db.transaction() as session:
        meetings.cancel_meeting(session, meeting_id=made["cancelled"].id or 0, clock=clock)
    clock.set(datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    return made


def _titles(found: list[Meeting]) -> list[str]:
    return [m.title for m in found]


def test_upcoming_meetings_are_the_viewers_own_scheduled_ones_not_yet_over(
    db: Database, clock: FakeClock, frailty: Cohort, maternity: Cohort, calendar: dict[str, Meeting]
) -> None:
    viewers = {
        "amina": make_person(db, clock, frailty, name="Amina"),
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "bola": make_person(db, clock, maternity, name="Bola"),
        "tom": make_person(db, clock, None, Role.COORDINATOR, "Tom"),
    }

    def upcoming(viewer: str, limit: int = 10) -> list[str]:
        with db.reading() as session:
            return _titles(
                meeting_lists.upcoming(
                    session, viewer_id=viewers[viewer], now=clock.now(), limit=limit
                )
            )

    assert upcoming("amina") == upcoming("margaret") == ["under way", "next", "later"]
    assert upcoming("amina", limit=2) == ["under way", "next"]
    assert upcoming("bola") == ["theirs"]
    assert upcoming("tom") == ["under way", "theirs", "next", "later"]
    with db.transaction() as session:
        people.leave(session, person_id=viewers["amina"], clock=clock)
    assert upcoming("amina") == []


def test_staff_see_recent_meetings_newest_first_and_only_ended_ones_when_asked(
    db: Database, clock: FakeClock, frailty: Cohort, maternity: Cohort, calendar: dict[str, Meeting]
) -> None:
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    amina = make_person(db, clock, frailty, name="Amina")
    with db.reading() as session:
        mine = meeting_lists.recent(session, viewer_id=margaret, limit=10)
        ended = meeting_lists.recent(session, viewer_id=margaret, limit=10, ended_by=clock.now())
        everyone = meeting_lists.recent(session, viewer_id=tom, limit=3)
        with pytest.raises(NotAllowed):
            meeting_lists.recent(session, viewer_id=amina, limit=10)
    assert _titles(mine) == ["later", "next", "cancelled", "under way", "over"]
    assert _titles(ended) == ["over"]
    assert _titles(everyone) == ["later", "next", "theirs"]


def test_attendance_lists_the_cohorts_partners_by_their_answer_and_name(
    db: Database, clock: FakeClock, frailty: Cohort, calendar: dict[str, Meeting]
) -> None:
    meeting = calendar["next"]
    answers = {"Eve": True, "Amina": True, "Bill": False, "Chloe": None, "Dan": True}
    ids = {name: make_person(db, clock, frailty, name=name) for name in answers}
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    with db.transaction() as session:
        for name, attending in [*answers.items(), ("Margaret", True)]:
            person = ids.get(name, margaret)
            if attending is not None:
                meetings.set_rsvp(
                    session,
                    meeting_id=meeting.id or 0,
                    person_id=person,
                    attending=attending,
                    clock=clock,
                )
        people.leave(session, person_id=ids["Dan"], clock=clock)
    with db.reading() as session:
        found = meeting_lists.attendance(session, meeting=meeting)
        cohort = meeting_lists.cohort_name(session, meeting=meeting)
    assert found == meeting_lists.Attendance(
        coming=["Amina", "Eve"], not_coming=["Bill"], unknown=["Chloe"]
    )
    assert cohort == "Frailty pathway"
