"""Partners' side of measures: propose one, vote with a few votes each, move a vote."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.people import cohorts_of
from bot.domain.safeguarding import Rules
from bot.models import Measure, MeasureStatus, MeasureVote, Role

TEXT_LIMIT = 300  # characters of a statement: one clear sentence or two
SHOWN_STATUSES = (MeasureStatus.PROPOSED, MeasureStatus.ADOPTED)


def partner_cohort(session: Session, *, person_id: int) -> int:
    """The cohort a partner's measures belong to (their first, as for prompts)."""
    places = [p for p in cohorts_of(session, person_id=person_id) if p.role == Role.PARTNER]
    if not places:
        raise NotFound("measures.no_cohort")
    return places[0].cohort.id or 0


def clean_statement(text: str) -> str:
    """A statement as kept: one line of plain words, without template brackets."""
    cleaned = " ".join(text.split()).replace("{", "(").replace("}", ")")
    if len(cleaned) < 5:
        raise InvalidInput("measures.too_short")
    if len(cleaned) > TEXT_LIMIT:
        raise InvalidInput("measures.too_long", limit=TEXT_LIMIT)
    return cleaned


def propose(session: Session, *, person_id: int, text: str, clock: Clock, rules: Rules) -> Measure:
    """A partner's statement of what good looks like, open to their cohort's votes. Words
    that suggest risk are never shown to the group (the partner has had their signpost, and
    the alert keeps the words)."""
    cohort_id = partner_cohort(session, person_id=person_id)
    if rules.check(text) is not None:
        raise InvalidInput("measures.held")
    measure = Measure(
        cohort_id=cohort_id,
        text=clean_statement(text),
        proposed_by=person_id,
        created_at=clock.now(),
    )
    session.add(measure)
    session.flush()
    return measure


def _visible(session: Session, person_id: int, measure_id: int) -> Measure:
    """A measure of the partner's own cohort (any other is not found, as if absent)."""
    measure = session.get(Measure, measure_id)
    if measure is None or measure.cohort_id != partner_cohort(session, person_id=person_id):
        raise NotFound("measures.not_found")
    return measure


def withdraw(session: Session, *, person_id: int, measure_id: int) -> Measure:
    """Take back one's own proposal (its votes go with it); adopted ones stay the cohort's."""
    measure = _visible(session, person_id, measure_id)
    if measure.proposed_by != person_id or measure.status != MeasureStatus.PROPOSED:
        raise Conflict("measures.not_withdrawable")
    session.execute(delete(MeasureVote).where(col(MeasureVote.measure_id) == measure_id))
    measure.status = MeasureStatus.WITHDRAWN
    session.add(measure)
    return measure


def votes_used(session: Session, *, person_id: int, cohort_id: int) -> int:
    """How many of a partner's votes sit on measures still proposed (this round's)."""
    used = session.exec(
        select(func.count())
        .select_from(MeasureVote)
        .join(Measure, col(Measure.id) == col(MeasureVote.measure_id))
        .where(
            MeasureVote.person_id == person_id,
            Measure.cohort_id == cohort_id,
            Measure.status == MeasureStatus.PROPOSED,
        )
    ).one()
    return int(used)


def vote(
    session: Session, *, person_id: int, measure_id: int, votes_each: int, clock: Clock
) -> tuple[Measure, bool]:
    """Give a vote to a proposed measure (False: the partner had already voted for it)."""
    measure = _visible(session, person_id, measure_id)
    if measure.status != MeasureStatus.PROPOSED:
        raise Conflict("measures.voting_closed")
    mine = session.exec(
        select(MeasureVote).where(
            MeasureVote.measure_id == measure_id, MeasureVote.person_id == person_id
        )
    ).first()
    if mine is not None:
        return measure, False
    if votes_used(session, person_id=person_id, cohort_id=measure.cohort_id) >= votes_each:
        raise Conflict("measures.no_votes_left", votes=votes_each)
    session.add(MeasureVote(measure_id=measure_id, person_id=person_id, cast_at=clock.now()))
    session.flush()
    return measure, True


def take_back(session: Session, *, person_id: int, measure_id: int) -> Measure:
    """Take a vote back (to give it to another measure); nothing happens if there was none."""
    measure = _visible(session, person_id, measure_id)
    if measure.status != MeasureStatus.PROPOSED:
        raise Conflict("measures.voting_closed")
    session.execute(
        delete(MeasureVote).where(
            col(MeasureVote.measure_id) == measure_id, col(MeasureVote.person_id) == person_id
        )
    )
    return measure


@dataclass(frozen=True)
class Listed:
    """One measure as a partner sees it: never who proposed or who voted, only counts."""

    id: int
    text: str
    status: MeasureStatus
    votes: int
    mine: bool  # the partner proposed it
    voted: bool  # the partner gave it a vote


@dataclass(frozen=True)
class PartnerView:
    """A partner's /measures: adopted measures, proposals to vote on, votes left."""

    adopted: list[Listed]
    proposed: list[Listed]
    votes_each: int
    votes_left: int


def vote_counts(session: Session, *, measure_ids: list[int]) -> dict[int, int]:
    """Votes per measure (an anonymous count)."""
    if not measure_ids:
        return {}
    rows = session.exec(
        select(MeasureVote.measure_id, func.count())
        .where(col(MeasureVote.measure_id).in_(measure_ids))
        .group_by(col(MeasureVote.measure_id))
    ).all()
    return {int(m): int(n) for m, n in rows}


def partner_view(session: Session, *, person_id: int, votes_each: int) -> PartnerView:
    """What a partner sees in /measures: their cohort's measures, with counts only."""
    cohort_id = partner_cohort(session, person_id=person_id)
    found = session.exec(
        select(Measure)
        .where(Measure.cohort_id == cohort_id, col(Measure.status).in_(SHOWN_STATUSES))
        .order_by(col(Measure.created_at), col(Measure.id))
    ).all()
    ids = [m.id or 0 for m in found]
    counts = vote_counts(session, measure_ids=ids)
    voted = set(
        session.exec(
            select(MeasureVote.measure_id).where(
                MeasureVote.person_id == person_id, col(MeasureVote.measure_id).in_(ids)
            )
        ).all()
    )
    listed = [
        Listed(
            id=m.id or 0,
            text=m.text,
            status=m.status,
            votes=m.votes_at_adoption or 0
            if m.status == MeasureStatus.ADOPTED
            else counts.get(m.id or 0, 0),
            mine=m.proposed_by == person_id,
            voted=m.id in voted,
        )
        for m in found
    ]
    used = votes_used(session, person_id=person_id, cohort_id=cohort_id)
    return PartnerView(
        adopted=[m for m in listed if m.status == MeasureStatus.ADOPTED],
        proposed=sorted(
            (m for m in listed if m.status == MeasureStatus.PROPOSED), key=lambda m: -m.votes
        ),
        votes_each=votes_each,
        votes_left=max(0, votes_each - used),
    )
