"""The demo's attendance and Amina's record (issue 18): every past meeting confirmed (those
who said no were not there), two achievements and an approved endorsement on Amina's
record, and nothing left waiting to be sent about it."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.db import Database
from bot.demo.growth_att import seed_growth_att
from bot.demo.seed import COHORT
from bot.domain import record
from bot.domain.attendance import meetings_attended
from bot.domain.clock import FakeClock
from bot.domain.meetings import set_rsvp
from bot.models import Delivery, DeliveryStatus, Role
from tests.factories import make_cohort, make_meeting, make_person


def test_the_demo_confirms_past_meetings_and_gives_amina_a_record(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock, COHORT)
    make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    amina = make_person(db, clock, cohort, name="Amina")
    dev = make_person(db, clock, cohort, name="Dev")
    past = [
        make_meeting(
            db, clock, cohort, title=f"Board {n}", starts_at=clock.now() + timedelta(days=n)
        )
        for n in (1, 2)
    ]
    coming = make_meeting(
        db, clock, cohort, title="Next board", starts_at=clock.now() + timedelta(days=9)
    )
    with db.transaction() as session:
        set_rsvp(session, meeting_id=past[1].id or 0, person_id=dev, attending=False, clock=clock)
    clock.advance(timedelta(days=4))

    seed_growth_att(db, clock)

    with db.transaction() as session:
        assert [m.title for m in meetings_attended(session, person_id=amina)] == [
            "Board 1",
            "Board 2",
        ]
        assert [m.title for m in meetings_attended(session, person_id=dev)] == ["Board 1"]
        shown = record.build_record(session, person_id=amina, briefing_titles={}, clock=clock)
        waiting = session.exec(
            select(Delivery).where(
                Delivery.person_id == amina,
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.purpose == "notice",
            )
        ).all()
    counts = {s.key: s.count for s in shown.sections}
    assert counts["achievements"] == 2 and counts["endorsements"] == 1 and counts["meetings"] == 2
    assert shown.pending == [] and waiting == []
    assert coming.title not in [ln.values.get("title") for s in shown.sections for ln in s.lines]
