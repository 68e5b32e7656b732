"""Staff side of measures: a cohort's measures with their votes, adopt (announced to the
cohort with the vote counts), retire (no longer asked; its history stays)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.domain import notices
from bot.domain.clock import Clock
from bot.domain.cohorts import cohorts_for, require_runs
from bot.domain.errors import Conflict, NotFound
from bot.domain.measures.proposals import vote_counts
from bot.domain.planning import partners_of
from bot.models import Cohort, Measure, MeasureStatus

LIVE = (MeasureStatus.PROPOSED, MeasureStatus.ADOPTED, MeasureStatus.RETIRED)


@dataclass(frozen=True)
class Counted:
    """A measure with its votes (an anonymous count: staff never see who voted)."""

    measure: Measure
    votes: int


@dataclass(frozen=True)
class CohortMeasures:
    """One cohort's measures for its facilitator: proposed (most votes first), adopted,
    retired."""

    cohort: Cohort
    proposed: list[Counted]
    adopted: list[Counted]
    retired: list[Counted]


def cohort_measures(session: Session, *, viewer_id: int) -> list[CohortMeasures]:
    """Every cohort the viewer runs, with its measures."""
    result = []
    for cohort in cohorts_for(session, person_id=viewer_id):
        found = list(
            session.exec(
                select(Measure)
                .where(Measure.cohort_id == cohort.id, col(Measure.status).in_(LIVE))
                .order_by(col(Measure.created_at), col(Measure.id))
            ).all()
        )
        counts = vote_counts(session, measure_ids=[m.id or 0 for m in found])
        counted = [Counted(m, _votes(m, counts)) for m in found]

        def having(status: MeasureStatus, counted: list[Counted] = counted) -> list[Counted]:
            return [c for c in counted if c.measure.status == status]

        proposed = sorted(having(MeasureStatus.PROPOSED), key=lambda c: -c.votes)
        adopted, retired = having(MeasureStatus.ADOPTED), having(MeasureStatus.RETIRED)
        result.append(CohortMeasures(cohort, proposed, adopted, retired))
    return result


def _votes(measure: Measure, counts: dict[int, int]) -> int:
    """The votes it had when adopted, else the votes it has now."""
    if measure.votes_at_adoption is not None:
        return measure.votes_at_adoption
    return counts.get(measure.id or 0, 0)


def managed(session: Session, *, viewer_id: int, measure_id: int) -> Measure:
    """A measure of a cohort the viewer runs (another cohort's is not found)."""
    measure = session.get(Measure, measure_id)
    if measure is None or measure.status == MeasureStatus.WITHDRAWN:
        raise NotFound("measures.not_found")
    require_runs(session, person_id=viewer_id, cohort_id=measure.cohort_id)
    return measure


def looked_at(session: Session, *, viewer_id: int, measure_id: int) -> tuple[Measure, int, str]:
    """A measure of a cohort the viewer runs, its votes and its cohort's name (to confirm)."""
    measure = managed(session, viewer_id=viewer_id, measure_id=measure_id)
    votes = measure.votes_at_adoption
    if votes is None:
        votes = vote_counts(session, measure_ids=[measure_id]).get(measure_id, 0)
    cohort = session.get(Cohort, measure.cohort_id)
    return measure, votes, cohort.name if cohort else ""


def adopt(session: Session, *, viewer_id: int, measure_id: int, clock: Clock) -> Measure:
    """Adopt a proposed measure: it joins the monthly check-in, and the cohort's partners
    are told, with the votes it had."""
    measure = managed(session, viewer_id=viewer_id, measure_id=measure_id)
    if measure.status != MeasureStatus.PROPOSED:
        raise Conflict("measures.not_proposed")
    votes = vote_counts(session, measure_ids=[measure_id]).get(measure_id, 0)
    measure.status = MeasureStatus.ADOPTED
    measure.votes_at_adoption = votes
    measure.adopted_by = viewer_id
    measure.adopted_at = clock.now()
    session.add(measure)
    partners = [person for _, person, _ in partners_of(session, [measure.cohort_id])]
    notices.notify(
        session,
        person_ids=partners,
        key="measures.adopted_notice",
        clock=clock,
        params={"measure": measure.text, "votes": votes},
        buttons=[[("measures.buttons.see", "measures.list", ())]],
        dedupe=f"measure{measure_id}adopted",
    )
    return measure


def retire(session: Session, *, viewer_id: int, measure_id: int, clock: Clock) -> Measure:
    """Stop asking an adopted measure; its ratings stay on the dashboard."""
    measure = managed(session, viewer_id=viewer_id, measure_id=measure_id)
    if measure.status != MeasureStatus.ADOPTED:
        raise Conflict("measures.not_adopted")
    measure.status = MeasureStatus.RETIRED
    measure.retired_at = clock.now()
    session.add(measure)
    return measure
