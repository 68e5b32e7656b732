"""Signing in to the dashboard without passwords: a link used once within 15 minutes, a
session that ends on logout, idling, its age, or the person no longer being active staff;
and only hashes of either secret are stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import people, weblogin
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotAllowed
from bot.models import AuditEvent, LoginLink, Role, WebSession
from tests.factories import make_cohort, make_person


@pytest.fixture
def margaret(db: Database, clock: FakeClock) -> int:
    return make_person(db, clock, make_cohort(db, clock), Role.FACILITATOR, "Margaret")


def _link(db: Database, clock: FakeClock, person_id: int) -> str:
    with db.transaction() as session:
        return weblogin.issue_link(session, person_id=person_id, clock=clock)


def _redeem(db: Database, clock: FakeClock, token: str) -> weblogin.NewSession:
    with db.transaction() as session:
        return weblogin.redeem_link(session, token=token, clock=clock)


def _viewer(db: Database, clock: FakeClock, token: str) -> weblogin.Viewer | None:
    with db.transaction() as session:
        return weblogin.viewer_for(session, token=token, clock=clock)


def test_a_link_signs_in_once_and_only_hashes_are_kept(
    db: Database, clock: FakeClock, margaret: int
) -> None:
    token = _link(db, clock, margaret)
    with db.reading() as session:
        assert weblogin.check_link(session, token=token, clock=clock).id == margaret
    started = _redeem(db, clock, token)
    with pytest.raises(InvalidInput) as caught:
        _redeem(db, clock, token)
    assert caught.value.key == "dashboard.link_used"
    viewer = _viewer(db, clock, started.token)
    assert viewer is not None and (viewer.name, viewer.role) == ("Margaret", Role.FACILITATOR)
    with db.reading() as session:
        stored = [
            *session.exec(select(LoginLink.token_hash)),
            *session.exec(select(WebSession.token_hash)),
        ]
        actions = list(session.exec(select(AuditEvent.action)))
    assert token not in stored and started.token not in stored
    assert actions == ["dashboard.link", "dashboard.login"]


def test_a_link_expires_after_fifteen_minutes(
    db: Database, clock: FakeClock, margaret: int
) -> None:
    token = _link(db, clock, margaret)
    clock.advance(weblogin.LINK_LIFETIME)
    with pytest.raises(InvalidInput) as caught:
        _redeem(db, clock, token)
    assert caught.value.key == "dashboard.link_expired"
    with pytest.raises(InvalidInput) as unknown:
        _redeem(db, clock, "made-up-token")
    assert unknown.value.key == "dashboard.link_unknown"


def test_partners_get_no_link(db: Database, clock: FakeClock) -> None:
    amina = make_person(db, clock, make_cohort(db, clock), name="Amina")
    with pytest.raises(NotAllowed):
        _link(db, clock, amina)


def test_a_session_ends_after_thirty_idle_minutes_or_twelve_hours(
    db: Database, clock: FakeClock, margaret: int
) -> None:
    idle = _redeem(db, clock, _link(db, clock, margaret)).token
    busy = _redeem(db, clock, _link(db, clock, margaret)).token
    started = clock.now()
    for _ in range(2):
        clock.advance(timedelta(minutes=20))
        assert _viewer(db, clock, busy) is not None
    assert _viewer(db, clock, idle) is None  # 40 minutes without a page
    for _ in range(100):  # a page every 20 minutes, all day
        if _viewer(db, clock, busy) is None:
            break
        clock.advance(timedelta(minutes=20))
    assert clock.now() - started == weblogin.SESSION_LIMIT


def test_logging_out_or_leaving_ends_the_session(
    db: Database, clock: FakeClock, margaret: int
) -> None:
    first = _redeem(db, clock, _link(db, clock, margaret)).token
    second = _redeem(db, clock, _link(db, clock, margaret)).token
    with db.transaction() as session:
        weblogin.end_session(session, token=first, clock=clock)
    assert _viewer(db, clock, first) is None
    assert _viewer(db, clock, second) is not None
    with db.transaction() as session:
        people.leave(session, person_id=margaret, clock=clock)
    assert _viewer(db, clock, second) is None
    assert _viewer(db, clock, "") is None


def test_form_tokens_belong_to_one_session() -> None:
    token = weblogin.csrf_token("session-a")
    assert weblogin.csrf_ok("session-a", token)
    assert not weblogin.csrf_ok("session-b", token)
    assert not weblogin.csrf_ok("session-a", "")
    assert "session-a" not in token


def test_old_links_and_sessions_are_pruned_a_day_after_they_stop_working(
    db: Database, clock: FakeClock, margaret: int
) -> None:
    _link(db, clock, margaret)
    live = _redeem(db, clock, _link(db, clock, margaret)).token
    clock.advance(timedelta(hours=12))
    with db.transaction() as session:
        assert weblogin.prune(session, now=clock.now()) == 0
    clock.advance(timedelta(days=1, minutes=1))
    with db.transaction() as session:
        assert weblogin.prune(session, now=clock.now()) == 3  # two links, one session
    assert _viewer(db, clock, live) is None
