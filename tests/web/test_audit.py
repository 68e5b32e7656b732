"""The audit trail is complete on the dashboard: every route a member of staff opens or
posts to leaves an audit event in their name, with the ids it named, and refused ones say
so; none holds anyone's words."""

from __future__ import annotations

from sqlmodel import select
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import AuditEvent
from bot.web.routes import dashboard_routes
from tests.web.conftest import World, sign_in
from tests.web.security_routes import frailty_things, get_paths, post_paths

NOT_STAFF_PAGES = {"/", "/login/{token:str}", "/logout"}  # signing in and out: weblogin's own


def _events(db: Database, actor: int) -> list[AuditEvent]:
    with db.reading() as session:
        query = select(AuditEvent).where(AuditEvent.actor_id == actor).order_by(AuditEvent.id)
        return list(session.exec(query).all())


def test_every_dashboard_route_leaves_an_audit_event(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    ids = frailty_things(db, clock, world)
    csrf = sign_in(app_client, db, clock, world.coordinator)
    visits = [(route, "GET", path, {}) for route, path in get_paths(ids).items()]
    visits += [
        (route, "POST", path, form) for route, (path, form) in post_paths(ids, world).items()
    ]
    walked = {route for route, *_ in visits}
    every = {r.path for r in dashboard_routes() if isinstance(r, Route)} - NOT_STAFF_PAGES
    assert every <= walked, f"routes the walk does not reach: {every - walked}"
    silent = []
    for route, method, path, form in visits:
        before = len(_events(db, world.coordinator))
        if method == "GET":
            app_client.get(path)
        else:
            app_client.post(path, data={"csrf": csrf, **form})
        new = _events(db, world.coordinator)[before:]
        if not new:
            silent.append(f"{method} {route}")
    assert silent == [], f"staff views and actions that left no audit event: {silent}"
    words = ("Thanks", "The board does.", "Room 3B on Thursday.", "Room 4")
    details = " ".join(e.detail or "" for e in _events(db, world.coordinator))
    assert not [w for w in words if w in details], "the audit never holds words"


def test_a_refused_view_is_recorded_as_refused(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    ids = frailty_things(db, clock, world)
    sign_in(app_client, db, clock, world.other_facilitator)
    assert app_client.get(f"/dashboard/reflections/{ids.reflection}").status_code == 404
    [*_, last] = _events(db, world.other_facilitator)
    assert last.action == "dashboard.view_reflection"
    assert last.detail == f"refused (404); reflection {ids.reflection}"


def test_the_audit_log_filters_by_person_and_downloads_as_csv(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    sign_in(app_client, db, clock, world.facilitator)
    app_client.get("/dashboard/participation")
    app_client.cookies.clear()
    sign_in(app_client, db, clock, world.coordinator)
    page = app_client.get(f"/dashboard/audit?person={world.facilitator}").text
    assert "dashboard.view_participation" in page and "Margaret" in page
    assert "dashboard.view_audit" not in page, "only the chosen person's events"
    download = app_client.get(f"/dashboard/audit/export.csv?person={world.facilitator}")
    assert download.status_code == 200 and download.text.startswith("\ufeffwhen,who,what")
    assert "Margaret,dashboard.view_participation" in download.text
    [*_, exported] = _events(db, world.coordinator)
    assert exported.action == "dashboard.export_audit"
    assert exported.detail == f"audit log csv; person={world.facilitator}"
