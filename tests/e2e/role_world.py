"""The cohort the role table (test_roles.py) acts in: the ids of real things in it, and the
words nobody outside it may ever see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from sqlmodel import select

from bot.db import Database, Session
from bot.domain import agenda, bookings, champions, record
from bot.domain.broadcasts import create_broadcast
from bot.domain.clock import FakeClock
from bot.domain.measures import propose
from bot.domain.meetings import add_meeting
from bot.domain.pairs import make_pair
from bot.domain.safeguarding import default_rules
from bot.library.catalogue import Library
from bot.models import (
    AgendaItem,
    AgendaStatus,
    BoardLearning,
    Cohort,
    Concern,
    LearningStatus,
    Meeting,
    Membership,
    Note,
    PartnerQuestion,
)
from tests.e2e.role_claims import make_claims
from tests.e2e.test_facilitator_tools import NOW
from tests.factories import make_reflection

LIBRARY, _ = Library.load()

SHARED_WORDS = "Clinic hours are too short on Saturdays"
PRIVATE_WORDS = "a worry I keep to myself"
QUESTION_WORDS = "Can I bring my carer to the board?"
MEASURE_WORDS = "Letters come in plain English"


@dataclass(frozen=True)
class World:
    cohort: int
    other_cohort: int
    meeting: int
    pair: int
    reflection: int
    private: int
    question: int
    broadcast: int
    unpaired: int  # a partner of the cohort without a pair
    note: int  # a draft note of that partner's
    own_concern: int  # a safeguarding concern about Chloe (the partner), from her signpost
    concern: int  # one about Amina
    item: int  # Amina's agenda item, shared with the cohort
    accepted: int  # Bill's, accepted for a meeting that has happened
    draft: int  # Chloe's (the partner's) draft item
    learning: int  # issue 17: what another board member of the cohort learned, shared
    measure: int = 0  # an idea of Amina's the cohort is voting on (issue 17)
    # issue 18: Amina's claim for yesterday's meeting, its expense, and Chloe's own claim
    claim: int = 0
    expense: int = 0
    own_claim: int = 0
    champion: int = 0  # issue 18: Amina is the cohort's champion...
    mentorship: int = 0  # ...mentoring Bill
    held: int = 0  # issue 18: a meeting held yesterday, its attendance not yet confirmed
    achievement: int = 0  # one Amina added to her record
    endorsement: int = 0  # Margaret's words about Amina, waiting for Amina's choice
    # Issue 18: one-to-one times Margaret offers: free, booked by Amina (her booking), spare
    free_slot: int = 0
    booking: int = 0
    spare_slot: int = 0


def build_world(db: Database, clock: FakeClock, ids: dict[str, int]) -> World:
    """Real things of the cohort for the role table to name: a meeting, a pair, shared and
    private reflections, a question, a broadcast, concerns, agenda items, a learning, an
    idea for a measure."""
    with db.transaction() as session:
        meeting = add_meeting(
            session,
            cohort=session.get(Cohort, ids["cohort"]),  # type: ignore[arg-type]
            title="Frailty board",
            starts_at=NOW + timedelta(days=3),
            ends_at=NOW + timedelta(days=3, hours=2),
            clock=clock,
            timetable=LIBRARY.timetable,
        ).meeting
        pair = make_pair(
            session,
            viewer_id=ids["margaret"],
            cohort_id=ids["cohort"],
            first_id=ids["amina"],
            second_id=ids["bill"],
            clock=clock,
            timetable=LIBRARY.timetable,
        )
        question = PartnerQuestion(
            person_id=ids["amina"], cohort_id=ids["cohort"], text=QUESTION_WORDS, asked_at=NOW
        )
        session.add(question)
        broadcast, _ = create_broadcast(
            session,
            text="Thank you all",
            person_ids=[ids["amina"], ids["bill"]],
            clock=clock,
            author_id=ids["margaret"],
            audience="everyone",
        )
        concerns = [
            Concern(person_id=ids[who], category="abuse", raised_at=NOW)
            for who in ("chloe", "amina")
        ]
        session.add_all(concerns)
        session.flush()
        meeting_id, pair_id = meeting.id or 0, pair.id or 0
        concern_ids = [c.id or 0 for c in concerns]
        question_id, broadcast_id = question.id or 0, broadcast.id or 0
    reflection = make_reflection(
        db,
        clock,
        ids["amina"],
        {"how_it_went": 3, "raise_next": SHARED_WORDS},
        meeting_id=meeting_id,
    )
    private = make_reflection(
        db, clock, ids["bill"], {"how_it_went": 2, "troubling": PRIVATE_WORDS}, sharing="private"
    )
    items = _agenda_items(db, clock, ids, meeting_id)
    growth = _growth(db, clock, ids)
    with db.transaction() as session:
        note = Note(
            person_id=ids["chloe"], text="A thought for later", created_at=NOW, updated_at=NOW
        )
        session.add(note)
        learning = BoardLearning(
            person_id=ids["olu"],
            cohort_id=ids["cohort"],
            meeting_id=meeting_id,
            learned="Plain words matter",
            status=LearningStatus.SHARED,
            created_at=NOW,
        )
        session.add(learning)
        session.flush()
        note_id = note.id or 0
        measure = propose(
            session, person_id=ids["amina"], text=MEASURE_WORDS, clock=clock, rules=default_rules()
        )
        measure_id = measure.id or 0
        learning_id = learning.id or 0
        champion_id, mentorship_id = _champion(session, clock, ids)
    slots = _one_to_ones(db, clock, ids)
    return World(
        ids["cohort"],
        ids["other"],
        meeting_id,
        pair_id,
        reflection,
        private,
        question_id,
        broadcast_id,
        ids["chloe"],
        note_id,
        *concern_ids,
        *items,
        learning_id,
        measure=measure_id,
        **dict(
            zip(
                ("claim", "expense", "own_claim"),
                make_claims(db, clock, ids, items[1]),
                strict=True,
            )
        ),
        champion=champion_id,
        mentorship=mentorship_id,
        **growth,
        free_slot=slots[0],
        booking=slots[1],
        spare_slot=slots[2],
    )


BOOKING_DAY = (NOW + timedelta(days=2)).date()  # Wednesday 4 March


def _one_to_ones(db: Database, clock: FakeClock, ids: dict[str, int]) -> tuple[int, int, int]:
    """Margaret's one-to-one times (issue 18): a free one, one Amina booked, a spare one."""
    with db.transaction() as session:
        made = [
            bookings.publish(
                session,
                host_id=ids["margaret"],
                cohort_id=ids["cohort"],
                day=BOOKING_DAY,
                at=time(hour),
                minutes=30,
                where="Room 3B",
                clock=clock,
            ).id
            or 0
            for hour in (10, 14, 16)
        ]
        booked = bookings.book(session, person_id=ids["amina"], slot_id=made[1], clock=clock)
        assert booked.booking is not None
        return made[0], booked.booking.id or 0, made[2]


def _growth(db: Database, clock: FakeClock, ids: dict[str, int]) -> dict[str, int]:
    """Issue 18: the cohort's partners joined before yesterday's meeting (so they are on its
    attendance sheet); Amina's achievement, and an endorsement of her she has not approved."""
    with db.transaction() as session:
        for membership in session.exec(
            select(Membership).where(Membership.cohort_id == ids["cohort"])
        ):
            membership.joined_at = NOW - timedelta(days=30)
            session.add(membership)
        held = session.exec(select(Meeting.id).where(Meeting.title == "Last board")).one()
        achievement = record.add_achievement(
            session, person_id=ids["amina"], title="Spoke at the board", detail=None, clock=clock
        )
        endorsement = record.write_endorsement(
            session,
            viewer_id=ids["margaret"],
            partner_id=ids["amina"],
            text="Amina spoke up for carers at every board.",
            clock=clock,
        )
        return {
            "held": int(held or 0),
            "achievement": achievement.id or 0,
            "endorsement": endorsement.id or 0,
        }


def _champion(session: Session, clock: FakeClock, ids: dict[str, int]) -> tuple[int, int]:
    """Issue 18: Amina accepted being the cohort's champion, and mentors Bill."""
    row = champions.ask(
        session, viewer_id=ids["margaret"], cohort_id=ids["cohort"], person_id=ids["amina"],
        clock=clock,
    )  # fmt: skip
    champions.answer(
        session, person_id=ids["amina"], champion_id=row.id or 0, accept=True, clock=clock
    )
    offered = champions.offer(
        session, viewer_id=ids["margaret"], mentee_id=ids["bill"], champion_id=row.id or 0,
        clock=clock,
    )  # fmt: skip
    champions.answer_offer(
        session, person_id=ids["bill"], mentorship_id=offered.id or 0, accept=True, clock=clock
    )
    return row.id or 0, offered.id or 0


def _agenda_items(
    db: Database, clock: FakeClock, ids: dict[str, int], meeting_id: int
) -> tuple[int, int, int]:
    """Amina's shared item (Bill, her pair, asked to join it), Bill's accepted for a meeting
    held yesterday, Chloe's draft."""
    made = []
    with db.transaction() as session:
        for who in ("amina", "bill", "chloe"):
            item = agenda.propose(
                session,
                person_id=ids[who],
                title=f"Item for the board ({len(made) + 1})",
                clock=clock,
            )
            agenda.set_why(
                session, person_id=ids[who], item_id=item.id or 0, clock=clock, text="Why"
            )
            if who == "amina":  # shared, and her pair Bill asked to propose it with her
                agenda.ask_pair(session, person_id=ids[who], item_id=item.id or 0, clock=clock)
            elif who == "bill":
                agenda.confirm(session, person_id=ids[who], item_id=item.id or 0, clock=clock)
            made.append(item.id or 0)
        held = Meeting(
            cohort_id=ids["cohort"],
            title="Last board",
            starts_at=NOW - timedelta(days=1),
            ends_at=NOW - timedelta(days=1) + timedelta(hours=2),
            planned_at=NOW,
        )
        session.add(held)
        session.flush()
        accepted = session.get(AgendaItem, made[1])
        assert accepted is not None
        accepted.status, accepted.meeting_id = AgendaStatus.ACCEPTED, held.id
        session.add(accepted)
    return made[0], made[1], made[2]
