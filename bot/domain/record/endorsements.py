"""Endorsements (issue 18): a facilitator writes a few words about a partner of their cohort;
the partner is told through the outbox and chooses "Add it to my record" or "Not now". Only
approved endorsements appear on the record.

When the author uses /forget, the words stay on the partner's record but the signature is
cleared: it then reads "a facilitator of <programme>" (see `erase_record`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from bot.domain import notices
from bot.domain.clock import Clock
from bot.domain.cohorts import require_runs, run_by
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.people import get_person
from bot.models import (
    Achievement,
    Cohort,
    Endorsement,
    EndorsementStatus,
    Membership,
    Person,
    PersonStatus,
    Role,
)

TEXT_LIMIT = 1000


@dataclass(frozen=True)
class CohortPartners:
    """A cohort a facilitator runs, with its active partners (id, name)."""

    cohort: Cohort
    partners: list[tuple[int, str]]


def endorsable(session: Session, *, viewer_id: int) -> list[CohortPartners]:
    """The partners a facilitator (or coordinator) may endorse, by cohort."""
    cohorts = run_by(session, person_id=viewer_id)
    query = (
        select(Cohort, Person.id, Person.preferred_name)
        .join(Membership, col(Membership.cohort_id) == col(Cohort.id))
        .join(Person, col(Person.id) == col(Membership.person_id))
        .where(
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
        )
        .order_by(col(Cohort.name), col(Person.preferred_name), col(Person.id))
    )
    if cohorts is not None:
        query = query.where(col(Cohort.id).in_(cohorts))
    found: dict[int, CohortPartners] = {}
    for cohort, pid, name in session.exec(query).all():
        group = found.setdefault(cohort.id or 0, CohortPartners(cohort, []))
        group.partners.append((int(pid or 0), name or ""))
    return list(found.values())


def endorsable_partner(session: Session, *, viewer_id: int, partner_id: int) -> tuple[Person, int]:
    """A partner this facilitator may endorse, and the cohort they share (else NotFound)."""
    partner = session.get(Person, partner_id)
    if partner is None or partner.role != Role.PARTNER or partner.status != PersonStatus.ACTIVE:
        raise NotFound("record.partner_not_found")
    cohort_ids = session.exec(
        select(Membership.cohort_id).where(
            Membership.person_id == partner_id, col(Membership.left_at).is_(None)
        )
    ).all()
    for cohort_id in sorted(cohort_ids):
        try:
            require_runs(session, person_id=viewer_id, cohort_id=cohort_id)
        except NotFound:
            continue
        return partner, cohort_id
    raise NotFound("cohort.not_yours")


def write_endorsement(
    session: Session, *, viewer_id: int, partner_id: int, text: str, clock: Clock
) -> Endorsement:
    """Keep a facilitator's endorsement of a partner, waiting for the partner's approval,
    and tell the partner through the outbox with the two choices."""
    partner, cohort_id = endorsable_partner(session, viewer_id=viewer_id, partner_id=partner_id)
    words = text.strip()
    if len(words) < 10:
        raise InvalidInput("record.endorsement_short")
    if len(words) > TEXT_LIMIT:
        raise InvalidInput("record.endorsement_long", limit=TEXT_LIMIT)
    author = get_person(session, person_id=viewer_id)
    endorsement = Endorsement(
        person_id=partner.id or 0,
        cohort_id=cohort_id,
        author_id=viewer_id,
        signature=author.preferred_name,
        text=words,
        created_at=clock.now(),
    )
    session.add(endorsement)
    session.flush()
    cohort = session.get(Cohort, cohort_id)
    notices.notify(
        session,
        person_ids=[partner.id or 0],
        key="record.notify.endorsement",
        clock=clock,
        params={
            "author": author.preferred_name or "",
            "text": words,
            "cohort": cohort.name if cohort else "",
        },
        buttons=[
            [("record.buttons.approve", "record.endorsement", (endorsement.id or 0, "yes"))],
            [("record.buttons.not_now", "record.endorsement", (endorsement.id or 0, "no"))],
        ],
        dedupe=f"endorse{endorsement.id}",
        about=viewer_id,
    )
    return endorsement


def decide_endorsement(
    session: Session, *, person_id: int, endorsement_id: int, approve: bool, clock: Clock
) -> Endorsement:
    """The partner adds an endorsement of them to their record, or not (only their own)."""
    endorsement = session.get(Endorsement, endorsement_id)
    if endorsement is None or endorsement.person_id != person_id:
        raise NotFound("record.not_found")
    if endorsement.status != EndorsementStatus.PENDING:
        raise Conflict("record.already_decided")
    endorsement.status = EndorsementStatus.APPROVED if approve else EndorsementStatus.DECLINED
    endorsement.decided_at = clock.now()
    session.add(endorsement)
    session.flush()
    return endorsement


def endorsements_of(
    session: Session, *, person_id: int, status: EndorsementStatus | None = None
) -> list[Endorsement]:
    """Endorsements of a partner, oldest first (only those in `status`, if given)."""
    query = select(Endorsement).where(Endorsement.person_id == person_id)
    if status is not None:
        query = query.where(Endorsement.status == status)
    return list(session.exec(query.order_by(col(Endorsement.created_at))).all())


def erase_record(session: Session, person_id: int) -> None:
    """/forget: a partner's achievements and endorsements go; endorsements a facilitator
    wrote about others stay with those partners, but unsigned."""
    session.execute(delete(Achievement).where(col(Achievement.person_id) == person_id))
    session.execute(delete(Endorsement).where(col(Endorsement.person_id) == person_id))
    session.execute(
        update(Endorsement)
        .where(col(Endorsement.author_id) == person_id)
        .values(author_id=None, signature=None)
    )
