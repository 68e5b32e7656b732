"""The dashboard's agenda items page (issue 17): the same decisions as in chat, "not this
time" refused without a reason, and every view and decision audited without anyone's words."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain import agenda
from bot.domain.clock import FakeClock
from bot.models import AgendaItem, AgendaStatus, AuditEvent, Cohort, Delivery
from tests.factories import make_meeting
from tests.web.conftest import World, sign_in

WHY = "My mother's letter used words we did not know."


def _item(db: Database, clock: FakeClock, world: World) -> tuple[int, int]:
    with db.reading() as session:
        frailty = session.get(Cohort, world.frailty)
    assert frailty is not None
    meeting = make_meeting(db, clock, frailty, starts_at=clock.now() + timedelta(days=9))
    with db.transaction() as session:
        item = agenda.propose(
            session, person_id=world.partner, title="Discharge letters", clock=clock
        )
        agenda.set_why(
            session, person_id=world.partner, item_id=item.id or 0, clock=clock, text=WHY
        )
        agenda.confirm(session, person_id=world.partner, item_id=item.id or 0, clock=clock)
        return item.id or 0, meeting.id or 0


def _status(db: Database, item_id: int) -> AgendaStatus:
    with db.reading() as session:
        item = session.get(AgendaItem, item_id)
        assert item is not None
        return item.status


def test_not_this_time_is_refused_without_a_reason_and_then_reaches_the_partner(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    item_id, meeting_id = _item(db, clock, world)
    csrf = sign_in(app_client, db, clock, world.facilitator)
    shown = app_client.get("/dashboard/agenda")
    assert shown.status_code == 200
    assert "Discharge letters" in shown.text and "From Amina" in shown.text
    assert f'<option value="{meeting_id}">' in shown.text

    path = f"/dashboard/agenda/{item_id}/decline"
    for reason in ("", "   ", "no"):
        refused = app_client.post(path, data={"csrf": csrf, "reason": reason})
        assert refused.status_code == 400 and "Please give a reason" in refused.text
    assert _status(db, item_id) == AgendaStatus.OPEN
    done = app_client.post(path, data={"csrf": csrf, "reason": "The board covered it in May."})
    assert done.status_code == 303 and _status(db, item_id) == AgendaStatus.DECLINED
    with db.reading() as session:
        told = session.exec(select(Delivery).where(Delivery.person_id == world.partner)).all()
        events = session.exec(
            select(AuditEvent).where(col(AuditEvent.action).startswith("dashboard.agenda"))
        ).all()
        viewed = session.exec(
            select(AuditEvent).where(AuditEvent.action == "dashboard.view_agenda")
        ).all()
    assert any("The board covered it in May." in d.payload for d in told)
    assert [e.detail.startswith("refused") for e in events if e.detail] == [True, True, True, False]
    assert len(viewed) == 1
    assert not any(WHY in (e.detail or "") for e in [*events, *viewed])


def test_another_cohorts_facilitator_can_neither_see_nor_accept_an_item(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    item_id, meeting_id = _item(db, clock, world)
    csrf = sign_in(app_client, db, clock, world.other_facilitator)
    assert "Discharge letters" not in app_client.get("/dashboard/agenda").text
    refused = app_client.post(
        f"/dashboard/agenda/{item_id}/accept", data={"csrf": csrf, "meeting": str(meeting_id)}
    )
    assert refused.status_code == 404 and _status(db, item_id) == AgendaStatus.OPEN
