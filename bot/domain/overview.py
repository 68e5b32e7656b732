"""The dashboard's read models that are not reflections: the overview, the meetings
calendar, a partner's timeline, outcomes and the audit log. Scope comes from
bot.domain.cohorts (facilitators: their cohorts; coordinators: all)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from bot.domain.cohorts import cohorts_for, run_by
from bot.domain.errors import NotFound
from bot.domain.people import names_of
from bot.models import (
    BriefingRead,
    Cohort,
    ContributionOutcome,
    Meeting,
    MeetingStatus,
    Membership,
    PartnerQuestion,
    Person,
    PersonStatus,
    Reflection,
    ReflectionStatus,
    Role,
    Rsvp,
    Sharing,
)


@dataclass(frozen=True)
class MeetingSummary:
    """A meeting with its cohort and who said they are coming."""

    meeting: Meeting
    cohort: str
    coming: int
    not_coming: int


@dataclass(frozen=True)
class CohortSummary:
    """A cohort with how many active partners it has."""

    id: int
    name: str
    partners: int


def cohort_summaries(session: Session, *, viewer_id: int) -> list[CohortSummary]:
    """The viewer's cohorts with their active partners."""
    cohorts = cohorts_for(session, person_id=viewer_id)
    counts = dict(
        session.exec(
            select(Membership.cohort_id, func.count())
            .join(Person, col(Person.id) == col(Membership.person_id))
            .where(
                col(Membership.cohort_id).in_([c.id for c in cohorts]),
                Membership.role == Role.PARTNER,
                col(Membership.left_at).is_(None),
                Person.status == PersonStatus.ACTIVE,
            )
            .group_by(col(Membership.cohort_id))
        ).all()
    )
    return [CohortSummary(c.id or 0, c.name, int(counts.get(c.id or 0, 0))) for c in cohorts]


def meetings(
    session: Session,
    *,
    viewer_id: int,
    after: datetime | None = None,
    before: datetime | None = None,
    limit: int = 200,
    newest_first: bool = False,
    rsvps: bool = True,
) -> list[MeetingSummary]:
    """The viewer's cohorts' meetings in a window, soonest (or newest) first, with RSVPs
    (counted only when `rsvps`: a list to pick a meeting from needs none)."""
    cohorts = run_by(session, person_id=viewer_id)
    query = select(Meeting, Cohort.name).join(Cohort, col(Cohort.id) == col(Meeting.cohort_id))
    if cohorts is not None:
        query = query.where(col(Meeting.cohort_id).in_(cohorts))
    if after is not None:
        query = query.where(col(Meeting.ends_at) >= after)
    if before is not None:
        query = query.where(col(Meeting.starts_at) < before)
    order = col(Meeting.starts_at).desc() if newest_first else col(Meeting.starts_at)
    found = session.exec(query.order_by(order).limit(limit)).all()
    ids = [m.id for m, _ in found] if rsvps else []
    answers: dict[tuple[int, bool], int] = (
        {
            (int(mid), bool(attending)): int(n)
            for mid, attending, n in session.exec(
                select(Rsvp.meeting_id, Rsvp.attending, func.count())
                .where(col(Rsvp.meeting_id).in_(ids))
                .group_by(col(Rsvp.meeting_id), col(Rsvp.attending))
            ).all()
        }
        if ids
        else {}
    )
    return [
        MeetingSummary(
            meeting=m,
            cohort=name,
            coming=answers.get((m.id or 0, True), 0),
            not_coming=answers.get((m.id or 0, False), 0),
        )
        for m, name in found
    ]


def upcoming(
    session: Session, *, viewer_id: int, now: datetime, limit: int = 5
) -> list[MeetingSummary]:
    """The next scheduled meetings."""
    return [
        m
        for m in meetings(session, viewer_id=viewer_id, after=now, limit=limit * 2)
        if m.meeting.status == MeetingStatus.SCHEDULED
    ][:limit]


def partner_in_scope(session: Session, *, viewer_id: int, person_id: int) -> Person:
    """A partner of one of the viewer's cohorts, or NotFound (also for anyone else)."""
    cohorts = run_by(session, person_id=viewer_id)
    person = session.get(Person, person_id)
    if person is None or person.role != Role.PARTNER or person.status == PersonStatus.ERASED:
        raise NotFound("person.not_found")
    query = select(Membership.id).where(
        Membership.person_id == person_id, Membership.role == Role.PARTNER
    )
    if cohorts is not None:
        query = query.where(col(Membership.cohort_id).in_(cohorts))
    if session.exec(query).first() is None:
        raise NotFound("person.not_found")
    return person


@dataclass(frozen=True)
class TimelineEntry:
    """Something a partner did or was told, for their timeline."""

    at: datetime
    kind: str  # joined, read, reflection, question, rsvp, outcome
    title: str
    detail: str = ""
    link_id: int | None = None


def timeline(
    session: Session,
    *,
    viewer_id: int,
    person_id: int,
    briefing_titles: Mapping[str, str],
) -> tuple[Person, list[TimelineEntry]]:
    """A partner's history, newest first: briefings read, reflections they shared with
    their name (never private or anonymised ones), questions, RSVPs and outcomes."""
    person = partner_in_scope(session, viewer_id=viewer_id, person_id=person_id)
    entries: list[TimelineEntry] = []
    if person.onboarded_at:
        entries.append(TimelineEntry(person.onboarded_at, "joined", "Joined Tandem"))
    for read in session.exec(select(BriefingRead).where(BriefingRead.person_id == person_id)):
        title = briefing_titles.get(read.briefing_id, read.briefing_id)
        entries.append(TimelineEntry(read.read_at, "read", f"Read “{title}”"))
    entries += _shared_reflections(session, person_id)
    entries += _questions_and_answers(session, person_id)
    entries += _rsvps(session, person_id)
    for outcome in session.exec(
        select(ContributionOutcome).where(ContributionOutcome.person_id == person_id)
    ):
        entries.append(
            TimelineEntry(outcome.recorded_at, "outcome", "You said, we did", outcome.text)
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return person, entries


def _shared_reflections(session: Session, person_id: int) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            reflection.finished_at or reflection.updated_at,
            "reflection",
            reflection.title,
            "Flagged for follow-up" if reflection.flagged_at else "",
            reflection.id,
        )
        for reflection in session.exec(
            select(Reflection).where(
                Reflection.person_id == person_id,
                Reflection.status == ReflectionStatus.FINISHED,
                Reflection.sharing == Sharing.FACILITATORS,
            )
        )
    ]


def _questions_and_answers(session: Session, person_id: int) -> list[TimelineEntry]:
    entries = []
    for question in session.exec(
        select(PartnerQuestion).where(PartnerQuestion.person_id == person_id)
    ):
        asked = question.text or "(a voice note)"
        answer = f"Answered: {question.answer}" if question.answer else "Not answered yet"
        entries.append(TimelineEntry(question.asked_at, "question", asked, answer, question.id))
    return entries


def _rsvps(session: Session, person_id: int) -> list[TimelineEntry]:
    titles = dict(
        session.exec(
            select(Meeting.id, Meeting.title)
            .join(Rsvp, col(Rsvp.meeting_id) == col(Meeting.id))
            .where(Rsvp.person_id == person_id)
        ).all()
    )
    return [
        TimelineEntry(
            rsvp.answered_at,
            "rsvp",
            titles.get(rsvp.meeting_id, ""),
            "Will be there" if rsvp.attending else "Can't make it",
        )
        for rsvp in session.exec(select(Rsvp).where(Rsvp.person_id == person_id))
    ]


@dataclass(frozen=True)
class OutcomeRow:
    """A recorded "you said, we did"."""

    outcome: ContributionOutcome
    partner: str
    cohort: str
    meeting: str | None
    recorded_by: str


def outcomes(session: Session, *, viewer_id: int, limit: int = 200) -> list[OutcomeRow]:
    """Outcomes recorded for the viewer's cohorts' partners, newest first."""
    cohorts = run_by(session, person_id=viewer_id)
    partner = select(Person.id, Person.preferred_name).subquery()
    query = (
        select(ContributionOutcome, partner.c.preferred_name, Cohort.name)
        .join(partner, partner.c.id == col(ContributionOutcome.person_id))
        .join(Membership, col(Membership.person_id) == col(ContributionOutcome.person_id))
        .join(Cohort, col(Cohort.id) == col(Membership.cohort_id))
        .where(Membership.role == Role.PARTNER)
        .order_by(col(ContributionOutcome.recorded_at).desc())
        .limit(limit)
    )
    if cohorts is not None:
        query = query.where(col(Membership.cohort_id).in_(cohorts))
    found = session.exec(query).all()
    names = names_of(session, {o.recorded_by for o, _, _ in found if o.recorded_by})
    meeting_titles = dict(
        session.exec(
            select(Meeting.id, Meeting.title).where(
                col(Meeting.id).in_({o.meeting_id for o, _, _ in found if o.meeting_id})
            )
        ).all()
    )
    return [
        OutcomeRow(
            outcome=o,
            # About a measure, it was told to the whole group, not only its proposer.
            partner="The whole group (a measure)" if o.measure_id else name or "",
            cohort=cohort,
            meeting=meeting_titles.get(o.meeting_id) if o.meeting_id else None,
            recorded_by=names.get(o.recorded_by or 0, ""),
        )
        for o, name, cohort in found
    ]
