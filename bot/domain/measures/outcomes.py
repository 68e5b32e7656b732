""" "You said, we did" for a measure (issue 17 part 4): after partners chose what matters,
the facilitator records what changed about it, and every partner of the cohort is told."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain import notices
from bot.domain.answers import TEXT_LIMIT
from bot.domain.clock import Clock
from bot.domain.errors import Conflict, InvalidInput
from bot.domain.measures.running import managed
from bot.domain.people import get_person
from bot.domain.planning import partners_of
from bot.models import ContributionOutcome, Measure, MeasureStatus

OUTCOME_LIMIT = TEXT_LIMIT // 2  # room for the measure's words in the same message


def outcome_measure(session: Session, *, viewer_id: int, measure_id: int) -> Measure:
    """An adopted measure of a cohort the viewer runs: ready for what changed."""
    measure = managed(session, viewer_id=viewer_id, measure_id=measure_id)
    if measure.status != MeasureStatus.ADOPTED:
        raise Conflict("measures.not_adopted")
    return measure


def record_measure_outcome(
    session: Session, *, viewer_id: int, measure_id: int, text: str, clock: Clock
) -> tuple[ContributionOutcome, int]:
    """Record what changed about an adopted measure, and tell the cohort's partners through
    the outbox; the outcome and how many partners will be told."""
    measure = outcome_measure(session, viewer_id=viewer_id, measure_id=measure_id)
    cleaned = text.strip()
    if not cleaned or len(cleaned) > OUTCOME_LIMIT:
        raise InvalidInput("measures.outcome_bad", limit=OUTCOME_LIMIT)
    outcome = ContributionOutcome(
        measure_id=measure.id,
        person_id=measure.proposed_by or viewer_id,
        text=cleaned,
        recorded_by=viewer_id,
        recorded_at=clock.now(),
    )
    session.add(outcome)
    session.flush()
    partners = [person for _, person, _ in partners_of(session, [measure.cohort_id])]
    author = get_person(session, person_id=viewer_id)
    told = notices.notify(
        session,
        person_ids=partners,
        key="measures.outcome_notice",
        clock=clock,
        params={
            "measure": measure.text,
            "outcome": cleaned,
            "facilitator": author.preferred_name or "",
        },
        buttons=[[("measures.buttons.see", "measures.list", ())]],
        dedupe=f"measureoutcome{outcome.id}",
    )
    return outcome, told
