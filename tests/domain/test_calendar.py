"""Calendar files: one meeting to add to a calendar, and each person's private feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import func, select

from bot.db import Database
from bot.domain import calendar, people
from bot.domain.clock import FakeClock
from bot.domain.meetings import cancel_meeting
from bot.models import Delivery
from tests.factories import make_cohort, make_meeting, make_person

START = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def test_the_calendar_feed_needs_the_current_secret(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort)
    make_meeting(db, clock, cohort, title="Board", starts_at=START)
    with db.transaction() as session:
        old = calendar.new_feed_token(session, person_id=amina, clock=clock)
        new = calendar.new_feed_token(session, person_id=amina, clock=clock)
    with db.transaction() as session:
        assert calendar.feed_for_token(session, token=old, clock=clock) is None
        feed = calendar.feed_for_token(session, token=new, clock=clock)
        stored = session.exec(select(func.count()).select_from(Delivery)).one()
    assert feed is not None and b"SUMMARY:Board" in feed and stored > 0
    assert new.encode() not in feed


def test_one_meeting_as_a_file_has_the_place_and_the_link(db: Database, clock: FakeClock) -> None:
    meeting = make_meeting(
        db,
        clock,
        make_cohort(db, clock),
        title="Frailty board",
        starts_at=START,
        place="Room 3B, St Mary's",
        join_url="https://meet.example.nhs.uk/frailty",
    )
    ics = calendar.meeting_ics(meeting, clock=clock).decode()
    assert "SUMMARY:Frailty board" in ics
    assert "DTSTART:20260310T140000Z" in ics and "DTEND:20260310T160000Z" in ics
    assert "LOCATION:Room 3B\\, St Mary's" in ics
    assert "URL:https://meet.example.nhs.uk/frailty" in ics
    assert "STATUS:CANCELLED" not in ics


def test_the_feed_shows_only_the_persons_own_cohorts_and_marks_cancellations(
    db: Database, clock: FakeClock
) -> None:
    frailty, diabetes = make_cohort(db, clock), make_cohort(db, clock, "Diabetes prevention")
    amina = make_person(db, clock, frailty)
    make_meeting(db, clock, frailty, title="Frailty board", starts_at=START)
    cancelled = make_meeting(
        db, clock, frailty, title="Extra session", starts_at=START + timedelta(days=7)
    )
    make_meeting(db, clock, diabetes, title="Diabetes board", starts_at=START)
    with db.transaction() as session:
        cancel_meeting(session, meeting_id=cancelled.id or 0, clock=clock)
        token = calendar.new_feed_token(session, person_id=amina, clock=clock)
    with db.reading() as session:
        feed = (calendar.feed_for_token(session, token=token, clock=clock) or b"").decode()
    assert "SUMMARY:Frailty board" in feed and "SUMMARY:Extra session" in feed
    assert "Diabetes board" not in feed
    assert feed.count("STATUS:CANCELLED") == 1


def test_the_feed_stops_when_the_person_leaves(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort)
    make_meeting(db, clock, cohort, starts_at=START)
    with db.transaction() as session:
        token = calendar.new_feed_token(session, person_id=amina, clock=clock)
        assert calendar.feed_for_token(session, token="guessed", clock=clock) is None
    with db.transaction() as session:
        people.leave(session, person_id=amina, clock=clock)
    with db.reading() as session:
        assert calendar.feed_for_token(session, token=token, clock=clock) is None
