"""Meetings as people see them: the upcoming ones for a person, the recent ones for staff,
and who is coming to one. (Adding, moving and cancelling are in meetings.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain.cohorts import run_by
from bot.domain.meetings import rsvps
from bot.domain.people import get_person
from bot.models import (
    Cohort,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    PersonStatus,
    Role,
)


def _own_cohorts(session: Session, person_id: int) -> list[int] | None:
    """The cohorts whose meetings a person sees: those a facilitator runs (all, for a
    coordinator), or a partner's own."""
    if get_person(session, person_id=person_id).role == Role.PARTNER:
        return [
            int(c)
            for c in session.exec(
                select(Membership.cohort_id).where(
                    Membership.person_id == person_id, col(Membership.left_at).is_(None)
                )
            ).all()
        ]
    return run_by(session, person_id=person_id)


def upcoming(session: Session, *, viewer_id: int, now: datetime, limit: int) -> list[Meeting]:
    """Scheduled meetings not yet over, soonest first, of the viewer's cohorts."""
    scope = _own_cohorts(session, viewer_id)
    query = select(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED, col(Meeting.ends_at) >= now
    )
    if scope is not None:
        query = query.where(col(Meeting.cohort_id).in_(scope))
    return list(session.exec(query.order_by(col(Meeting.starts_at)).limit(limit)).all())


def recent(
    session: Session, *, viewer_id: int, limit: int, ended_by: datetime | None = None
) -> list[Meeting]:
    """The newest meetings of the cohorts a facilitator runs (all, for a coordinator), only
    those over by `ended_by` if given."""
    scope = run_by(session, person_id=viewer_id)
    query = select(Meeting)
    if scope is not None:
        query = query.where(col(Meeting.cohort_id).in_(scope))
    if ended_by is not None:
        query = query.where(col(Meeting.ends_at) <= ended_by)
    return list(session.exec(query.order_by(col(Meeting.starts_at).desc()).limit(limit)).all())


@dataclass(frozen=True)
class Attendance:
    """Partners' answers to "will you be there?", by preferred name."""

    coming: list[str]
    not_coming: list[str]
    unknown: list[str]


def attendance(session: Session, *, meeting: Meeting) -> Attendance:
    """Who of the cohort's active partners said they are coming, not coming, or nothing."""
    answers = rsvps(session, meeting_id=meeting.id or 0)
    partners = session.exec(
        select(Person.id, Person.preferred_name)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            Membership.cohort_id == meeting.cohort_id,
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
        )
        .order_by(col(Person.preferred_name))
    ).all()
    found = Attendance([], [], [])
    for person_id, name in partners:
        answer = answers.get(person_id or 0)
        group = found.coming if answer is True else found.not_coming if answer is False else None
        (group if group is not None else found.unknown).append(name or "?")
    return found


def cohort_name(session: Session, *, meeting: Meeting) -> str:
    """The name of the meeting's cohort."""
    cohort = session.get(Cohort, meeting.cohort_id)
    return cohort.name if cohort else ""
