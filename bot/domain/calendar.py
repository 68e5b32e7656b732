"""Calendar files: one meeting as an .ics attachment, and a private feed per person."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.models import CalendarFeed, Meeting, MeetingStatus, Membership, Person, PersonStatus

if TYPE_CHECKING:
    from icalendar import Calendar, Event

PRODUCT = "-//Tandem//NHS co-design partners//EN"


def _calendar(name: str) -> Calendar:
    from icalendar import Calendar  # only when a calendar is asked for: faster starts (issue 16)

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(meeting: Meeting, now: datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"tandem-meeting-{meeting.id}@tandem")
    event.add("dtstamp", now)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.join_url:
        event.add("url", meeting.join_url)
        event.add("description", f"Join online: {meeting.join_url}")
    if meeting.status == MeetingStatus.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def meeting_ics(meeting: Meeting, *, clock: Clock) -> bytes:
    """An .ics file with one meeting, for "Add to calendar"."""
    calendar = _calendar(meeting.title)
    calendar.add_component(_event(meeting, clock.now()))
    return bytes(calendar.to_ical())


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(session: Session, *, person_id: int, clock: Clock) -> str:
    """A new secret for the person's calendar feed (the old link stops working)."""
    token = secrets.token_urlsafe(24)
    feed = session.exec(select(CalendarFeed).where(CalendarFeed.person_id == person_id)).first()
    if feed is None:
        feed = CalendarFeed(person_id=person_id, token_hash=_hash(token), created_at=clock.now())
    feed.token_hash, feed.created_at = _hash(token), clock.now()
    session.add(feed)
    return token


def feed_for_token(session: Session, *, token: str, clock: Clock) -> bytes | None:
    """The calendar of the person holding this secret, or None for an unknown secret."""
    feed = session.exec(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token))).first()
    person = session.get(Person, feed.person_id) if feed else None
    if person is None or person.status != PersonStatus.ACTIVE:
        return None
    cohorts = select(Membership.cohort_id).where(
        Membership.person_id == person.id, col(Membership.left_at).is_(None)
    )
    now = clock.now()
    meetings = session.exec(
        select(Meeting)
        .where(
            col(Meeting.cohort_id).in_(cohorts), col(Meeting.ends_at) >= now - timedelta(days=90)
        )
        .order_by(col(Meeting.starts_at))
    ).all()
    calendar = _calendar("Tandem meetings")
    for meeting in meetings:
        calendar.add_component(_event(meeting, now))
    return bytes(calendar.to_ical())
