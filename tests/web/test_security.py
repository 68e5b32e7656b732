"""Every dashboard route against every role, ids stepped across cohorts, CSRF, escaping and
the headers every page carries."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain.briefings import ask
from bot.domain.clock import FakeClock
from bot.models import AuditEvent, Person, Role
from bot.web.context import SESSION_COOKIE
from bot.web.routes import dashboard_routes
from tests.web.conftest import World, make_reflection, sign_in
from tests.web.security_routes import Ids, frailty_things, get_paths, post_paths

# What each role gets: the status for list pages, for Frailty pathway objects, and for the
# audit log. Another cohort's facilitator sees their own (empty) lists, and a 404 for
# Margaret's things, exactly as if they did not exist.
EXPECTED = {
    "anonymous": {"list": 401, "object": 401, "audit": 401, "post": 401, "create": 401},
    "partner": {"list": 403, "object": 403, "audit": 403, "post": 403, "create": 403},
    "board": {"list": 403, "object": 403, "audit": 403, "post": 403, "create": 403},
    "other_facilitator": {"list": 200, "object": 404, "audit": 403, "post": 404, "create": 404},
    "facilitator": {"list": 200, "object": 200, "audit": 403, "post": 303, "create": 303},
    "coordinator": {"list": 200, "object": 200, "audit": 200, "post": 303, "create": 303},
}
# Issue 18: only coordinators set payment rules (everyone else as for the audit log).
COORDINATOR_POSTS = {"/dashboard/claims/rules/{cohort_id:int}"}
RULES = {"anonymous": 401, "coordinator": 303}
OBJECT_ROUTES = {
    "/dashboard/reflections/{reflection_id:int}",
    "/dashboard/partners/{person_id:int}",
    "/dashboard/broadcasts/{broadcast_id:int}",
    "/dashboard/meetings/{meeting_id:int}/summary",  # issue 17 part 4
    "/dashboard/attendance/{meeting_id:int}",  # issue 18
    "/dashboard/claims/{claim_id:int}",
    "/dashboard/claims/{claim_id:int}/receipts/{expense_id:int}",
}
CREATE_ROUTES = {
    "/dashboard/broadcasts/preview",
    "/dashboard/broadcasts/send",
    "/dashboard/bookings/slots",  # issue 18: another group's time is not found
}


def _signed_in_as(
    role: str, client: TestClient, db: Database, clock: FakeClock, world: World
) -> str:
    """Sign the client in as `role`; returns a CSRF token (empty for anonymous)."""
    if role == "anonymous":
        return ""
    if role in ("partner", "board"):
        # Partners and board members cannot get a link; a facilitator who became one keeps
        # a session cookie, which must stop working for anything at once.
        from tests.factories import make_person

        sam = make_person(db, clock, None, Role.COORDINATOR, name="Sam")
        csrf = sign_in(client, db, clock, sam)
        with db.transaction() as session:
            person = session.get(Person, sam)
            assert person is not None
            person.role = Role(role)
            session.add(person)
        return csrf
    return sign_in(client, db, clock, getattr(world, role))


def test_the_table_covers_every_dashboard_route(world: World) -> None:
    ids = Ids(1, 1, 1, 1)
    covered = set(get_paths(ids)) | set(post_paths(ids, world))
    routes = {
        r.path
        for r in dashboard_routes()
        if isinstance(r, Route) and r.path.startswith("/dashboard")
    }
    assert routes == covered


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_route_against_every_role(
    role: str, app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    ids = frailty_things(db, clock, world)
    csrf = _signed_in_as(role, app_client, db, clock, world)
    expected = EXPECTED[role]
    for route, path in get_paths(ids).items():
        kind = (
            "audit"
            if route.startswith("/dashboard/audit")
            else "object"
            if route in OBJECT_ROUTES
            else "list"
        )
        response = app_client.get(path)
        assert response.status_code == expected[kind], (role, path, response.status_code)
        if response.status_code == 200 and not route.endswith(
            (".csv", ".xlsx", "{expense_id:int}")
        ):
            assert 'name="csrf"' in response.text  # signed-in pages carry the token
    for route, (path, form) in post_paths(ids, world).items():
        kind = "create" if route in CREATE_ROUTES else "post"
        status = expected[kind] if route not in COORDINATOR_POSTS else RULES.get(role, 403)
        if route.endswith("preview") and status == 303:
            status = 200  # a preview is a page, not a redirect
        response = app_client.post(path, data={"csrf": csrf, **form})
        assert response.status_code == status, (role, path, response.status_code, response.text)


def test_stepping_ids_never_shows_another_cohorts_data(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    theirs = make_reflection(
        db, clock, world.other_partner, {"learned": "BOLA-ONLY words about the maternity unit"}
    )
    mine = make_reflection(db, clock, world.partner, {"learned": "AMINA words"})
    sign_in(app_client, db, clock, world.facilitator)
    for reflection_id in range(1, max(theirs, mine) + 3):
        response = app_client.get(f"/dashboard/reflections/{reflection_id}")
        assert "BOLA-ONLY" not in response.text
        assert response.status_code == (200 if reflection_id == mine else 404)
    for person_id in range(1, 12):
        response = app_client.get(f"/dashboard/partners/{person_id}")
        assert "Bola" not in response.text
        assert response.status_code == (200 if person_id == world.partner else 404)
    for query in (f"cohort={world.maternity}", f"partner={world.other_partner}"):
        page = app_client.get(f"/dashboard/reflections?{query}")
        assert page.status_code == 404 and "BOLA-ONLY" not in page.text
        export = app_client.get(f"/dashboard/reflections/export.csv?{query}")
        assert export.status_code == 404
    everything = app_client.get("/dashboard/reflections/export.csv").text
    assert "AMINA words" in everything and "BOLA-ONLY" not in everything


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    reflection = make_reflection(db, clock, world.partner, {"learned": "words"})
    csrf = sign_in(app_client, db, clock, world.facilitator)
    path = f"/dashboard/reflections/{reflection}/flag"
    for form in ({}, {"csrf": "0" * 64}, {"csrf": csrf[:-1]}):
        response = app_client.post(path, data=form)
        assert response.status_code == 403
        assert "This form has expired" in response.text
    assert "Flagged</span>" not in app_client.get(f"/dashboard/reflections/{reflection}").text
    assert app_client.post(path, data={"csrf": csrf}).status_code == 303
    assert "Flagged</span>" in app_client.get(f"/dashboard/reflections/{reflection}").text


def test_another_sessions_csrf_token_does_not_work(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    reflection = make_reflection(db, clock, world.partner, {"learned": "words"})
    old = sign_in(app_client, db, clock, world.facilitator)
    sign_in(app_client, db, clock, world.facilitator)  # a new session: a new token
    response = app_client.post(f"/dashboard/reflections/{reflection}/flag", data={"csrf": old})
    assert response.status_code == 403


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_everything_partners_wrote_is_escaped(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    with db.transaction() as session:
        person = session.get(Person, world.partner)
        assert person is not None
        person.preferred_name = "Am<b>ina"
        session.add(person)
        ask(session, person_id=world.partner, clock=clock, text=HOSTILE)
    reflection = make_reflection(db, clock, world.partner, {"learned": HOSTILE})
    sign_in(app_client, db, clock, world.coordinator)
    for path in (
        "/dashboard",
        "/dashboard/reflections",
        f"/dashboard/reflections/{reflection}",
        f"/dashboard/reflections?q={HOSTILE}",
        f"/dashboard/partners/{world.partner}",
        "/dashboard/questions",
        "/dashboard/participation",
    ):
        html = app_client.get(path).text
        assert "<script>" not in html and "<img src=x" not in html and "<b>ina" not in html, path
    assert "&lt;script&gt;" in app_client.get(f"/dashboard/reflections/{reflection}").text


def test_pages_carry_security_headers_and_are_not_cached(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    sign_in(app_client, db, clock, world.coordinator)
    response = app_client.get("/dashboard")
    csp = response.headers["content-security-policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert re.search(r"<label for=\"f-cohort\">", app_client.get("/dashboard/reflections").text)


def test_views_and_exports_are_audited_without_partners_words(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    reflection = make_reflection(db, clock, world.partner, {"learned": "SECRET-ish words"})
    sign_in(app_client, db, clock, world.coordinator)
    app_client.get(f"/dashboard/reflections/{reflection}")
    app_client.get("/dashboard/reflections?q=SECRET")
    app_client.get("/dashboard/reflections/export.csv?names=0")
    app_client.get(f"/dashboard/partners/{world.partner}")
    with db.reading() as session:
        events = list(session.exec(select(AuditEvent)))
    actions = {e.action for e in events}
    assert {
        "dashboard.view_reflection",
        "dashboard.view_reflections",
        "dashboard.export",
        "dashboard.view_partner",
    } <= actions
    assert all("SECRET" not in (e.detail or "") for e in events)
    export = next(e for e in events if e.action == "dashboard.export")
    assert export.actor_id == world.coordinator
    assert "reflections.csv" in (export.detail or "") and "without names" in (export.detail or "")
    log = app_client.get("/dashboard/audit").text
    assert "dashboard.export" in log and "Tom" in log
    assert SESSION_COOKIE in app_client.cookies


def test_the_audit_log_never_names_the_author_of_an_anonymised_reflection(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    anonymised = make_reflection(db, clock, world.partner, {"learned": "x"}, sharing="anonymised")
    csrf = sign_in(app_client, db, clock, world.coordinator)
    app_client.get(f"/dashboard/reflections/{anonymised}")
    app_client.post(f"/dashboard/reflections/{anonymised}/flag", data={"csrf": csrf})
    app_client.post(
        f"/dashboard/reflections/{anonymised}/reply", data={"csrf": csrf, "text": "Thank you"}
    )
    with db.reading() as session:
        events = list(
            session.exec(select(AuditEvent).where(AuditEvent.actor_id == world.coordinator))
        )
    assert {e.action for e in events} >= {"dashboard.view_reflection", "flag_reflection"}
    assert all(e.subject_id is None for e in events)
    assert "Amina" not in app_client.get("/dashboard/audit?action=flag_reflection").text
