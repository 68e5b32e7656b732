"""Meetings: add, list, move and cancel; each change re-plans the outbox at once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.domain import outbox
from bot.domain.clock import Clock
from bot.domain.cohorts import require_runs
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.planning import partners_of, plan_meeting
from bot.library.timetable import Timetable
from bot.models import Cohort, Meeting, MeetingStatus, Membership, Person, Role, Rsvp

TITLE_MAX = 120
LINK_MAX = 500  # the join link's column; longer links are refused with a kind answer


@dataclass(frozen=True)
class MeetingPlan:
    """A meeting and how many outbox rows its change wrote or cancelled."""

    meeting: Meeting
    planned: int = 0
    cancelled: int = 0


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidInput("meeting.bad_times")
    if not timedelta(minutes=5) <= ends_at - starts_at <= timedelta(hours=12):
        raise InvalidInput("meeting.bad_length")


def add_meeting(
    session: Session,
    *,
    cohort: Cohort,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    clock: Clock,
    timetable: Timetable,
    place: str | None = None,
    join_url: str | None = None,
    papers: list[str] | None = None,
) -> MeetingPlan:
    """A new meeting for a cohort, with its briefings, reminders and prompts planned."""
    cleaned = check_title(title)
    _check_times(starts_at, ends_at)
    if starts_at <= clock.now():
        raise InvalidInput("meeting.in_the_past")
    if join_url:
        _check_link(join_url)
    assert cohort.id is not None
    now = clock.now()
    meeting = Meeting(
        cohort_id=cohort.id,
        title=cleaned,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        join_url=join_url,
        papers=json.dumps(papers or []),
        created_at=now,
        updated_at=now,
    )
    session.add(meeting)
    session.flush()
    return MeetingPlan(
        meeting, planned=plan_meeting(session, meeting=meeting, timetable=timetable, clock=clock)
    )


def _check_link(link: str) -> None:
    if not link.startswith("https://"):
        raise InvalidInput("meeting.bad_link")
    if len(link) > LINK_MAX:
        raise InvalidInput("meeting.link_too_long", limit=LINK_MAX)


def check_title(text: str) -> str:
    """A meeting's title as typed, tidied; refused when empty or too long."""
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > TITLE_MAX:
        raise InvalidInput("meeting.bad_title", limit=TITLE_MAX)
    return cleaned


def place_or_link(text: str) -> tuple[str | None, str | None]:
    """Typed "where": a room (place, None) or a video link (None, link); links must be
    https, so a partner's device never opens an unencrypted page."""
    typed = " ".join(text.split())
    if typed.lower().startswith(("http://", "https://")):
        _check_link(typed)
        return None, typed
    return typed[:200], None


def managed(session: Session, *, viewer_id: int, meeting_id: int) -> Meeting:
    """A meeting the viewer may change (their cohort's, or any for a coordinator); another
    cohort's gets NotFound, the same as one that does not exist."""
    meeting = get_meeting(session, meeting_id=meeting_id)
    require_runs(session, person_id=viewer_id, cohort_id=meeting.cohort_id)
    return meeting


def add_for(
    session: Session,
    *,
    viewer_id: int,
    cohort_id: int,
    title: str,
    starts_at: datetime,
    minutes: int,
    clock: Clock,
    timetable: Timetable,
    place: str | None = None,
    join_url: str | None = None,
    papers: list[str] | None = None,
) -> MeetingPlan:
    """`add_meeting` for a facilitator: only in a cohort they run."""
    require_runs(session, person_id=viewer_id, cohort_id=cohort_id)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound("cohort.not_yours")
    return add_meeting(
        session,
        cohort=cohort,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        clock=clock,
        timetable=timetable,
        place=place,
        join_url=join_url,
        papers=papers,
    )


def move_for(
    session: Session,
    *,
    viewer_id: int,
    meeting_id: int,
    starts_at: datetime,
    clock: Clock,
    timetable: Timetable,
) -> MeetingPlan:
    """Move a meeting the viewer manages to a new start; it keeps its length."""
    meeting = managed(session, viewer_id=viewer_id, meeting_id=meeting_id)
    length = meeting.ends_at - meeting.starts_at
    return move_meeting(
        session,
        meeting_id=meeting_id,
        starts_at=starts_at,
        ends_at=starts_at + length,
        clock=clock,
        timetable=timetable,
    )


@dataclass(frozen=True)
class MoveCheck:
    """A move checked but not made: the meeting as it is, its new start and end, and how
    many partners would be told."""

    meeting: Meeting
    starts_at: datetime
    ends_at: datetime
    told: int


def check_move(
    session: Session, *, viewer_id: int, meeting_id: int, starts_at: datetime, clock: Clock
) -> MoveCheck:
    """Whether a meeting the viewer manages can move to this start (keeping its length), and
    who would hear of it; nothing changes until `move_for`."""
    meeting = managed(session, viewer_id=viewer_id, meeting_id=meeting_id)
    ends_at = starts_at + (meeting.ends_at - meeting.starts_at)
    _check_move(meeting, starts_at, ends_at, clock)
    told = len(partners_of(session, [meeting.cohort_id]))
    return MoveCheck(meeting, starts_at, ends_at, told)


def _check_move(meeting: Meeting, starts_at: datetime, ends_at: datetime, clock: Clock) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise InvalidInput("meeting.cancelled_already")
    _check_times(starts_at, ends_at)
    if starts_at <= clock.now():
        raise InvalidInput("meeting.in_the_past")


def cancel_for(session: Session, *, viewer_id: int, meeting_id: int, clock: Clock) -> MeetingPlan:
    """Cancel a meeting the viewer manages."""
    managed(session, viewer_id=viewer_id, meeting_id=meeting_id)
    return cancel_meeting(session, meeting_id=meeting_id, clock=clock)


def title_of(session: Session, *, meeting_id: int) -> str | None:
    """A meeting's title (None if there is no such meeting)."""
    meeting = session.get(Meeting, meeting_id)
    return meeting.title if meeting else None


def get_meeting(session: Session, *, meeting_id: int) -> Meeting:
    """The meeting with this id, or NotFound."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("meeting.not_found", meeting_id=meeting_id)
    return meeting


def list_meetings(
    session: Session, *, cohort_ids: list[int] | None = None, after: datetime | None = None
) -> list[Meeting]:
    """Meetings (optionally of some cohorts, ending after a time), soonest first."""
    query = select(Meeting)
    if cohort_ids is not None:
        query = query.where(col(Meeting.cohort_id).in_(cohort_ids))
    if after is not None:
        query = query.where(col(Meeting.ends_at) >= after)
    return list(session.exec(query.order_by(col(Meeting.starts_at))).all())


def move_meeting(
    session: Session,
    *,
    meeting_id: int,
    starts_at: datetime,
    ends_at: datetime,
    clock: Clock,
    timetable: Timetable,
) -> MeetingPlan:
    """Move a meeting: every pending message moves with it, and partners are told."""
    meeting = get_meeting(session, meeting_id=meeting_id)
    _check_move(meeting, starts_at, ends_at, clock)
    old_start = meeting.starts_at
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.updated_at = clock.now()
    session.add(meeting)
    planned = plan_meeting(session, meeting=meeting, timetable=timetable, clock=clock)
    _notify(session, meeting, "meeting_moved", clock, {"from": old_start.isoformat()})
    return MeetingPlan(meeting, planned=planned)


def cancel_meeting(session: Session, *, meeting_id: int, clock: Clock) -> MeetingPlan:
    """Cancel a meeting: its pending messages are cancelled and partners are told."""
    meeting = get_meeting(session, meeting_id=meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        return MeetingPlan(meeting)
    cancelled = outbox.cancel_pending(
        session, clock=clock, meeting_id=meeting_id, reason="meeting cancelled"
    )
    meeting.status = MeetingStatus.CANCELLED
    meeting.updated_at = clock.now()
    session.add(meeting)
    _notify(session, meeting, "meeting_cancelled", clock)
    return MeetingPlan(meeting, cancelled=cancelled)


def _notify(
    session: Session,
    meeting: Meeting,
    purpose: str,
    clock: Clock,
    payload: dict[str, str] | None = None,
) -> None:
    """A notice to every partner of the cohort, sent as soon as quiet hours allow."""
    now = clock.now()
    stamp = int(now.timestamp())
    rows = [
        outbox.new_row(
            key=f"m{meeting.id}:{purpose}:{stamp}:p{person_id}",
            person_id=person_id,
            purpose=purpose,
            due=now,
            expires=meeting.ends_at,
            now=now,
            meeting_id=meeting.id,
            payload=payload,
            priority=outbox.MEETING_CHANGE_PRIORITY,
        )
        for _, person_id, _ in partners_of(session, [meeting.cohort_id])
    ]
    outbox.write(session, rows)


def visible_meeting(session: Session, *, meeting_id: int, person_id: int) -> Meeting:
    """A meeting the person may see: one of their cohorts', or any for a coordinator.
    Another cohort's meeting gets the same answer as one that does not exist."""
    meeting = get_meeting(session, meeting_id=meeting_id)
    person = session.get(Person, person_id)
    if person is not None and person.role == Role.COORDINATOR:
        return meeting
    member = session.exec(
        select(Membership.id).where(
            Membership.person_id == person_id,
            Membership.cohort_id == meeting.cohort_id,
            col(Membership.left_at).is_(None),
        )
    ).first()
    if member is None:
        raise NotFound("meeting.not_found", meeting_id=meeting_id)
    return meeting


def set_rsvp(
    session: Session, *, meeting_id: int, person_id: int, attending: bool, clock: Clock
) -> Rsvp:
    """Record whether a person will be at one of their cohort's meetings (latest counts)."""
    visible_meeting(session, meeting_id=meeting_id, person_id=person_id)
    rsvp = session.exec(
        select(Rsvp).where(Rsvp.meeting_id == meeting_id, Rsvp.person_id == person_id)
    ).first() or Rsvp(
        meeting_id=meeting_id, person_id=person_id, attending=attending, answered_at=clock.now()
    )
    rsvp.attending, rsvp.answered_at = attending, clock.now()
    session.add(rsvp)
    return rsvp


def rsvp_of(session: Session, *, meeting_id: int, person_id: int) -> bool | None:
    """What the person said about coming to the meeting (None: nothing yet)."""
    said = session.exec(
        select(Rsvp.attending).where(Rsvp.meeting_id == meeting_id, Rsvp.person_id == person_id)
    ).first()
    return None if said is None else bool(said)


def rsvps(session: Session, *, meeting_id: int) -> dict[int, bool]:
    """person id -> attending, for one meeting."""
    return {
        r.person_id: r.attending
        for r in session.exec(select(Rsvp).where(Rsvp.meeting_id == meeting_id))
    }


def papers_of(meeting: Meeting) -> list[str]:
    """The briefing ids given as the meeting's papers."""
    papers = json.loads(meeting.papers or "[]")
    return [p for p in papers if isinstance(p, str)]
