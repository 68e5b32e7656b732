"""Invites: unguessable codes that enrol a person with a role in a cohort."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.domain import audit
from bot.domain.clock import Clock
from bot.domain.cohorts import cohorts_for
from bot.domain.errors import Conflict, InvalidInput, InviteError, NotFound
from bot.models import Cohort, Invite, Membership, Person, PersonStatus, Role

# 24 random bytes = 192 bits, written in Telegram's deep-link alphabet [A-Za-z0-9_-] (32 chars;
# the start parameter may hold up to 64).
CODE_BYTES = 24
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
DEFAULT_EXPIRY = timedelta(days=14)
MAX_EXPIRY = timedelta(days=365)
MAX_USES = 1000

_DURATION = re.compile(r"(\d+)\s*(w|d|h|m)", re.IGNORECASE)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}


def parse_duration(text: str) -> timedelta:
    """A duration such as "14d", "48h", "2w" or "1d12h"."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned or _DURATION.sub("", cleaned):
        raise InvalidInput("duration.unclear", typed=text)
    total = timedelta()
    for amount, unit in _DURATION.findall(cleaned):
        total += timedelta(**{_UNITS[unit.lower()]: int(amount)})
    if total <= timedelta(0):
        raise InvalidInput("duration.unclear", typed=text)
    return total


def hash_code(code: str) -> str:
    """The stored form of an invite code."""
    return hashlib.sha256(code.encode()).hexdigest()


@dataclass(frozen=True)
class NewInvite:
    """A freshly made invite and its code (shown once; only its hash is stored)."""

    invite: Invite
    code: str
    cohort: Cohort | None


def create_invite(
    session: Session,
    *,
    role: Role,
    cohort: Cohort | None,
    clock: Clock,
    uses: int = 1,
    expires_in: timedelta = DEFAULT_EXPIRY,
    created_by: int | None = None,
    language: str | None = None,
) -> NewInvite:
    """A new invite code for `role` in `cohort` (coordinators may have no cohort), and the
    language the person joining will read in, when known."""
    if cohort is None and role != Role.COORDINATOR:
        raise InvalidInput("invite.needs_cohort")
    if not 1 <= uses <= MAX_USES:
        raise InvalidInput("invite.bad_uses", limit=MAX_USES)
    if not timedelta(minutes=1) <= expires_in <= MAX_EXPIRY:
        raise InvalidInput("invite.bad_expiry")
    code = secrets.token_urlsafe(CODE_BYTES)
    invite = Invite(
        code_hash=hash_code(code),
        role=role,
        cohort_id=cohort.id if cohort else None,
        max_uses=uses,
        expires_at=clock.now() + expires_in,
        created_at=clock.now(),
        created_by=created_by,
        language=language,
    )
    session.add(invite)
    session.flush()
    return NewInvite(invite=invite, code=code, cohort=cohort)


def deep_link(bot_username: str, code: str) -> str:
    """The t.me link that opens the bot and sends /start <code>."""
    return f"https://t.me/{bot_username}?start={code}"


def _usable_invite(session: Session, *, code: str, now: datetime) -> Invite:
    if not CODE_PATTERN.match(code):
        raise InviteError("invite.unknown")
    invite = session.exec(select(Invite).where(Invite.code_hash == hash_code(code))).first()
    if invite is None or invite.revoked_at is not None:
        raise InviteError("invite.unknown")
    if invite.expires_at <= now:
        raise InviteError("invite.expired")
    if invite.uses >= invite.max_uses:
        raise InviteError("invite.used_up")
    return invite


@dataclass(frozen=True)
class Enrolment:
    """What redeeming an invite did."""

    person: Person
    cohort: Cohort | None
    role: Role
    needs_onboarding: bool


def enrol(
    session: Session,
    *,
    code: str,
    telegram_user_id: int,
    chat_id: int,
    clock: Clock,
    language: str | None = None,
) -> Enrolment:
    """Redeem an invite: create or rejoin the person, add the membership, count the use.

    A person's language, unless they chose one before, is the invite's, else `language`
    (their Telegram app's, when Tandem speaks it and it is not English), else the cohort's.
    Nothing is stored when the code cannot be used.
    """
    now = clock.now()
    invite = _usable_invite(session, code=code, now=now)
    cohort = session.get(Cohort, invite.cohort_id) if invite.cohort_id else None
    person = session.exec(select(Person).where(Person.telegram_user_id == telegram_user_id)).first()
    if person is not None and cohort is not None and _is_member(session, person, cohort):
        raise Conflict("invite.already_member", cohort=cohort.name)
    _count_use(session, invite)
    returning = person is not None and person.status == PersonStatus.LEFT
    if person is None:
        person = Person(telegram_user_id=telegram_user_id, created_at=now, role=invite.role)
    if returning:
        person.status, person.left_at, person.onboarded_at = PersonStatus.ONBOARDING, None, None
    person.chat_id = chat_id
    person.language = (
        person.language or invite.language or language or (cohort.language if cohort else None)
    )
    if invite.role.rank > person.role.rank or returning:
        person.role = invite.role
    session.add(person)
    session.flush()
    if cohort is not None:
        _join(session, person=person, cohort=cohort, role=invite.role, now=now)
    return Enrolment(
        person=person,
        cohort=cohort,
        role=invite.role,
        needs_onboarding=person.status == PersonStatus.ONBOARDING,
    )


def join(
    session: Session,
    *,
    code: str,
    telegram_user_id: int,
    chat_id: int,
    clock: Clock,
    language: str | None = None,
) -> Enrolment:
    """`enrol`, audited; a refusal leaves the session as it was (a savepoint), so the caller
    can go on using it to show where the person is."""
    with session.begin_nested():
        enrolment = enrol(
            session,
            code=code,
            telegram_user_id=telegram_user_id,
            chat_id=chat_id,
            clock=clock,
            language=language,
        )
    person_id = enrolment.person.id
    audit.record(
        session,
        clock=clock,
        action="enrolled",
        actor_id=person_id,
        subject_id=person_id,
        detail=f"role={enrolment.role.value}",
    )
    return enrolment


def _is_member(session: Session, person: Person, cohort: Cohort) -> bool:
    membership = session.exec(
        select(Membership).where(
            Membership.person_id == person.id,
            Membership.cohort_id == cohort.id,
            col(Membership.left_at).is_(None),
        )
    ).first()
    return membership is not None and person.status != PersonStatus.LEFT


def _count_use(session: Session, invite: Invite) -> None:
    """Take one use atomically, so two people racing for the last use cannot both get it."""
    result = session.execute(
        update(Invite)
        .where(col(Invite.id) == invite.id, col(Invite.uses) < col(Invite.max_uses))
        .values(uses=Invite.uses + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise InviteError("invite.used_up")
    session.refresh(invite)


def _join(session: Session, *, person: Person, cohort: Cohort, role: Role, now: datetime) -> None:
    membership = session.exec(
        select(Membership).where(
            Membership.person_id == person.id, Membership.cohort_id == cohort.id
        )
    ).first()
    if membership is None:
        assert person.id is not None and cohort.id is not None
        membership = Membership(person_id=person.id, cohort_id=cohort.id, role=role, joined_at=now)
    membership.left_at = None
    membership.role = role
    session.add(membership)


def list_invites(session: Session, *, now: datetime) -> list[tuple[Invite, Cohort | None]]:
    """Invites that can still be used, newest first."""
    rows = session.exec(
        select(Invite, Cohort)
        .outerjoin(Cohort, col(Cohort.id) == col(Invite.cohort_id))
        .where(
            col(Invite.revoked_at).is_(None),
            Invite.expires_at > now,
            col(Invite.uses) < col(Invite.max_uses),
        )
        .order_by(col(Invite.created_at).desc())
    ).all()
    return [(invite, cohort) for invite, cohort in rows]


def revoke_invite(session: Session, *, code: str, clock: Clock) -> Invite:
    """Stop an invite code from working."""
    invite = session.exec(select(Invite).where(Invite.code_hash == hash_code(code))).first()
    if invite is None:
        raise NotFound("invite.not_found")
    invite.revoked_at = clock.now()
    session.add(invite)
    return invite


def roles_invitable(session: Session, *, viewer_id: int) -> tuple[Role, ...]:
    """The roles a member of staff may invite people as: partners, and (for coordinators)
    facilitators. Coordinators are made by operators (`tandem invite create`)."""
    person = session.get(Person, viewer_id)
    if person is not None and person.role == Role.COORDINATOR:
        return (Role.PARTNER, Role.FACILITATOR)
    return (Role.PARTNER,)


def invite_to(
    session: Session,
    *,
    viewer_id: int,
    cohort_id: int,
    role: Role | None,
    clock: Clock,
    language: str | None = None,
) -> tuple[NewInvite, Cohort]:
    """A single-use invite, valid for the default time, into a cohort the viewer runs (as a
    partner, unless the viewer may invite as `role`), for someone who reads `language`."""
    cohort = next((c for c in cohorts_for(session, person_id=viewer_id) if c.id == cohort_id), None)
    if cohort is None:
        raise NotFound("invite.gone")
    allowed = roles_invitable(session, viewer_id=viewer_id)
    made = create_invite(
        session,
        role=role if role in allowed else Role.PARTNER,
        cohort=cohort,
        clock=clock,
        uses=1,
        expires_in=DEFAULT_EXPIRY,
        created_by=viewer_id,
        language=language,
    )
    return made, cohort
