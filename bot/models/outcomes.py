""" "You said, we did": what came of something a partner said."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.models.base import _ts


class ContributionOutcome(SQLModel, table=True):
    """ "You said, we did": what happened to a partner's reflection, question or agenda item,
    or to one of the cohort's measures (told to all its partners; `person_id` is then the
    measure's proposer, or the facilitator who recorded it once the proposer is forgotten)."""

    id: int | None = Field(default=None, primary_key=True)
    reflection_id: int | None = Field(default=None, foreign_key="reflection.id", index=True)
    question_id: int | None = Field(default=None, foreign_key="partnerquestion.id", index=True)
    # An agenda item the partner proposed (issue 17): its outcome after the meeting.
    agenda_item_id: int | None = Field(default=None, foreign_key="agendaitem.id", index=True)
    # One of the cohort's measures (issue 17 part 4): what changed about it.
    measure_id: int | None = Field(default=None, foreign_key="measure.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    meeting_id: int | None = Field(default=None)
    text: str
    recorded_by: int | None = Field(default=None, foreign_key="person.id")
    recorded_at: datetime = _ts(nullable=False)
