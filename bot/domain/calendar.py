"""Calendar files: one meeting as an .ics attachment, and a private feed per person."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from bot.domain.agenda.views import titles_for_meetings
from bot.domain.clock import Clock
from bot.domain.meetings import visible_meeting
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


def _event(meeting: Meeting, now: datetime, agenda: Sequence[str] = ()) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"tandem-meeting-{meeting.id}@tandem")
    event.add("dtstamp", now)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    lines = [f"Join online: {meeting.join_url}"] if meeting.join_url else []
    if meeting.join_url:
        event.add("url", meeting.join_url)
    if agenda:  # issue 17: what partners put on this meeting's agenda
        lines += ["", "Items lay partners asked for:", *(f"- {title}" for title in agenda)]
    if lines:
        event.add("description", "\n".join(lines))
    if meeting.status == MeetingStatus.CANCELLED:
        event.add("status", "CANCELLED")
    return event


def meeting_ics(meeting: Meeting, *, clock: Clock, agenda: Sequence[str] = ()) -> bytes:
    """An .ics file with one meeting, for "Add to calendar"."""
    calendar = _calendar(meeting.title)
    calendar.add_component(_event(meeting, clock.now(), agenda))
    return bytes(calendar.to_ical())


def event_ics(
    *,
    uid: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str | None,
    link: str | None,
    clock: Clock,
    cancelled: bool = False,
    sequence: int = 0,
) -> bytes:
    """An .ics file with one event that is not a meeting (a one-to-one briefing, issue 18).
    The same `uid` with a higher `sequence` updates the copy already in a calendar."""
    from icalendar import Event

    calendar = _calendar(title)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", clock.now())
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", title)
    event.add("sequence", sequence)
    if place:
        event.add("location", place)
    if link:
        event.add("url", link)
        event.add("description", f"Join online: {link}")
    if cancelled:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def meeting_file(
    session: Session, *, meeting_id: int, person_id: int, clock: Clock
) -> tuple[Meeting, bytes]:
    """A meeting the person may see, as an .ics file with the items partners asked for."""
    meeting = visible_meeting(session, meeting_id=meeting_id, person_id=person_id)
    agenda = titles_for_meetings(session, meeting_ids=[meeting_id]).get(meeting_id, [])
    return meeting, meeting_ics(meeting, clock=clock, agenda=agenda)


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
    agendas = titles_for_meetings(session, meeting_ids=(m.id or 0 for m in meetings))
    for meeting in meetings:
        calendar.add_component(_event(meeting, now, agendas.get(meeting.id or 0, ())))
    return bytes(calendar.to_ical())
