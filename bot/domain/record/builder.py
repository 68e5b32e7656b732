"""A partner's record of contribution (issue 18), built from what Tandem holds: the
programme and dates it covers, and its sections (see sections.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.domain import audit
from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.domain.people import get_person
from bot.domain.record.endorsements import endorsements_of
from bot.domain.record.sections import SECTION_PROVIDERS, RecordFacts, RecordSection
from bot.models import Cohort, Endorsement, EndorsementStatus, Membership, Role


@dataclass(frozen=True)
class Record:
    """Everything on one partner's record, ready to show in chat or set as a PDF."""

    name: str
    programme: str
    cohorts: list[str]
    covered_from: str
    covered_to: str
    generated: str
    sections: list[RecordSection]
    pending: list[Endorsement]  # endorsements waiting for the partner's choice (never shown)

    @property
    def shown(self) -> list[RecordSection]:
        """The sections that have something in them."""
        return [s for s in self.sections if s.lines]


def _memberships(session: Session, person_id: int) -> list[tuple[Membership, Cohort]]:
    return list(
        session.exec(
            select(Membership, Cohort)
            .join(Cohort, col(Cohort.id) == col(Membership.cohort_id))
            .where(Membership.person_id == person_id, Membership.role == Role.PARTNER)
            .order_by(col(Membership.joined_at))
        ).all()
    )


def build_record(
    session: Session, *, person_id: int, briefing_titles: Mapping[str, str], clock: Clock
) -> Record:
    """The partner's record of contribution, section by section (partners only)."""
    person = get_person(session, person_id=person_id)
    places = _memberships(session, person_id)
    if person.role != Role.PARTNER or not places:
        raise NotFound("record.no_group")
    now = clock.now()
    facts = RecordFacts(session, person, briefing_titles, now)
    cohorts = [cohort for _, cohort in places]
    current = [c for m, c in places if m.left_at is None] or cohorts
    programmes = list(dict.fromkeys(c.programme or c.name for c in current))
    return Record(
        name=person.preferred_name or "",
        programme=", ".join(programmes),
        cohorts=list(dict.fromkeys(c.name for c in cohorts)),
        covered_from=facts.day(places[0][0].joined_at),
        covered_to=facts.day(now),
        generated=facts.day(now),
        sections=[provider(facts) for provider in SECTION_PROVIDERS],
        pending=endorsements_of(session, person_id=person_id, status=EndorsementStatus.PENDING),
    )


def export_record(
    session: Session, *, person_id: int, briefing_titles: Mapping[str, str], clock: Clock
) -> Record:
    """The record, for the PDF the partner chose to make; the export is audited."""
    record = build_record(
        session, person_id=person_id, briefing_titles=briefing_titles, clock=clock
    )
    audit.record(
        session,
        clock=clock,
        action="record.export_pdf",
        actor_id=person_id,
        subject_id=person_id,
        detail=", ".join(f"{s.key} {s.count}" for s in record.sections),
    )
    return record
