"""A meeting's summary on the dashboard (issue 17 part 4): items, measures and learnings for
one meeting, for its cohort's staff only; every view audited; no partner's name."""

from __future__ import annotations

from sqlmodel import col, select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import AuditEvent, Cohort
from tests.meeting_loop import (
    ASKED,
    DECLINED,
    DIFFERENTLY,
    ITEM_OUTCOME,
    LEARNED,
    MEASURE,
    MEASURE_OUTCOME,
    PARTNER_NAMES,
    WAITING,
    Loop,
    build_loop,
)
from tests.web.conftest import World, sign_in


def _loop(db: Database, clock: FakeClock, world: World) -> Loop:
    with db.reading() as session:
        cohort = session.get(Cohort, world.frailty)
    assert cohort is not None
    return build_loop(db, clock, cohort, world.facilitator)


def _audited(db: Database, actor: int) -> list[tuple[str, str | None]]:
    with db.reading() as session:
        rows = session.exec(
            select(AuditEvent.action, AuditEvent.detail)
            .where(AuditEvent.actor_id == actor)
            .order_by(col(AuditEvent.id))
        ).all()
    return [(action, detail) for action, detail in rows]


def test_staff_see_a_meetings_summary_side_by_side_and_the_view_is_audited(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    loop = _loop(db, clock, world)
    sign_in(app_client, db, clock, world.facilitator)
    meetings = app_client.get(f"/dashboard/meetings?month={clock.now():%Y-%m}")
    assert f"/dashboard/meetings/{loop.meeting}/summary" in meetings.text
    page = app_client.get(f"/dashboard/meetings/{loop.meeting}/summary")
    assert page.status_code == 200
    for shown in (ASKED, DECLINED, WAITING, ITEM_OUTCOME, "Decided", "Not this time"):
        assert shown in page.text
    for shown in (MEASURE, "<td>3.0</td>", MEASURE_OUTCOME, LEARNED, DIFFERENTLY, "Clinician"):
        assert shown in page.text
    for name in (*PARTNER_NAMES, "Helen"):
        assert name not in page.text
    assert ("dashboard.view_meeting_summary", f"meeting {loop.meeting}") in _audited(
        db, world.facilitator
    )
    outcomes = app_client.get("/dashboard/outcomes")  # told to the whole group
    assert MEASURE_OUTCOME in outcomes.text and "The whole group (a measure)" in outcomes.text


def test_another_cohorts_facilitator_finds_no_such_meeting(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    loop = _loop(db, clock, world)
    sign_in(app_client, db, clock, world.other_facilitator)
    page = app_client.get(f"/dashboard/meetings/{loop.meeting}/summary")
    assert page.status_code == 404 and LEARNED not in page.text and ASKED not in page.text
    assert (
        "dashboard.view_meeting_summary",
        f"refused (404); meeting {loop.meeting}",
    ) in _audited(db, world.other_facilitator)
