"""Enrolment through invites, at the domain level (the Telegram flow has e2e tests)."""

from datetime import timedelta

import pytest
from sqlmodel import func, select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.errors import Conflict, InviteError
from bot.domain.invites import enrol, hash_code
from bot.models import Invite, Membership, Person, PersonStatus, Role
from tests.factories import make_cohort, make_invite


def _count(db: Database, model: type) -> int:
    with db.transaction() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_only_a_hash_of_the_code_is_stored(db: Database, clock: FakeClock) -> None:
    code = make_invite(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        stored = session.exec(select(Invite)).one()
    assert stored.code_hash == hash_code(code)
    assert code not in stored.code_hash


def test_enrol_creates_person_and_membership(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    code = make_invite(db, clock, cohort)
    with db.transaction() as session:
        enrolment = enrol(session, code=code, telegram_user_id=42, chat_id=42, clock=clock)
    assert enrolment.needs_onboarding
    assert enrolment.person.status == PersonStatus.ONBOARDING
    assert enrolment.role == Role.PARTNER
    assert _count(db, Membership) == 1


@pytest.mark.parametrize("problem", ["unknown", "expired", "used_up", "malformed"])
def test_refused_codes_store_nothing(db: Database, clock: FakeClock, problem: str) -> None:
    cohort = make_cohort(db, clock)
    code = make_invite(db, clock, cohort, expires_in=timedelta(days=1))
    if problem == "used_up":
        with db.transaction() as session:
            enrol(session, code=code, telegram_user_id=1, chat_id=1, clock=clock)
    if problem == "expired":
        clock.advance(timedelta(days=1, seconds=1))
    attempt = {"unknown": "x" * 32, "malformed": "../../etc/passwd"}.get(problem, code)
    people_before = _count(db, Person)
    with pytest.raises(InviteError) as caught, db.transaction() as session:
        enrol(session, code=attempt, telegram_user_id=2, chat_id=2, clock=clock)
    expected = {"malformed": "unknown"}.get(problem, problem)
    assert caught.value.key == f"invite.{expected}"
    assert _count(db, Person) == people_before


def test_a_member_reusing_an_invite_does_not_use_it_up(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    code = make_invite(db, clock, cohort, uses=2)
    with db.transaction() as session:
        enrol(session, code=code, telegram_user_id=7, chat_id=7, clock=clock)
    with pytest.raises(Conflict), db.transaction() as session:
        enrol(session, code=code, telegram_user_id=7, chat_id=7, clock=clock)
    with db.transaction() as session:
        assert session.exec(select(Invite)).one().uses == 1


def test_facilitator_invite_raises_a_partners_role(db: Database, clock: FakeClock) -> None:
    first, second = make_cohort(db, clock, "One"), make_cohort(db, clock, "Two")
    partner_code = make_invite(db, clock, first)
    facilitator_code = make_invite(db, clock, second, Role.FACILITATOR)
    with db.transaction() as session:
        enrol(session, code=partner_code, telegram_user_id=9, chat_id=9, clock=clock)
    with db.transaction() as session:
        enrolment = enrol(
            session, code=facilitator_code, telegram_user_id=9, chat_id=9, clock=clock
        )
    assert enrolment.person.role == Role.FACILITATOR
    assert _count(db, Membership) == 2
