"""What the role table (test_roles.py) compares before and after each action: everything a
refused action must leave as it was. (The forged-buttons scenario counts with `counting` too.)"""

from __future__ import annotations

import functools
from typing import Any

from sqlmodel import col, func, select

from bot.db import Database
from bot.models import (
    Achievement,
    AgendaItem,
    AgendaSupport,
    Attendance,
    BoardLearning,
    Booking,
    BookingSlot,
    Broadcast,
    Champion,
    Claim,
    ClaimExpense,
    Concern,
    ContributionOutcome,
    ConversationState,
    Endorsement,
    LearningReaction,
    LearningStatus,
    Measure,
    MeasureStatus,
    MeasureVote,
    Meeting,
    Mentorship,
    Pair,
    PartnerQuestion,
    Reflection,
    Rsvp,
    SlotStatus,
)


def counting(*counted: tuple[Any, ...]) -> Any:
    """One statement counting the rows of each (model, *conditions): the tables take a
    snapshot before and after each of hundreds of actions, so it is built once (issue 16)."""
    return select(
        *(
            select(func.count()).select_from(model).where(*where).scalar_subquery()
            for model, *where in counted
        )
    )


@functools.cache
def _counts(actor: int | None) -> Any:
    return counting(
        (Broadcast,),
        (Broadcast, col(Broadcast.withdrawn_at).is_not(None)),
        (Meeting, Meeting.status == "cancelled"),
        (Meeting,),
        (Pair, col(Pair.ended_at).is_(None)),
        (Pair, col(Pair.first_stopped_relay) | col(Pair.second_stopped_relay)),
        (Reflection, col(Reflection.flagged_at).is_not(None)),
        (ContributionOutcome,),
        (PartnerQuestion, PartnerQuestion.status == "answered"),
        (Rsvp,),
        (ConversationState, ConversationState.person_id == (actor or -1)),
        (Concern, col(Concern.safe_at).is_not(None)),
        (Concern, col(Concern.contact_asked_at).is_not(None)),
        (AgendaSupport,),
        (AgendaSupport, col(AgendaSupport.comment).is_not(None)),
        (MeasureVote,),
        (Measure, Measure.status != MeasureStatus.PROPOSED),
        (BoardLearning, BoardLearning.status == LearningStatus.SHARED),
        (LearningReaction,),
        (ClaimExpense,),
        (Achievement,),  # issue 18
        (Booking, col(Booking.held_slot_id).is_not(None)),  # issue 18
        (BookingSlot, BookingSlot.status == SlotStatus.CANCELLED),
    )


_LISTED = (
    select(AgendaItem.status).order_by(col(AgendaItem.id)),
    select(AgendaItem.co_proposer_id, AgendaItem.co_joined_at).order_by(col(AgendaItem.id)),
    select(Claim.status).order_by(col(Claim.id)),
    select(Champion.status).order_by(col(Champion.id)),
    select(
        Mentorship.status, Mentorship.champion_stopped_relay, Mentorship.mentee_stopped_relay
    ).order_by(col(Mentorship.id)),
    # issue 18
    select(Attendance.person_id, Attendance.attended),
    select(Endorsement.status),
)


def state_of(db: Database, actor: int | None) -> tuple[object, ...]:
    """Everything a refused action must leave as it was."""
    with db.transaction() as session:
        return (
            tuple(session.exec(_counts(actor)).one()),
            *(tuple(session.exec(listed).all()) for listed in _LISTED),
        )
