"""Mentoring: a champion is offered to a new partner (by a facilitator, or by Tandem when the
cohort has exactly one free champion), the partner accepts or says no thanks, and both are
introduced by first name only."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from bot.domain import audit, notices
from bot.domain.champions.common import (
    MENTORING,
    active_champions,
    is_new,
    joined,
    live_mentorships,
    membership_of,
    partner_in,
)
from bot.domain.champions.status import managed
from bot.domain.clock import Clock
from bot.domain.cohorts import require_runs
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.people import get_person
from bot.models import (
    Champion,
    ChampionStatus,
    Cohort,
    Membership,
    Mentorship,
    MentorshipStatus,
    Role,
)

LEAST = timedelta(days=14)  # mentoring accepted late still lasts at least this long


def offer(
    session: Session, *, viewer_id: int, mentee_id: int, champion_id: int, clock: Clock
) -> Mentorship:
    """A facilitator offers a new partner one of the cohort's champions as a mentor."""
    row = managed(session, viewer_id=viewer_id, champion_id=champion_id)
    if row.status != ChampionStatus.ACTIVE:
        raise NotFound("champions.not_found")
    mentee = partner_in(session, person_id=mentee_id, cohort_id=row.cohort_id)
    if mentee_id == row.person_id:
        raise InvalidInput("champions.same_person")
    if not is_new(session, person=mentee, cohort_id=row.cohort_id, now=clock.now()):
        raise InvalidInput("champions.not_new", name=mentee.preferred_name or "")
    if live_mentorships(session, mentee_id=mentee_id):
        raise Conflict("champions.has_mentor", name=mentee.preferred_name or "")
    mentorship = _offer(session, row, mentee_id, viewer_id, clock)
    audit.record(
        session,
        clock=clock,
        action="mentoring.offered",
        actor_id=viewer_id,
        subject_id=mentee_id,
        detail=f"mentorship {mentorship.id} in cohort {row.cohort_id}",
    )
    return mentorship


def offer_after_joining(session: Session, *, person_id: int, clock: Clock) -> Mentorship | None:
    """Just after a partner joins: when their cohort has exactly one free champion (one
    mentoring nobody), offer them as a mentor."""
    if live_mentorships(session, mentee_id=person_id):
        return None
    cohort_ids = session.exec(
        select(Membership.cohort_id).where(
            Membership.person_id == person_id,
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
        )
    ).all()
    for cohort_id in cohort_ids:
        free = [
            c
            for c in active_champions(session, cohort_id=cohort_id)
            if c.person_id != person_id and not live_mentorships(session, champion_id=c.person_id)
        ]
        if len(free) == 1:
            return _offer(session, free[0], person_id, None, clock)
    return None


def _offer(
    session: Session, row: Champion, mentee_id: int, by: int | None, clock: Clock
) -> Mentorship:
    mentorship = Mentorship(
        cohort_id=row.cohort_id,
        champion_id=row.person_id,
        mentee_id=mentee_id,
        offered_by=by,
        offered_at=clock.now(),
    )
    session.add(mentorship)
    session.flush()
    champion = get_person(session, person_id=row.person_id)
    cohort = session.get(Cohort, row.cohort_id)
    notices.notify(
        session,
        person_ids=[mentee_id],
        key="champions.notify.offer",
        clock=clock,
        params={"name": champion.preferred_name or "", "cohort": cohort.name if cohort else ""},
        buttons=[
            [
                ("champions.buttons.offer_yes", "mentor.answer", (mentorship.id or 0, "yes")),
                ("champions.buttons.offer_no", "mentor.answer", (mentorship.id or 0, "no")),
            ]
        ],
        about=row.person_id,
    )
    return mentorship


def answer_offer(
    session: Session, *, person_id: int, mentorship_id: int, accept: bool, clock: Clock
) -> Mentorship:
    """The new partner's answer. Yes: mentoring begins and the champion is introduced to
    them (the partner's own introduction is the reply to their tap)."""
    mentorship = session.get(Mentorship, mentorship_id)
    if mentorship is None or mentorship.mentee_id != person_id:
        raise NotFound("champions.mentoring_not_found")
    if mentorship.status != MentorshipStatus.OFFERED:
        raise Conflict("champions.offer_closed")
    now = clock.now()
    if not accept:
        mentorship.status, mentorship.ended_at = MentorshipStatus.DECLINED, now
        session.add(mentorship)
        return mentorship
    mentee = get_person(session, person_id=person_id)
    member = membership_of(session, person_id=person_id, cohort_id=mentorship.cohort_id)
    until = (joined(mentee, member) if member else now) + MENTORING
    mentorship.status, mentorship.started_at = MentorshipStatus.ACTIVE, now
    mentorship.ends_at = max(until, now + LEAST)
    session.add(mentorship)
    notices.notify(
        session,
        person_ids=[mentorship.champion_id],
        key="champions.notify.intro_champion",
        clock=clock,
        params={"name": mentee.preferred_name or ""},
        buttons=[[("champions.buttons.message", "mentor.write", (mentorship.id or 0,))]],
        about=person_id,
    )
    return mentorship


def free_champions(
    session: Session, *, viewer_id: int, mentee_id: int, cohort_id: int
) -> list[tuple[Champion, str]]:
    """The champions a facilitator could offer this new partner, with their first names."""
    require_runs(session, person_id=viewer_id, cohort_id=cohort_id)
    partner_in(session, person_id=mentee_id, cohort_id=cohort_id)
    return [
        (c, get_person(session, person_id=c.person_id).preferred_name or "")
        for c in active_champions(session, cohort_id=cohort_id)
        if c.person_id != mentee_id
    ]
