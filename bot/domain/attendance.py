"""Who was at a meeting (issue 18): a facilitator confirms it afterwards, pre-filled from
what partners said they would do (RSVPs). Attendance feeds participation, involvement
payments and each partner's record of contribution."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.domain.cohorts import require_runs, run_by
from bot.domain.errors import InvalidInput, NotFound
from bot.models import Attendance, Meeting, MeetingStatus, Membership, Person, Role, Rsvp


@dataclass(frozen=True)
class AttendanceLine:
    """One partner on a meeting's attendance sheet."""

    person_id: int
    name: str
    attended: bool  # confirmed, or what their RSVP suggests until then
    confirmed: bool  # a facilitator has confirmed this line
    said: bool | None  # their RSVP (None: they did not say)


@dataclass(frozen=True)
class AttendanceSheet:
    """A finished meeting's partners and whether each was there."""

    meeting_id: int
    cohort_id: int
    title: str
    starts_at: datetime
    lines: list[AttendanceLine]

    @property
    def confirmed(self) -> bool:
        """True once a facilitator has confirmed the sheet."""
        return bool(self.lines) and all(line.confirmed for line in self.lines)

    @property
    def count(self) -> int:
        """How many were (or, unconfirmed, are expected to have been) there."""
        return sum(1 for line in self.lines if line.attended)


def _finished_meeting(
    session: Session, *, meeting_id: int, person_id: int, clock: Clock
) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("meeting.not_found", meeting_id=meeting_id)
    require_runs(session, person_id=person_id, cohort_id=meeting.cohort_id)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise InvalidInput("attendance.cancelled")
    if meeting.starts_at > clock.now():
        raise InvalidInput("attendance.not_yet")
    return meeting


def _partners(session: Session, meeting: Meeting) -> list[tuple[int, str]]:
    """Partners who were members of the cohort when the meeting began (and still are, or
    left after it)."""
    rows = session.exec(
        select(Person.id, Person.preferred_name)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            Membership.cohort_id == meeting.cohort_id,
            Membership.role == Role.PARTNER,
            col(Membership.joined_at) <= meeting.starts_at,
            (col(Membership.left_at).is_(None)) | (col(Membership.left_at) > meeting.starts_at),
        )
        .order_by(col(Person.preferred_name), col(Person.id))
    ).all()
    return [(int(pid or 0), name or "") for pid, name in rows]


def attendance_sheet(
    session: Session, *, meeting_id: int, person_id: int, clock: Clock
) -> AttendanceSheet:
    """The attendance sheet of a meeting that has begun, for a facilitator who runs its
    cohort (or a coordinator). Unconfirmed lines are pre-filled from RSVPs."""
    meeting = _finished_meeting(session, meeting_id=meeting_id, person_id=person_id, clock=clock)
    confirmed = {
        a.person_id: a.attended
        for a in session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id))
    }
    said = {
        r.person_id: r.attending
        for r in session.exec(select(Rsvp).where(Rsvp.meeting_id == meeting_id))
    }
    lines = [
        AttendanceLine(
            person_id=pid,
            name=name,
            attended=confirmed.get(pid, bool(said.get(pid))),
            confirmed=pid in confirmed,
            said=said.get(pid),
        )
        for pid, name in _partners(session, meeting)
    ]
    return AttendanceSheet(
        meeting_id=meeting_id,
        cohort_id=meeting.cohort_id,
        title=meeting.title,
        starts_at=meeting.starts_at,
        lines=lines,
    )


def confirm_attendance(
    session: Session,
    *,
    meeting_id: int,
    person_id: int,
    attended: Iterable[int],
    clock: Clock,
) -> AttendanceSheet:
    """Confirm who was at a meeting: the partners given were there, every other partner on
    the sheet was not. Confirming again corrects it (the latest counts)."""
    sheet = attendance_sheet(session, meeting_id=meeting_id, person_id=person_id, clock=clock)
    there = set(attended)
    on_sheet = {line.person_id for line in sheet.lines}
    if not there <= on_sheet:
        raise NotFound("attendance.not_on_sheet")
    rows = {
        a.person_id: a
        for a in session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id))
    }
    now = clock.now()
    for pid in on_sheet:
        row = rows.get(pid) or Attendance(
            meeting_id=meeting_id, person_id=pid, attended=False, confirmed_at=now
        )
        row.attended, row.confirmed_by, row.confirmed_at = pid in there, person_id, now
        session.add(row)
    session.flush()
    return attendance_sheet(session, meeting_id=meeting_id, person_id=person_id, clock=clock)


def set_attended(
    session: Session,
    *,
    meeting_id: int,
    person_id: int,
    partner_id: int,
    attended: bool,
    clock: Clock,
) -> AttendanceSheet:
    """Confirm one line of the sheet (a tap in chat); the other lines are left as they are."""
    sheet = attendance_sheet(session, meeting_id=meeting_id, person_id=person_id, clock=clock)
    if partner_id not in {line.person_id for line in sheet.lines}:
        raise NotFound("attendance.not_on_sheet")
    row = session.exec(
        select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.person_id == partner_id
        )
    ).first() or Attendance(meeting_id=meeting_id, person_id=partner_id, attended=attended)
    row.attended, row.confirmed_by, row.confirmed_at = attended, person_id, clock.now()
    session.add(row)
    session.flush()
    return attendance_sheet(session, meeting_id=meeting_id, person_id=person_id, clock=clock)


def meetings_attended(session: Session, *, person_id: int) -> list[Meeting]:
    """The meetings a facilitator confirmed this person was at, oldest first."""
    return list(
        session.exec(
            select(Meeting)
            .join(Attendance, col(Attendance.meeting_id) == col(Meeting.id))
            .where(
                Attendance.person_id == person_id,
                col(Attendance.attended).is_(True),
                Meeting.status == MeetingStatus.SCHEDULED,
            )
            .order_by(col(Meeting.starts_at))
        ).all()
    )


def was_there(session: Session, *, meeting_id: int, person_id: int) -> bool:
    """True when a facilitator confirmed the person was at the meeting."""
    return bool(
        session.exec(
            select(Attendance.attended).where(
                Attendance.meeting_id == meeting_id,
                Attendance.person_id == person_id,
            )
        ).first()
    )


def unconfirmed_meetings(session: Session, *, person_id: int, clock: Clock) -> list[Meeting]:
    """Meetings of the cohorts this facilitator runs (every cohort for a coordinator) that
    have begun and whose attendance nobody has confirmed yet, newest first."""
    cohorts = run_by(session, person_id=person_id)
    confirmed = select(Attendance.meeting_id).distinct()
    query = select(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED,
        col(Meeting.starts_at) <= clock.now(),
        col(Meeting.id).not_in(confirmed),
    )
    if cohorts is not None:
        query = query.where(col(Meeting.cohort_id).in_(cohorts))
    return list(session.exec(query.order_by(col(Meeting.starts_at).desc())).all())
