"""What each person sees of champions and mentoring: a partner their own invitation, role,
mentees (first names and attendance only, never anything they wrote) and mentor; staff each
cohort's partners, champions and new partners."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain.attendance import meetings_attended
from bot.domain.champions.common import (
    active_champions,
    is_new,
    joined,
    live_mentorships,
    membership_of,
    partners_of,
)
from bot.domain.clock import Clock
from bot.domain.cohorts import cohorts_for
from bot.domain.people import get_person
from bot.models import (
    Attendance,
    Champion,
    ChampionStatus,
    Cohort,
    Meeting,
    MeetingStatus,
    Mentorship,
    MentorshipStatus,
    Person,
)


@dataclass(frozen=True)
class MeetingMark:
    """One meeting of a mentee's cohort since they joined, and whether they were there
    (None: nobody has confirmed it yet)."""

    title: str
    starts_at: datetime
    attended: bool | None


@dataclass(frozen=True)
class MenteeView:
    """A mentee as their champion sees them: a first name and attendance, nothing else."""

    mentorship: Mentorship
    name: str
    meetings: list[MeetingMark]


@dataclass(frozen=True)
class PartnerHome:
    """A partner's own view: an open invitation, their champion role and mentees, their
    mentor."""

    invitation: Champion | None = None
    champion: Champion | None = None
    mentees: list[MenteeView] = field(default_factory=list)
    mentor: tuple[Mentorship, str] | None = None
    offer: tuple[Mentorship, str] | None = None  # a mentor offered, not yet answered


def held_meetings(
    session: Session, *, mentee_id: int, cohort_id: int, since: datetime, now: datetime
) -> list[MeetingMark]:
    """Meetings of the cohort that began after the mentee joined and have ended."""
    meetings = session.exec(
        select(Meeting)
        .where(
            Meeting.cohort_id == cohort_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            col(Meeting.starts_at) >= since,
            col(Meeting.ends_at) <= now,
        )
        .order_by(col(Meeting.starts_at))
    ).all()
    confirmed = {
        a.meeting_id: a.attended
        for a in session.exec(select(Attendance).where(Attendance.person_id == mentee_id))
    }
    return [MeetingMark(m.title, m.starts_at, confirmed.get(m.id or 0)) for m in meetings]


def _mentee(session: Session, mentorship: Mentorship, now: datetime) -> MenteeView:
    mentee = get_person(session, person_id=mentorship.mentee_id)
    member = membership_of(session, person_id=mentee.id or 0, cohort_id=mentorship.cohort_id)
    since = joined(mentee, member) if member else mentorship.started_at or now
    marks = held_meetings(
        session, mentee_id=mentee.id or 0, cohort_id=mentorship.cohort_id, since=since, now=now
    )
    return MenteeView(mentorship, mentee.preferred_name or "", marks)


def partner_home(session: Session, *, person_id: int, clock: Clock) -> PartnerHome:
    """What a partner sees with /champions."""
    now = clock.now()
    rows = session.exec(select(Champion).where(Champion.person_id == person_id)).all()
    invitation = next((r for r in rows if r.status == ChampionStatus.ASKED), None)
    champion = next((r for r in rows if r.status == ChampionStatus.ACTIVE), None)
    mentees = [
        _mentee(session, m, now)
        for m in live_mentorships(session, champion_id=person_id)
        if m.status == MentorshipStatus.ACTIVE
    ]
    mine = live_mentorships(session, mentee_id=person_id)
    named = [(m, get_person(session, person_id=m.champion_id).preferred_name or "") for m in mine]
    mentor = next((n for n in named if n[0].status == MentorshipStatus.ACTIVE), None)
    offer = next((n for n in named if n[0].status == MentorshipStatus.OFFERED), None)
    return PartnerHome(invitation, champion, mentees, mentor, offer)


@dataclass(frozen=True)
class PartnerLine:
    """A partner of a cohort as staff see them when choosing a champion."""

    person: Person
    joined: datetime
    meetings: int
    champion: Champion | None
    new: bool
    mentor: str | None  # their mentor's first name, if they have one


@dataclass(frozen=True)
class ChampionLine:
    """A champion with their mentees, for staff."""

    row: Champion
    name: str
    mentees: list[tuple[Mentorship, str]]


@dataclass(frozen=True)
class CohortChampions:
    """One cohort's champions, open invitations, and partners, for staff."""

    cohort: Cohort
    champions: list[ChampionLine]
    partners: list[PartnerLine]

    @property
    def waiting(self) -> list[PartnerLine]:
        """New partners without a mentor (while the cohort has a champion to offer)."""
        if not self.champions:
            return []
        return [p for p in self.partners if p.new and p.mentor is None and p.champion is None]


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    people = session.exec(select(Person).where(col(Person.id).in_(ids))).all()
    return {p.id or 0: p.preferred_name or "" for p in people}


def cohort_view(session: Session, *, cohort: Cohort, now: datetime) -> CohortChampions:
    """A cohort's champions and partners (the caller has checked the viewer runs it)."""
    cohort_id = cohort.id or 0
    rows = {
        r.person_id: r
        for r in session.exec(select(Champion).where(Champion.cohort_id == cohort_id)).all()
    }
    live = list(
        session.exec(
            select(Mentorship).where(
                Mentorship.cohort_id == cohort_id,
                Mentorship.status == MentorshipStatus.ACTIVE,
            )
        ).all()
    )
    names = _names(session, {m.mentee_id for m in live} | {m.champion_id for m in live})
    mentor_of = {m.mentee_id: names.get(m.champion_id, "") for m in live}
    partners = [
        PartnerLine(
            person=p,
            joined=joined(p, member),
            meetings=sum(
                1
                for m in meetings_attended(session, person_id=p.id or 0)
                if m.cohort_id == cohort_id
            ),
            champion=rows.get(p.id or 0),
            new=is_new(session, person=p, cohort_id=cohort_id, now=now),
            mentor=mentor_of.get(p.id or 0),
        )
        for p, member in partners_of(session, cohort_id=cohort_id)
    ]
    champions = [
        ChampionLine(
            row=c,
            name=get_person(session, person_id=c.person_id).preferred_name or "",
            mentees=[(m, names.get(m.mentee_id, "")) for m in live if m.champion_id == c.person_id],
        )
        for c in active_champions(session, cohort_id=cohort_id)
    ]
    return CohortChampions(cohort, champions, partners)


def desk(session: Session, *, viewer_id: int, clock: Clock) -> list[CohortChampions]:
    """Every cohort the viewer runs, with its champions and partners."""
    now = clock.now()
    return [
        cohort_view(session, cohort=c, now=now) for c in cohorts_for(session, person_id=viewer_id)
    ]
