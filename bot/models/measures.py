"""What matters to us: measures a cohort's partners propose, vote on and then rate."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


class MeasureStatus(StrEnum):
    """Where a measure stands: proposed (open to votes), adopted (asked each month), retired
    (no longer asked; its ratings are kept), withdrawn (taken back by its proposer)."""

    PROPOSED = "proposed"
    ADOPTED = "adopted"
    RETIRED = "retired"
    WITHDRAWN = "withdrawn"


class Measure(SQLModel, table=True):
    """A statement of what good care or a good programme looks like, in a cohort's words.

    `proposed_by` is cleared when its proposer is forgotten: an adopted measure belongs to
    the cohort from then on; a measure still only proposed is erased with its votes."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    text: str = Field(max_length=300)
    status: MeasureStatus = _enum(MeasureStatus, default=MeasureStatus.PROPOSED)
    proposed_by: int | None = Field(default=None, foreign_key="person.id", index=True)
    created_at: datetime = _ts(nullable=False)
    # The votes it had when adopted: an anonymous number, kept when voters are forgotten.
    votes_at_adoption: int | None = Field(default=None)
    adopted_by: int | None = Field(default=None, foreign_key="person.id")
    adopted_at: datetime | None = _ts()
    retired_at: datetime | None = _ts()


class MeasureVote(SQLModel, table=True):
    """One partner's vote for a proposed measure (a partner has a few; they can move one)."""

    __table_args__ = (UniqueConstraint("measure_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    cast_at: datetime = _ts(nullable=False)
