"""A partner's record of contribution (issue 18): achievements they add themselves, and
endorsements a facilitator writes that appear only once the partner approves them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts


class Achievement(SQLModel, table=True):
    """Something a partner did and wants on their record, in their own words."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    title: str = Field(max_length=120)
    detail: str | None = Field(default=None, max_length=300)
    created_at: datetime = _ts(nullable=False)


class EndorsementStatus(StrEnum):
    """Where an endorsement stands: waiting for the partner, on the record, or not wanted."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Endorsement(SQLModel, table=True):
    """A facilitator's words about a partner of their cohort. It appears on the record only
    after the partner taps "Add it to my record"."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)  # the partner endorsed
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    # Who wrote it, and how it is signed. Both are cleared when the author uses /forget:
    # the words stay the partner's, signed "a facilitator of <programme>".
    author_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    signature: str | None = Field(default=None, max_length=120)
    text: str = Field(max_length=1000)
    status: EndorsementStatus = _enum(EndorsementStatus, default=EndorsementStatus.PENDING)
    created_at: datetime = _ts(nullable=False)
    decided_at: datetime | None = _ts()
