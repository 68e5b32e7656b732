"""The dashboard in-process (Starlette's TestClient), over the test database, with the
people every security test needs: a coordinator, two facilitators of different cohorts and
partners in each."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain import weblogin
from bot.domain.clock import FakeClock
from bot.library.catalogue import Library
from bot.library.messages import Texts
from bot.models import Role
from bot.web.app import create_web_app
from bot.web.context import Dashboard, make_templates
from tests.factories import make_cohort, make_person, make_reflection

BASE = "http://testserver"


@dataclass
class World:
    """Two cohorts and the people in them, by role."""

    coordinator: int
    facilitator: int  # runs Frailty pathway
    other_facilitator: int  # runs Maternity voices
    partner: int  # Amina, in Frailty pathway
    other_partner: int  # Bola, in Maternity voices
    frailty: int
    maternity: int


@pytest.fixture
def world(db: Database, clock: FakeClock) -> World:
    frailty = make_cohort(db, clock, "Frailty pathway")
    maternity = make_cohort(db, clock, "Maternity voices")
    return World(
        coordinator=make_person(db, clock, None, Role.COORDINATOR, name="Tom"),
        facilitator=make_person(db, clock, frailty, Role.FACILITATOR, name="Margaret"),
        other_facilitator=make_person(db, clock, maternity, Role.FACILITATOR, name="Nia"),
        partner=make_person(db, clock, frailty, name="Amina"),
        other_partner=make_person(db, clock, maternity, name="Bola"),
        frailty=frailty.id or 0,
        maternity=maternity.id or 0,
    )


@pytest.fixture
def library() -> Library:
    return Library.load_or_fail()


@pytest.fixture
def dashboard(db: Database, clock: FakeClock, library: Library) -> Dashboard:
    return Dashboard(
        db=db,
        clock=clock,
        texts=Texts.load(),
        library=library,
        public_url=lambda: BASE,
        templates=make_templates(),
    )


@pytest.fixture
def app_client(db: Database, clock: FakeClock, dashboard: Dashboard) -> Iterator[TestClient]:
    app = create_web_app(db=db, clock=clock, mode="polling", dashboard=dashboard)
    with TestClient(app, base_url=BASE, follow_redirects=False) as client:
        yield client


def new_link(db: Database, clock: FakeClock, person_id: int) -> str:
    """A fresh sign-in token, as /dashboard makes one."""
    with db.transaction() as session:
        return weblogin.issue_link(session, person_id=person_id, clock=clock)


def sign_in(client: TestClient, db: Database, clock: FakeClock, person_id: int) -> str:
    """Sign in through the link's confirm page; returns the page's CSRF token."""
    token = new_link(db, clock, person_id)
    assert client.get(f"/login/{token}").status_code == 200
    response = client.post(f"/login/{token}")
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/dashboard").text)


def csrf_of(html: str) -> str:
    """The CSRF token in a page's forms."""
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


__all__ = ["World", "make_reflection", "new_link", "sign_in"]
