"""A person's measures in /mydata, and what /forget does to them.

/forget deletes the person's votes and every idea they suggested that the group has not
adopted (with the votes others gave it). A measure the group adopted belongs to the group
from then on: its words stay, asked and charted, but it no longer says who suggested or
adopted it. Their ratings and comments are answers in their reflections, erased with them;
what remains anonymously is the number of votes an adopted measure had
(`Measure.votes_at_adoption`), tied to nobody. What changed about an adopted measure (its
"You said, we did", the facilitator's words to the whole group) is kept too: it passes to
the facilitator who recorded it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from bot.models import ContributionOutcome, Measure, MeasureStatus, MeasureVote, Person

OPEN = (MeasureStatus.PROPOSED, MeasureStatus.WITHDRAWN)


def keep_measure_outcomes(session: Session, person_id: int) -> None:
    """Outcomes of measures the person proposed pass to whoever recorded them (before the
    person's own rows are erased): they are the group's, not the person's."""
    session.execute(
        update(ContributionOutcome)
        .where(
            col(ContributionOutcome.person_id) == person_id,
            col(ContributionOutcome.measure_id).is_not(None),
            col(ContributionOutcome.recorded_by).is_not(None),
            col(ContributionOutcome.recorded_by) != person_id,
        )
        .values(person_id=ContributionOutcome.recorded_by)
    )


def erase_measures(session: Session, person_id: int) -> None:
    """Delete the person's votes and unadopted ideas; unsign adopted measures."""
    session.execute(delete(MeasureVote).where(col(MeasureVote.person_id) == person_id))
    unadopted = select(Measure.id).where(
        col(Measure.proposed_by) == person_id, col(Measure.status).in_(OPEN)
    )
    session.execute(delete(MeasureVote).where(col(MeasureVote.measure_id).in_(unadopted)))
    session.execute(
        delete(Measure).where(col(Measure.proposed_by) == person_id, col(Measure.status).in_(OPEN))
    )
    for column in ("proposed_by", "adopted_by"):
        session.execute(
            update(Measure).where(getattr(Measure, column) == person_id).values({column: None})
        )


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def of_person(
    session: Session, *, person_id: int
) -> tuple[list[Measure], list[tuple[MeasureVote, Measure]]]:
    """Ideas the person suggested or adopted, and their votes with what they were for."""
    mine = session.exec(
        select(Measure)
        .where(or_(col(Measure.proposed_by) == person_id, col(Measure.adopted_by) == person_id))
        .order_by(col(Measure.created_at), col(Measure.id))
    ).all()
    votes = session.exec(
        select(MeasureVote, Measure)
        .join(Measure, col(Measure.id) == col(MeasureVote.measure_id))
        .where(MeasureVote.person_id == person_id)
        .order_by(col(MeasureVote.cast_at), col(MeasureVote.id))
    ).all()
    return list(mine), [(vote, measure) for vote, measure in votes]


def export_measures(session: Session, person: Person) -> dict[str, Any]:
    """Ideas the person suggested or adopted, and their votes, for /mydata."""
    mine, votes = of_person(session, person_id=person.id or 0)
    return {
        "ideas": [
            {
                "text": m.text,
                "you": "suggested it" if m.proposed_by == person.id else "adopted it",
                "status": m.status.value,
                "suggested_at": _iso(m.created_at),
                "adopted_at": _iso(m.adopted_at),
                "retired_at": _iso(m.retired_at),
            }
            for m in mine
        ],
        "votes": [
            {"for": m.text, "suggested_at": _iso(m.created_at), "voted_at": _iso(v.cast_at)}
            for v, m in votes
        ],
    }
