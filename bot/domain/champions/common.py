"""What the champion modules share: finding a cohort's partners, when each joined, and
ending mentorships kindly."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.domain import notices
from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.models import (
    Champion,
    ChampionStatus,
    Membership,
    Mentorship,
    MentorshipStatus,
    Person,
    PersonStatus,
    Role,
)

MENTORING = timedelta(days=91)  # a new partner's first three months
LIVE = (MentorshipStatus.OFFERED, MentorshipStatus.ACTIVE)


def membership_of(session: Session, *, person_id: int, cohort_id: int) -> Membership | None:
    """The person's current partner membership of the cohort, if any."""
    return session.exec(
        select(Membership).where(
            Membership.person_id == person_id,
            Membership.cohort_id == cohort_id,
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
        )
    ).first()


def partner_in(session: Session, *, person_id: int, cohort_id: int) -> Person:
    """An active partner of the cohort, or NotFound (the same for anyone else)."""
    person = session.get(Person, person_id)
    member = membership_of(session, person_id=person_id, cohort_id=cohort_id)
    if person is None or member is None or person.status != PersonStatus.ACTIVE:
        raise NotFound("champions.not_in_cohort")
    return person


def joined(person: Person, member: Membership) -> datetime:
    """When a partner finished joining the cohort (onboarding, or the membership itself)."""
    moments = [m for m in (person.onboarded_at, member.joined_at) if m is not None]
    return max(moments)


def is_new(session: Session, *, person: Person, cohort_id: int, now: datetime) -> bool:
    """Whether a partner joined the cohort within the last three months."""
    member = membership_of(session, person_id=person.id or 0, cohort_id=cohort_id)
    return member is not None and now - joined(person, member) < MENTORING


def partners_of(session: Session, *, cohort_id: int) -> list[tuple[Person, Membership]]:
    """Active partners of a cohort with their memberships, longest-standing first."""
    rows = session.exec(
        select(Person, Membership)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            Membership.cohort_id == cohort_id,
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
        )
    ).all()
    return sorted(rows, key=lambda row: (joined(row[0], row[1]), row[0].preferred_name or ""))


def active_champions(session: Session, *, cohort_id: int) -> list[Champion]:
    """The cohort's champions who accepted and have not stepped down."""
    return list(
        session.exec(
            select(Champion)
            .where(Champion.cohort_id == cohort_id, Champion.status == ChampionStatus.ACTIVE)
            .order_by(col(Champion.started_at), col(Champion.id))
        ).all()
    )


def live_mentorships(
    session: Session, *, champion_id: int | None = None, mentee_id: int | None = None
) -> list[Mentorship]:
    """Mentorships offered or under way, of a champion or of a mentee."""
    query = select(Mentorship).where(col(Mentorship.status).in_(LIVE))
    if champion_id is not None:
        query = query.where(Mentorship.champion_id == champion_id)
    if mentee_id is not None:
        query = query.where(Mentorship.mentee_id == mentee_id)
    return list(session.exec(query.order_by(col(Mentorship.id))).all())


def end_mentorship(
    session: Session, *, mentorship: Mentorship, reason: str, clock: Clock, tell: bool = True
) -> None:
    """End one mentorship; when it was under way, both (unless `tell` is off) are told kindly
    without naming anyone who is leaving."""
    was_active = mentorship.status == MentorshipStatus.ACTIVE
    mentorship.status = MentorshipStatus.ENDED
    mentorship.ended_at, mentorship.end_reason = clock.now(), reason
    session.add(mentorship)
    if not (was_active and tell):
        return
    if reason in ("stepped_down", "ended_by_staff", "left"):
        notices.notify(
            session,
            person_ids=[mentorship.mentee_id],
            key="champions.notify.mentor_gone",
            clock=clock,
        )
    if reason == "mentee_left":
        notices.notify(
            session,
            person_ids=[mentorship.champion_id],
            key="champions.notify.mentee_gone",
            clock=clock,
        )
