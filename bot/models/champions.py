"""Champions and mentoring (issue 18): experienced partners who accept to mentor new ones."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


class ChampionStatus(StrEnum):
    """Where a facilitator's invitation to be a champion stands."""

    ASKED = "asked"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"


class Champion(SQLModel, table=True):
    """A partner of a cohort asked to be its champion: a status they accept, not a role.

    One row per partner and cohort, updated in place: asking again after "Not now" or after
    the role ended starts a fresh invitation.
    """

    __table_args__ = (UniqueConstraint("cohort_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    status: ChampionStatus = _enum(ChampionStatus, default=ChampionStatus.ASKED)
    # Who asked; None once that person has erased their account.
    asked_by: int | None = Field(default=None, foreign_key="person.id")
    asked_at: datetime = _ts(nullable=False)
    answered_at: datetime | None = _ts()
    started_at: datetime | None = _ts()
    ended_at: datetime | None = _ts()


class MentorshipStatus(StrEnum):
    """Where a champion's mentoring of a new partner stands."""

    OFFERED = "offered"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"


class Mentorship(SQLModel, table=True):
    """A champion mentoring a new partner of their cohort for the partner's first months."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    champion_id: int = Field(foreign_key="person.id", index=True)
    mentee_id: int = Field(foreign_key="person.id", index=True)
    status: MentorshipStatus = _enum(MentorshipStatus, default=MentorshipStatus.OFFERED)
    # Who offered it; None when Tandem offered it by itself (or that person erased).
    offered_by: int | None = Field(default=None, foreign_key="person.id")
    offered_at: datetime = _ts(nullable=False)
    started_at: datetime | None = _ts()
    ends_at: datetime | None = _ts()  # the end of the mentee's first three months
    ended_at: datetime | None = _ts()
    # Why it ended: finished, stepped_down, ended_by_staff, left.
    end_reason: str | None = Field(default=None, max_length=20)
    # Each of them can stop messages relayed from the other (as pairs can).
    champion_stopped_relay: bool = Field(default=False)
    mentee_stopped_relay: bool = Field(default=False)
