"""The planner's follow-ups raise agenda items nobody triaged a week before their meeting
(issue 17), once, however often the planner runs."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.db import Database
from bot.domain import agenda
from bot.domain.clock import FakeClock
from bot.models import Delivery, Role
from bot.scheduling.jobs import plan
from tests.factories import library, make_cohort, make_meeting, make_person


def test_the_planner_raises_an_untriaged_item_to_the_coordinators_once(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    tom = make_person(db, clock, None, Role.COORDINATOR, name="Tom")
    amina = make_person(db, clock, cohort, name="Amina")
    make_meeting(db, clock, cohort, starts_at=clock.now() + timedelta(days=8))
    with db.transaction() as session:
        item = agenda.propose(session, person_id=amina, title="Letters", clock=clock)
        agenda.set_why(session, person_id=amina, item_id=item.id or 0, clock=clock, text="Why")
        agenda.confirm(session, person_id=amina, item_id=item.id or 0, clock=clock)
    timetable = library().timetable
    plan(db, clock, timetable)
    assert _raised(db, tom) == []  # eight days before: still time to decide
    clock.advance(timedelta(days=1, hours=1))
    plan(db, clock, timetable)
    plan(db, clock, timetable)
    raised = _raised(db, tom)
    assert len(raised) == 1 and raised[0]["params"]["title"] == "Letters"


def _raised(db: Database, person_id: int) -> list[dict[str, Any]]:
    with db.reading() as session:
        rows = session.exec(select(Delivery).where(Delivery.person_id == person_id)).all()
    payloads = [json.loads(r.payload) for r in rows]
    return [p for p in payloads if p.get("key") == "agenda_staff.notify.untriaged"]
