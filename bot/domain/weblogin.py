"""Signing in to the dashboard without passwords.

/dashboard in Telegram makes a single-use link, valid for at most 15 minutes. Opening it
shows a confirm page; only the POST from that page redeems it (so a link scanner that
fetches the URL cannot use it up). Redeeming starts a server-side session with a fresh,
random id. Only SHA-256 hashes of link and session tokens are stored.

Sessions end on logout, after 30 minutes idle, after 12 hours in any case, and whenever the
person stops being an active facilitator or coordinator (checked on every request).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from bot.domain import audit
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput, NotAllowed
from bot.models import LoginLink, Person, PersonStatus, Role, WebSession

LINK_LIFETIME = timedelta(minutes=15)
IDLE_LIMIT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=12)
# last_seen_at is written at most this often, not on every page view.
TOUCH_EVERY = timedelta(minutes=1)
TOKEN_BYTES = 32
STAFF = (Role.FACILITATOR, Role.COORDINATOR)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    """The form token for a session: derived from its secret, so it needs no storage and
    cannot be turned back into the session id."""
    return hashlib.sha256(b"tandem-csrf:" + session_token.encode()).hexdigest()


def csrf_ok(session_token: str, submitted: str) -> bool:
    """Whether a submitted form token belongs to this session (compared in constant time)."""
    return hmac.compare_digest(csrf_token(session_token), submitted or "")


def _staff(person: Person | None) -> bool:
    return person is not None and person.status == PersonStatus.ACTIVE and person.role in STAFF


def issue_link(session: Session, *, person_id: int, clock: Clock) -> str:
    """A new single-use login token for a facilitator or coordinator (shown once)."""
    person = session.get(Person, person_id)
    if not _staff(person):
        raise NotAllowed("dashboard.staff_only")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = clock.now()
    session.add(
        LoginLink(
            token_hash=_hash(token),
            person_id=person_id,
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
    )
    audit.record(session, clock=clock, action="dashboard.link", actor_id=person_id)
    return token


def _usable_link(session: Session, token: str, now: datetime) -> LoginLink:
    link = session.exec(select(LoginLink).where(LoginLink.token_hash == _hash(token))).first()
    if link is None:
        raise InvalidInput("dashboard.link_unknown")
    if link.used_at is not None:
        raise InvalidInput("dashboard.link_used")
    if link.expires_at <= now:
        raise InvalidInput("dashboard.link_expired")
    if not _staff(session.get(Person, link.person_id)):
        raise InvalidInput("dashboard.link_unknown")
    return link


def check_link(session: Session, *, token: str, clock: Clock) -> Person:
    """Who a link would sign in, without using it up; InvalidInput says why it cannot."""
    link = _usable_link(session, token, clock.now())
    person = session.get(Person, link.person_id)
    assert person is not None
    return person


@dataclass(frozen=True)
class NewSession:
    """A session just started; its token goes in the cookie and is never stored."""

    token: str
    person_id: int


def redeem_link(session: Session, *, token: str, clock: Clock) -> NewSession:
    """Use a link up (once, even when two requests race) and start a session."""
    now = clock.now()
    link = _usable_link(session, token, now)
    claimed = session.exec(
        update(LoginLink)
        .where(col(LoginLink.id) == link.id, col(LoginLink.used_at).is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        raise InvalidInput("dashboard.link_used")
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        WebSession(
            token_hash=_hash(secret),
            person_id=link.person_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIMIT,
        )
    )
    audit.record(session, clock=clock, action="dashboard.login", actor_id=link.person_id)
    return NewSession(token=secret, person_id=link.person_id)


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the dashboard, as every route needs to know."""

    person_id: int
    name: str
    role: Role
    time_zone: str

    @property
    def is_coordinator(self) -> bool:
        """Coordinators see every cohort and the audit log."""
        return self.role == Role.COORDINATOR


def viewer_for(session: Session, *, token: str, clock: Clock) -> Viewer | None:
    """The signed-in person behind a session cookie, or None (unknown, ended, idle too long,
    too old, or no longer staff). Partners get a Viewer too, so routes can refuse them
    plainly instead of asking them to sign in again."""
    if not token:
        return None
    row = session.exec(select(WebSession).where(WebSession.token_hash == _hash(token))).first()
    now = clock.now()
    if row is None or row.ended_at is not None:
        return None
    if row.expires_at <= now or now - row.last_seen_at > IDLE_LIMIT:
        row.ended_at = now
        session.add(row)
        return None
    person = session.get(Person, row.person_id)
    if person is None or person.status != PersonStatus.ACTIVE:
        row.ended_at = now
        session.add(row)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
    return Viewer(
        person_id=row.person_id,
        name=person.preferred_name or "",
        role=person.role,
        time_zone=person.time_zone,
    )


def end_session(session: Session, *, token: str, clock: Clock) -> None:
    """Log out: the session cannot be used again."""
    row = session.exec(select(WebSession).where(WebSession.token_hash == _hash(token))).first()
    if row is not None and row.ended_at is None:
        row.ended_at = clock.now()
        session.add(row)
        audit.record(session, clock=clock, action="dashboard.logout", actor_id=row.person_id)


def prune(session: Session, *, now: datetime) -> int:
    """Delete links and sessions that can no longer be used (a day after they stopped
    working); returns how many. Who signed in when stays in the audit log."""
    cutoff = now - timedelta(days=1)
    links = session.exec(
        delete(LoginLink).where(
            (col(LoginLink.expires_at) < cutoff) | (col(LoginLink.used_at) < cutoff)
        )
    )
    sessions = session.exec(
        delete(WebSession).where(
            (col(WebSession.expires_at) < cutoff)
            | (col(WebSession.ended_at) < cutoff)
            | (col(WebSession.last_seen_at) < cutoff - IDLE_LIMIT)
        )
    )
    return int(links.rowcount or 0) + int(sessions.rowcount or 0)


def erase_for(session: Session, *, person_id: int) -> None:
    """Remove a person's links and sessions (on /forget)."""
    session.exec(delete(LoginLink).where(col(LoginLink.person_id) == person_id))
    session.exec(delete(WebSession).where(col(WebSession.person_id) == person_id))
