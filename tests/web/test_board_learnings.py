"""The dashboard's "What the board learned" page (issue 17): learnings per meeting, by role
only, for the cohorts a facilitator runs; every view audited; board members are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain import board
from bot.domain.clock import FakeClock
from bot.domain.errors import NotAllowed
from bot.models import AuditEvent, BoardLabel, Cohort, ReactionKind, Role
from tests.factories import make_meeting, make_person
from tests.web.conftest import World, new_link, sign_in

LEARNED = "Partners read every word of the discharge letter"


def _learning(db: Database, clock: FakeClock, world: World) -> int:
    with db.transaction() as session:
        cohort = session.get(Cohort, world.frailty)
    assert cohort is not None
    helen = make_person(db, clock, cohort, Role.BOARD, name="Helen")
    meeting = make_meeting(db, clock, cohort, starts_at=clock.now() + timedelta(hours=1))
    clock.advance(timedelta(hours=4))
    with db.transaction() as session:
        board.set_label(session, person_id=helen, label=BoardLabel.MANAGER, clock=clock)
        learning = board.begin(session, person_id=helen, meeting_id=meeting.id or 0, clock=clock)
        learning_id = learning.id or 0
        board.answer(
            session, person_id=helen, learning_id=learning_id, question="learned", text=LEARNED
        )
        board.decide(
            session, person_id=helen, learning_id=learning_id, send=True, flagged=False, clock=clock
        )
        board.react(
            session,
            person_id=world.partner,
            learning_id=learning_id,
            kind=ReactionKind.HELPS,
            clock=clock,
        )
    return helen


def test_staff_see_learnings_per_meeting_by_role_and_the_view_is_audited(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    helen = _learning(db, clock, world)
    sign_in(app_client, db, clock, world.facilitator)
    page = app_client.get("/dashboard/learnings")
    assert page.status_code == 200
    assert LEARNED in page.text and "Manager" in page.text and "Frailty board" in page.text
    assert "Helen" not in page.text
    with db.reading() as session:
        actions = session.exec(
            select(AuditEvent.action).where(AuditEvent.actor_id == world.facilitator)
        ).all()
    assert "dashboard.view_learnings" in actions

    app_client.cookies.clear()
    sign_in(app_client, db, clock, world.other_facilitator)
    other = app_client.get("/dashboard/learnings")
    assert other.status_code == 200 and LEARNED not in other.text

    app_client.cookies.clear()
    with pytest.raises(NotAllowed):  # a board member is never given a sign-in link
        new_link(db, clock, helen)
    assert app_client.get("/dashboard/learnings").status_code == 401
