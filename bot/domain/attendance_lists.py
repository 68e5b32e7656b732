"""Attendance for staff (issue 18): the sheets a facilitator sees in chat (/attendance) and
on the dashboard, and the one gentle nudge after a meeting to confirm who came."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from bot.domain import notices
from bot.domain.attendance import (
    AttendanceSheet,
    attendance_sheet,
    confirm_attendance,
    set_attended,
)
from bot.domain.clock import Clock
from bot.domain.cohorts import require_runs, run_by
from bot.models import Attendance, Cohort, Delivery, Meeting, MeetingStatus


@dataclass(frozen=True)
class StaffSheet:
    """A meeting's attendance sheet with its group's name, as staff see it."""

    sheet: AttendanceSheet
    cohort: str


RECENT = timedelta(days=120)  # how far back the lists look
NUDGE_AFTER = timedelta(hours=2)  # after a meeting ends, before its facilitators are asked
NUDGE_UNTIL = timedelta(days=7)  # a meeting older than this is not nudged about any more


def recent_sheets(
    session: Session,
    *,
    person_id: int,
    clock: Clock,
    cohort_id: int | None = None,
    limit: int = 20,
) -> list[AttendanceSheet]:
    """Sheets of the meetings that have begun in the viewer's cohorts (one cohort, if
    given), newest first: unconfirmed ones pre-filled from RSVPs."""
    cohorts = run_by(session, person_id=person_id)
    if cohort_id is not None:
        require_runs(session, person_id=person_id, cohort_id=cohort_id)
        cohorts = [cohort_id]
    now = clock.now()
    query = select(Meeting.id).where(
        Meeting.status == MeetingStatus.SCHEDULED,
        col(Meeting.starts_at) <= now,
        col(Meeting.starts_at) >= now - RECENT,
    )
    if cohorts is not None:
        query = query.where(col(Meeting.cohort_id).in_(cohorts))
    found = session.exec(query.order_by(col(Meeting.starts_at).desc()).limit(limit)).all()
    return [
        attendance_sheet(session, meeting_id=int(mid or 0), person_id=person_id, clock=clock)
        for mid in found
    ]


def cohort_name(session: Session, *, cohort_id: int) -> str:
    """A cohort's name, for a sheet's heading."""
    cohort = session.get(Cohort, cohort_id)
    return cohort.name if cohort else ""


def _named(session: Session, sheet: AttendanceSheet) -> StaffSheet:
    return StaffSheet(sheet, cohort_name(session, cohort_id=sheet.cohort_id))


def sheet_for(session: Session, *, meeting_id: int, person_id: int, clock: Clock) -> StaffSheet:
    """A meeting's sheet for its staff (another group's meeting: NotFound), with the group."""
    sheet = attendance_sheet(session, meeting_id=meeting_id, person_id=person_id, clock=clock)
    return _named(session, sheet)


def nudge_unconfirmed(session: Session, *, clock: Clock) -> int:
    """Ask each facilitator of a meeting that ended a little while ago, once, to confirm
    who came (a notice through the outbox, so quiet hours hold it back). Returns how many
    notices were written."""
    now = clock.now()
    confirmed = select(Attendance.meeting_id).distinct()
    meetings = session.exec(
        select(Meeting).where(
            Meeting.status == MeetingStatus.SCHEDULED,
            col(Meeting.ends_at) <= now - NUDGE_AFTER,
            col(Meeting.ends_at) >= now - NUDGE_UNTIL,
            col(Meeting.id).not_in(confirmed),
        )
    ).all()
    written = 0
    for meeting in meetings:
        tag = f"attendance{meeting.id}"
        if _nudged(session, tag):
            continue  # once: writing it again would only move a held notice later
        written += notices.notify(
            session,
            person_ids=notices.facilitator_ids(session, cohort_ids=[meeting.cohort_id]),
            key="attendance_staff.nudge",
            clock=clock,
            params={
                "meeting": meeting.title,
                "cohort": cohort_name(session, cohort_id=meeting.cohort_id),
            },
            buttons=[[("attendance_staff.buttons.open", "attendance.sheet", (meeting.id or 0,))]],
            dedupe=tag,
        )
    return written


def _nudged(session: Session, tag: str) -> bool:
    """Whether the nudge with this tag was already written (see notices.notify's keys)."""
    return (
        session.exec(
            select(Delivery.id).where(col(Delivery.dedupe_key).startswith(f"n{tag}:")).limit(1)
        ).first()
        is not None
    )


def toggle_attended(
    session: Session, *, meeting_id: int, person_id: int, partner_id: int, clock: Clock
) -> StaffSheet:
    """A tap on a partner's name in chat: the opposite of what the sheet shows now."""
    sheet = attendance_sheet(session, meeting_id=meeting_id, person_id=person_id, clock=clock)
    line = next((ln for ln in sheet.lines if ln.person_id == partner_id), None)
    changed = set_attended(
        session,
        meeting_id=meeting_id,
        person_id=person_id,
        partner_id=partner_id,
        attended=not line.attended if line else True,  # not on the sheet: set_attended refuses
        clock=clock,
    )
    return _named(session, changed)


def confirm_as_shown(
    session: Session, *, meeting_id: int, person_id: int, clock: Clock
) -> StaffSheet:
    """Confirm the whole sheet as it shows now (ticks pre-filled from RSVPs included)."""
    sheet = attendance_sheet(session, meeting_id=meeting_id, person_id=person_id, clock=clock)
    confirmed = confirm_attendance(
        session,
        meeting_id=meeting_id,
        person_id=person_id,
        attended=[ln.person_id for ln in sheet.lines if ln.attended],
        clock=clock,
    )
    return _named(session, confirmed)
