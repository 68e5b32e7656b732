"""A partner with something to show on their record of contribution (issue 18): meetings
(one attended, one missed), a briefing read, an agenda item taken to the board with its
outcome, a "you said, we did", an adopted measure, and a private reflection whose words
must never reach the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.db import Database
from bot.domain.attendance import confirm_attendance
from bot.domain.briefings import mark_read
from bot.domain.clock import FakeClock
from bot.models import (
    AgendaItem,
    AgendaStatus,
    Cohort,
    ContributionOutcome,
    Measure,
    MeasureStatus,
)
from tests.factories import library, make_meeting, make_reflection

ATTENDED = "Frailty board: spring"
MISSED = "Frailty board: summer"
ITEM = "Discharge letters in plain English"
ITEM_OUTCOME = "The team will rewrite the letters with two lay partners"
SAID_OUTCOME = "Clinic hours now run until 7pm on Thursdays"
MEASURE = "Carers are listened to at every visit"
PRIVATE_WORDS = "my worry about money that I keep to myself"
BRIEFING = "what-happens-to-your-contributions"


@dataclass(frozen=True)
class History:
    attended: int
    missed: int
    item: int
    briefing_title: str


def give_history(
    db: Database, clock: FakeClock, cohort: Cohort, *, partner: int, facilitator: int
) -> History:
    """Build the partner's history; the clock ends three days later than it began."""
    start = clock.now()
    attended = make_meeting(db, clock, cohort, title=ATTENDED, starts_at=start + timedelta(days=1))
    missed = make_meeting(db, clock, cohort, title=MISSED, starts_at=start + timedelta(days=2))
    clock.advance(timedelta(days=3))
    private = make_reflection(db, clock, partner, {"troubling": PRIVATE_WORDS}, sharing="private")
    shared = make_reflection(db, clock, partner, {"how_it_went": 4}, meeting_id=attended.id)
    with db.transaction() as session:
        confirm_attendance(
            session, meeting_id=attended.id or 0, person_id=facilitator, attended=[partner],
            clock=clock,
        )  # fmt: skip
        confirm_attendance(
            session, meeting_id=missed.id or 0, person_id=facilitator, attended=[], clock=clock
        )
        mark_read(session, person_id=partner, briefing_id=BRIEFING, clock=clock)
        item = AgendaItem(
            cohort_id=cohort.id or 0,
            proposer_id=partner,
            title=ITEM,
            why=PRIVATE_WORDS,  # the why stays with the group, never on the record
            status=AgendaStatus.ACCEPTED,
            meeting_id=attended.id,
            created_at=start,
            confirmed_at=start,
        )
        session.add(item)
        session.flush()
        now = clock.now()
        session.add_all(
            [
                ContributionOutcome(
                    agenda_item_id=item.id, person_id=partner, text=ITEM_OUTCOME,
                    recorded_by=facilitator, recorded_at=now,
                ),
                ContributionOutcome(
                    reflection_id=shared, person_id=partner, text=SAID_OUTCOME,
                    recorded_by=facilitator, recorded_at=now,
                ),
                Measure(
                    cohort_id=cohort.id or 0, text=MEASURE, status=MeasureStatus.ADOPTED,
                    proposed_by=partner, created_at=start, adopted_by=facilitator,
                    adopted_at=now, votes_at_adoption=3,
                ),
            ]
        )  # fmt: skip
    assert private
    title = library().briefings[BRIEFING].meta.title
    return History(attended.id or 0, missed.id or 0, item.id or 0, title)
