"""Attendance on the dashboard (issue 18): a facilitator sees the meetings of their group
with who came, confirms a sheet with checkboxes (and corrects it), the participation page
shows the count, an endorsement written there waits for the partner's approval, another
group's facilitator sees none of it, and every view and action is audited."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain.attendance import meetings_attended
from bot.domain.clock import FakeClock
from bot.domain.meetings import set_rsvp
from bot.models import AuditEvent, Cohort, Endorsement, EndorsementStatus
from tests.factories import make_meeting
from tests.web.conftest import World, sign_in


def _held(db: Database, clock: FakeClock, world: World) -> int:
    with db.reading() as session:
        frailty = session.get(Cohort, world.frailty)
    assert frailty is not None
    meeting = make_meeting(
        db, clock, frailty, title="Spring board", starts_at=clock.now() + timedelta(hours=1)
    )
    with db.transaction() as session:
        set_rsvp(
            session, meeting_id=meeting.id or 0, person_id=world.partner, attending=True,
            clock=clock,
        )  # fmt: skip
    clock.advance(timedelta(hours=4))
    return meeting.id or 0


def test_a_facilitator_confirms_and_corrects_a_sheet_on_the_dashboard(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    meeting = _held(db, clock, world)
    bola = world.other_partner  # another group's partner: not on the sheet
    csrf = sign_in(app_client, db, clock, world.facilitator)

    listing = app_client.get("/dashboard/attendance")
    assert "Spring board" in listing.text and "Not confirmed yet" in listing.text
    sheet = app_client.get(f"/dashboard/attendance/{meeting}")
    assert "Amina (said yes)" in sheet.text and "checked" in sheet.text
    assert "Bola" not in sheet.text

    posted = app_client.post(
        f"/dashboard/attendance/{meeting}", data={"csrf": csrf, "there": str(world.partner)}
    )
    assert posted.status_code == 303
    saved = app_client.get(posted.headers["location"])
    assert "Saved. The partners" in saved.text
    assert "confirmed: 1 came" in saved.text
    with db.reading() as session:
        assert [m.title for m in meetings_attended(session, person_id=world.partner)] == [
            "Spring board"
        ]
    participation = app_client.get("/dashboard/participation")
    assert f'<a href="/dashboard/attendance/{meeting}">1</a>' in participation.text

    # A correction: nobody came after all. A forged id of someone else is refused.
    refused = app_client.post(
        f"/dashboard/attendance/{meeting}", data={"csrf": csrf, "there": str(bola)}
    )
    assert refused.status_code == 404
    app_client.post(f"/dashboard/attendance/{meeting}", data={"csrf": csrf})
    with db.reading() as session:
        assert meetings_attended(session, person_id=world.partner) == []

    posted = app_client.post(
        "/dashboard/attendance/endorse",
        data={"csrf": csrf, "partner": str(world.partner), "text": "Amina led the session well."},
    )
    endorsed = app_client.get(posted.headers["location"])
    assert "Sent. The partner will be asked" in endorsed.text
    with db.reading() as session:
        endorsement = session.exec(select(Endorsement)).one()
        assert endorsement.status == EndorsementStatus.PENDING
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    for action in (
        "dashboard.view_attendance",
        "dashboard.view_attendance_sheet",
        "dashboard.confirm_attendance",
        "dashboard.endorse_partner",
    ):
        assert action in actions, action


def test_another_groups_facilitator_sees_no_sheet(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    meeting = _held(db, clock, world)
    sign_in(app_client, db, clock, world.other_facilitator)
    assert "Spring board" not in app_client.get("/dashboard/attendance").text
    assert app_client.get(f"/dashboard/attendance/{meeting}").status_code == 404
    chosen = app_client.get(f"/dashboard/attendance?cohort={world.frailty}")
    assert chosen.status_code == 404 and "Amina" not in chosen.text
