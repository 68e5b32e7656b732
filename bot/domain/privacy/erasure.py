"""/forget: real erasure. What belongs to the person is deleted, what they did to others'
records no longer names them, and only an anonymous person row remains for counts."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, update
from sqlmodel import Session, SQLModel, col, select

from bot.domain import audit, weblogin
from bot.domain.bookings.privacy import erase_bookings
from bot.domain.champions.privacy import end_for_erasure, erase_champions
from bot.domain.claims.privacy import erase_claims
from bot.domain.clock import Clock
from bot.domain.measures.privacy import erase_measures, keep_measure_outcomes
from bot.domain.notices import about_key_prefix
from bot.domain.record.endorsements import erase_record
from bot.models import (
    AccountChange,
    AgendaItem,
    AgendaSupport,
    Answer,
    Attendance,
    BoardLearning,
    BoardMember,
    BriefingRead,
    Broadcast,
    CalendarFeed,
    Claim,
    Concern,
    ConsentRecord,
    ContributionOutcome,
    ConversationState,
    Delivery,
    Invite,
    LearningReaction,
    Membership,
    Note,
    Pair,
    PartnerQuestion,
    PaymentChoice,
    Person,
    PersonStatus,
    Reflection,
    Rsvp,
)

# ---------------------------------------------------------------------------- erasure

# Tables whose rows outlive /forget, and why. They keep pointing at the blanked person row
# (which holds nothing that identifies anyone) and hold none of the person's words.
KEPT_AFTER_ERASURE: dict[str, str] = {
    "membership": "who was in which cohort, and when, so participation figures stay right "
    "(each membership is ended)",
    "attendance": "who was at which meeting, so attendance figures stay right (issue 18)",
    "claim": "a paid claim is a finance record: its amounts, dates and meeting stay, without "
    "words or receipts (unpaid claims are erased; bot/domain/claims/privacy.py)",
    "claimexpense": "a paid claim's expenses: category, amount and date, without the receipt",
    "auditevent": "the accountability trail: who viewed, changed or erased what, and when; "
    "it never holds anyone's words",
}

# Columns of the person row that survive erasure, for counts; every other column is blanked
# (to NULL, or to its default when it cannot be NULL).
KEPT_ON_PERSON = frozenset(
    {"id", "role", "status", "commands_version", "created_at", "onboarded_at", "left_at"}
)

# Rows that belong to the person, deleted in this order (outcomes first: they point at
# reflections and questions). Each later feature that stores a person's data adds its table.
_THEIR_ROWS: tuple[tuple[type[SQLModel], str], ...] = (
    # issue 17: a partner's reactions; a board member's label (learnings: _erase_learnings)
    (LearningReaction, "person_id"),
    (BoardMember, "person_id"),
    (ContributionOutcome, "person_id"),
    (Concern, "person_id"),
    (Note, "person_id"),
    (Pair, "first_id"),
    (Pair, "second_id"),
    (Delivery, "person_id"),
    (Rsvp, "person_id"),
    (CalendarFeed, "person_id"),
    (ConsentRecord, "person_id"),
    (ConversationState, "person_id"),
    (BriefingRead, "person_id"),
    (PartnerQuestion, "person_id"),
    (AccountChange, "person_id"),
    (PaymentChoice, "person_id"),  # issue 18: opted out of payment
)

# What they did to other people's records stays (a partner keeps the answer to their
# question, a cohort its invites), but no longer says who did it.
_THEIR_SIGNATURES: tuple[tuple[type[SQLModel], str], ...] = (
    (Invite, "created_by"),
    (Broadcast, "author_id"),
    (PartnerQuestion, "answered_by"),
    (ContributionOutcome, "recorded_by"),
    (Reflection, "flagged_by"),
    (Concern, "acknowledged_by"),
    (AgendaItem, "triaged_by"),
    (Attendance, "confirmed_by"),
    (Claim, "decided_by"),  # issue 18
)

Eraser = Callable[[Session, int], None]
# Erasers that need the time (what is still to come): they run first (issue 18).
ClockedEraser = Callable[[Session, int, Clock], None]


def _erase_rows(session: Session, person_id: int) -> None:
    for table, column in _THEIR_ROWS:
        session.execute(delete(table).where(getattr(table, column) == person_id))
    # Notices to others that carry this person's name or words (questions, relayed
    # messages, alerts...), sent or not.
    session.execute(
        delete(Delivery).where(col(Delivery.dedupe_key).startswith(about_key_prefix(person_id)))
    )


def _erase_reflections(session: Session, person_id: int) -> None:
    mine = select(Reflection.id).where(Reflection.person_id == person_id)
    session.execute(delete(Answer).where(col(Answer.reflection_id).in_(mine)))
    session.execute(delete(Reflection).where(col(Reflection.person_id) == person_id))


def _erase_agenda(session: Session, person_id: int) -> None:
    """Their proposals go, with everyone's support for them; their support of others'
    items stays as an anonymous count, without their name or comment; items they co-proposed
    with their pair stay the proposer's (issue 17)."""
    theirs = select(AgendaItem.id).where(AgendaItem.proposer_id == person_id)
    session.execute(
        update(AgendaItem)
        .where(col(AgendaItem.merged_into_id).in_(theirs))
        .values(merged_into_id=None)
    )
    session.execute(delete(AgendaSupport).where(col(AgendaSupport.item_id).in_(theirs)))
    session.execute(delete(AgendaItem).where(col(AgendaItem.proposer_id) == person_id))
    session.execute(
        update(AgendaSupport)
        .where(col(AgendaSupport.supporter_id) == person_id)
        .values(supporter_id=None, comment=None)
    )
    # A co-proposer leaves the items they joined (or were asked to): they stay the proposer's.
    session.execute(
        update(AgendaItem)
        .where(col(AgendaItem.co_proposer_id) == person_id)
        .values(co_proposer_id=None, co_joined_at=None)
    )


def _erase_learnings(session: Session, person_id: int) -> None:
    """A board member's learnings (issue 17), with partners' reactions to them."""
    mine = select(BoardLearning.id).where(BoardLearning.person_id == person_id)
    session.execute(delete(LearningReaction).where(col(LearningReaction.learning_id).in_(mine)))
    session.execute(delete(BoardLearning).where(col(BoardLearning.person_id) == person_id))


def _erase_sign_ins(session: Session, person_id: int) -> None:
    weblogin.erase_for(session, person_id=person_id)


def _unsign(session: Session, person_id: int) -> None:
    for table, column in _THEIR_SIGNATURES:
        session.execute(
            update(table).where(getattr(table, column) == person_id).values({column: None})
        )


# Agenda items after _erase_rows (their outcomes point at the items), before reflections
# (an item may link one of its proposer's reflections).
ERASERS: list[Eraser] = [
    _erase_sign_ins,
    _erase_learnings,
    keep_measure_outcomes,  # before _erase_rows: the group's, not the person's
    _erase_rows,
    _erase_agenda,
    _erase_reflections,
    erase_measures,  # issue 17: see bot/domain/measures/privacy.py for what stays
    # Issue 18: their achievements and endorsements go; endorsements they wrote about
    # others stay with those partners, unsigned (see bot/domain/record/endorsements.py).
    erase_record,
    erase_champions,  # issue 18: see bot/domain/champions/privacy.py
    erase_claims,  # issue 18: unpaid claims go; paid ones keep what finance must
    _unsign,
]


CLOCKED_ERASERS: list[ClockedEraser] = [
    erase_bookings,  # issue 18: see bot/domain/bookings/privacy.py
]


def _blank(person: Person) -> None:
    """Blank every column not kept for counts: NULL, or the column's default."""
    for column in Person.__table__.columns:  # type: ignore[attr-defined]
        if column.name in KEPT_ON_PERSON:
            continue
        if column.nullable:
            setattr(person, column.name, None)
        elif column.default is not None and column.default.is_scalar:
            setattr(person, column.name, column.default.arg)
        else:
            raise RuntimeError(f"person.{column.name} cannot be blanked: give it a default")


def forget(session: Session, *, person_id: int, clock: Clock) -> None:
    """Erase the person's personal data and answers; only an anonymous row remains for counts."""
    person = session.get(Person, person_id)
    if person is None or person.status == PersonStatus.ERASED:
        return
    now = clock.now()
    for clocked in CLOCKED_ERASERS:
        clocked(session, person_id, clock)
    end_for_erasure(session, person_id=person_id, clock=clock)  # issue 18: others told kindly
    for eraser in ERASERS:
        eraser(session, person_id)
    session.execute(
        update(Membership)
        .where(col(Membership.person_id) == person_id, col(Membership.left_at).is_(None))
        .values(left_at=now)
    )
    _blank(person)
    person.status = PersonStatus.ERASED
    person.left_at = person.left_at or now
    session.add(person)
    audit.record(
        session, clock=clock, action="erased_own_data", actor_id=person_id, subject_id=person_id
    )
