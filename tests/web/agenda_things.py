"""Agenda items in the security table's Frailty pathway (issue 17): its next meeting, and four
items Amina shared (three open, one accepted for a meeting since held), with the decisions
staff take on each."""

from __future__ import annotations

from datetime import timedelta

from bot.db import Database
from bot.domain import agenda
from bot.domain.clock import FakeClock
from bot.models import Cohort
from tests.factories import make_meeting
from tests.web.conftest import World


def make_agenda_items(
    db: Database, clock: FakeClock, world: World
) -> tuple[int, tuple[int, ...], int]:
    """(the next meeting's id, the four items' ids, the held meeting's id); two hours pass."""
    with db.reading() as session:
        frailty = session.get(Cohort, world.frailty)
    assert frailty is not None
    held = make_meeting(db, clock, frailty, starts_at=clock.now() + timedelta(hours=1))
    coming = make_meeting(db, clock, frailty, starts_at=clock.now() + timedelta(days=9))
    made = []
    with db.transaction() as session:
        for number in range(4):
            item = agenda.propose(
                session, person_id=world.partner, title=f"Item {number}", clock=clock
            )
            item_id = item.id or 0
            agenda.set_why(
                session, person_id=world.partner, item_id=item_id, clock=clock, text="Why"
            )
            agenda.confirm(session, person_id=world.partner, item_id=item_id, clock=clock)
            made.append(item_id)
        agenda.accept(
            session,
            viewer_id=world.facilitator,
            item_id=made[3],
            meeting_id=held.id or 0,
            clock=clock,
        )
    clock.advance(timedelta(hours=2))
    return coming.id or 0, tuple(made), held.id or 0


A = "/dashboard/agenda"


def agenda_posts(items: tuple[int, ...], meeting: int) -> dict[str, tuple[str, dict[str, str]]]:
    """Accept, merge and decline an open item each; the outcome of the accepted one."""
    return {
        f"{A}/{{item_id:int}}/accept": (f"{A}/{items[0]}/accept", {"meeting": str(meeting)}),
        f"{A}/{{item_id:int}}/merge": (f"{A}/{items[1]}/merge", {"into": str(items[0])}),
        f"{A}/{{item_id:int}}/decline": (
            f"{A}/{items[2]}/decline",
            {"reason": "The board covered this in May."},
        ),
        f"{A}/{{item_id:int}}/outcome": (
            f"{A}/{items[3]}/outcome",
            {"text": "Letters will be rewritten."},
        ),
    }
