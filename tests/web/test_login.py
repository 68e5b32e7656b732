"""Signing in by a single-use link: confirm page, POST to redeem, sessions and expiry."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import AuditEvent, LoginLink, WebSession
from bot.web.context import SESSION_COOKIE, Dashboard
from tests.web.conftest import World, new_link, sign_in


def test_a_link_signs_in_once_and_only_a_hash_is_stored(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    token = new_link(db, clock, world.coordinator)
    confirm = app_client.get(f"/login/{token}")
    assert confirm.status_code == 200
    assert "Sign in as Tom" in confirm.text
    # Opening the link (as a mail scanner would) does not use it up: the POST does.
    assert app_client.get(f"/login/{token}").status_code == 200

    response = app_client.post(f"/login/{token}")
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # served over plain http here
    assert "Overview" in app_client.get("/dashboard").text

    again = TestClient(app_client.app, base_url="http://testserver", follow_redirects=False)
    refused = again.post(f"/login/{token}")
    assert refused.status_code == 400
    assert "already been used" in refused.text
    assert "already been used" in again.get(f"/login/{token}").text

    with db.reading() as session:
        stored = [link.token_hash for link in session.exec(select(LoginLink))]
        sessions = [s.token_hash for s in session.exec(select(WebSession))]
    assert token not in stored and len(stored[0]) == 64
    assert app_client.cookies[SESSION_COOKIE] not in sessions


def test_an_expired_or_unknown_link_is_refused(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    token = new_link(db, clock, world.facilitator)
    clock.advance(timedelta(minutes=15, seconds=1))
    response = app_client.post(f"/login/{token}")
    assert response.status_code == 400
    assert "expired" in response.text
    assert SESSION_COOKIE not in app_client.cookies
    assert app_client.post("/login/not-a-real-token").status_code == 400
    assert app_client.get("/dashboard").status_code == 401


def test_a_new_session_id_at_every_login(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    sign_in(app_client, db, clock, world.coordinator)
    first = app_client.cookies[SESSION_COOKIE]
    sign_in(app_client, db, clock, world.coordinator)
    assert app_client.cookies[SESSION_COOKIE] != first


def test_idle_sessions_end_and_logout_ends_the_session(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    sign_in(app_client, db, clock, world.facilitator)
    clock.advance(timedelta(minutes=29))
    assert app_client.get("/dashboard").status_code == 200
    clock.advance(timedelta(minutes=29))  # active a minute ago: still signed in
    assert app_client.get("/dashboard").status_code == 200
    clock.advance(timedelta(minutes=31))
    signed_out = app_client.get("/dashboard")
    assert signed_out.status_code == 401
    assert "send /dashboard to Tandem in Telegram" in signed_out.text

    csrf = sign_in(app_client, db, clock, world.facilitator)
    cookie = app_client.cookies[SESSION_COOKIE]
    assert app_client.post("/logout", data={"csrf": csrf}).status_code == 200
    app_client.cookies.set(SESSION_COOKIE, cookie)
    assert app_client.get("/dashboard").status_code == 401
    with db.reading() as session:
        actions = [e.action for e in session.exec(select(AuditEvent))]
    assert actions.count("dashboard.login") == 2 and "dashboard.logout" in actions


def test_a_link_for_someone_who_has_left_does_not_work(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    from bot.domain.people import leave

    token = new_link(db, clock, world.facilitator)
    csrf = sign_in(app_client, db, clock, world.facilitator)
    assert csrf
    with db.transaction() as session:
        leave(session, person_id=world.facilitator, clock=clock)
    assert app_client.get("/dashboard").status_code == 401
    assert app_client.post(f"/login/{token}").status_code == 400


def test_a_login_post_from_another_site_is_refused(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    token = new_link(db, clock, world.coordinator)
    response = app_client.post(f"/login/{token}", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert app_client.post(f"/login/{token}").status_code == 303  # still usable by its owner


def test_over_https_the_cookie_is_secure(
    db: Database, clock: FakeClock, world: World, dashboard: Dashboard
) -> None:
    from bot.web.app import create_web_app

    app = create_web_app(db=db, clock=clock, mode="polling", dashboard=dashboard)
    with TestClient(app, base_url="https://tandem.example.nhs.uk", follow_redirects=False) as web:
        token = new_link(db, clock, world.coordinator)
        response = web.post(f"/login/{token}")
    assert response.status_code == 303
    assert "Secure" in response.headers["set-cookie"]


def test_housekeeping_forgets_finished_sign_ins_but_keeps_live_ones(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    from bot.scheduling.jobs import housekeeping

    sign_in(app_client, db, clock, world.facilitator)
    new_link(db, clock, world.coordinator)  # never used
    housekeeping(db, clock)
    with db.reading() as session:
        assert len(session.exec(select(WebSession)).all()) == 1
    assert app_client.get("/dashboard").status_code == 200
    clock.advance(timedelta(days=2))
    housekeeping(db, clock)
    with db.reading() as session:
        assert session.exec(select(WebSession)).all() == []
        assert session.exec(select(LoginLink)).all() == []
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "dashboard.login")).all()
