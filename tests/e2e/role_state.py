"""What the role table (test_roles.py) compares before and after each action: everything a
refused action must leave as it was."""

from __future__ import annotations

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


def state_of(db: Database, actor: int | None) -> tuple[object, ...]:
    """Everything a refused action must leave as it was."""
    with db.transaction() as session:

        def count(model: object, *where: object) -> int:
            return int(session.exec(select(func.count()).select_from(model).where(*where)).one())  # type: ignore[arg-type]

        return (
            count(Broadcast),
            count(Broadcast, col(Broadcast.withdrawn_at).is_not(None)),
            count(Meeting, Meeting.status == "cancelled"),
            count(Meeting),
            count(Pair, col(Pair.ended_at).is_(None)),
            count(Pair, col(Pair.first_stopped_relay) | col(Pair.second_stopped_relay)),
            count(Reflection, col(Reflection.flagged_at).is_not(None)),
            count(ContributionOutcome),
            count(PartnerQuestion, PartnerQuestion.status == "answered"),
            count(Rsvp),
            count(ConversationState, ConversationState.person_id == (actor or -1)),
            count(Concern, col(Concern.safe_at).is_not(None)),
            count(Concern, col(Concern.contact_asked_at).is_not(None)),
            count(AgendaSupport),
            count(AgendaSupport, col(AgendaSupport.comment).is_not(None)),
            tuple(session.exec(select(AgendaItem.status).order_by(col(AgendaItem.id))).all()),
            tuple(
                session.exec(
                    select(AgendaItem.co_proposer_id, AgendaItem.co_joined_at).order_by(
                        col(AgendaItem.id)
                    )
                ).all()
            ),
            count(MeasureVote),
            count(Measure, Measure.status != MeasureStatus.PROPOSED),
            count(BoardLearning, BoardLearning.status == LearningStatus.SHARED),
            count(LearningReaction),
            tuple(session.exec(select(Claim.status).order_by(col(Claim.id))).all()),
            count(ClaimExpense),
            tuple(session.exec(select(Champion.status).order_by(col(Champion.id))).all()),
            tuple(
                session.exec(
                    select(
                        Mentorship.status,
                        Mentorship.champion_stopped_relay,
                        Mentorship.mentee_stopped_relay,
                    ).order_by(col(Mentorship.id))
                ).all()
            ),
            # issue 18
            tuple(session.exec(select(Attendance.person_id, Attendance.attended)).all()),
            count(Achievement),
            tuple(session.exec(select(Endorsement.status)).all()),
            count(Booking, col(Booking.held_slot_id).is_not(None)),  # issue 18
            count(BookingSlot, BookingSlot.status == SlotStatus.CANCELLED),
        )
