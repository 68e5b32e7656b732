"""Cohorts: the group of partners who serve one board or workstream."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from bot.domain.clock import Clock
from bot.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.domain.timezones import is_valid_time_zone
from bot.models import Cohort, Membership, Person, PersonStatus, Role

NAME_MAX = 80


def create_cohort(
    session: Session,
    *,
    name: str,
    clock: Clock,
    time_zone: str = "Europe/London",
    programme: str | None = None,
    hours_per_month: int = 8,
    meetings_note: str | None = None,
    contact: str | None = None,
    language: str | None = None,
) -> Cohort:
    """A new cohort (with the language its people read in until they choose their own);
    names are unique regardless of case."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > NAME_MAX:
        raise InvalidInput("cohort.bad_name", limit=NAME_MAX)
    if not is_valid_time_zone(time_zone):
        raise InvalidInput("tz.unknown", typed=time_zone)
    if not 1 <= hours_per_month <= 100:
        raise InvalidInput("cohort.bad_hours")
    if find_cohort(session, name=cleaned) is not None:
        raise Conflict("cohort.exists", name=cleaned)
    cohort = Cohort(
        name=cleaned,
        time_zone=time_zone,
        programme=programme,
        hours_per_month=hours_per_month,
        meetings_note=meetings_note,
        contact=contact,
        created_at=clock.now(),
        language=language,
    )
    session.add(cohort)
    session.flush()
    return cohort


def find_cohort(session: Session, *, name: str) -> Cohort | None:
    """The cohort with this name (case-insensitive), if any."""
    cleaned = " ".join(name.split()).lower()
    return session.exec(select(Cohort).where(func.lower(Cohort.name) == cleaned)).first()


def get_cohort(session: Session, *, name: str) -> Cohort:
    """The cohort with this name, or NotFound."""
    cohort = find_cohort(session, name=name)
    if cohort is None:
        raise NotFound("cohort.not_found", name=name)
    return cohort


def list_cohorts(session: Session) -> list[tuple[Cohort, int]]:
    """Every cohort with how many active partners it has."""
    partners = (
        select(Membership.cohort_id, func.count().label("n"))
        .join(Person, col(Person.id) == col(Membership.person_id))
        .where(
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
        )
        .group_by(col(Membership.cohort_id))
        .subquery()
    )
    rows = session.exec(
        select(Cohort, func.coalesce(partners.c.n, 0))
        .outerjoin(partners, partners.c.cohort_id == Cohort.id)
        .order_by(col(Cohort.name))
    ).all()
    return [(cohort, int(count)) for cohort, count in rows]


def run_by(session: Session, *, person_id: int) -> list[int] | None:
    """Cohorts a facilitator runs (None means every cohort, for a coordinator).

    Partners run none and are refused with NotAllowed.
    """
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("person.not_found")
    if person.role == Role.COORDINATOR:
        return None
    if person.role != Role.FACILITATOR:
        raise NotAllowed("not_allowed")
    return [
        int(c)
        for c in session.exec(
            select(Membership.cohort_id).where(
                Membership.person_id == person_id,
                Membership.role == Role.FACILITATOR,
                col(Membership.left_at).is_(None),
            )
        ).all()
    ]


def require_runs(session: Session, *, person_id: int, cohort_id: int) -> None:
    """NotFound unless the person runs this cohort (or is a coordinator). Another cohort's
    things get the same answer as things that do not exist, so nothing leaks."""
    cohorts = run_by(session, person_id=person_id)
    if cohorts is not None and cohort_id not in cohorts:
        raise NotFound("cohort.not_yours")


def cohorts_for(session: Session, *, person_id: int) -> list[Cohort]:
    """The cohorts a facilitator runs, or every active cohort for a coordinator."""
    cohorts = run_by(session, person_id=person_id)
    query = select(Cohort).order_by(col(Cohort.name))
    if cohorts is not None:
        query = query.where(col(Cohort.id).in_(cohorts))
    return list(session.exec(query).all())


def set_language(session: Session, *, name: str, language: str | None) -> Cohort:
    """What the cohort's people read in until they choose their own (None: English). Only
    people who join from now on take it; those already in keep theirs."""
    cohort = get_cohort(session, name=name)
    cohort.language = language
    session.add(cohort)
    return cohort
