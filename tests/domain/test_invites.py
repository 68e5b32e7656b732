"""Invites: codes, durations and enrolment at the domain level (the Telegram flow has e2e
tests)."""

import re
from datetime import timedelta

import pytest
from sqlmodel import func, select

from bot.db import Database
from bot.domain import people
from bot.domain.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, InviteError, NotFound
from bot.domain.invites import (
    NewInvite,
    create_invite,
    deep_link,
    enrol,
    hash_code,
    invite_to,
    join,
    list_invites,
    parse_duration,
    revoke_invite,
    roles_invitable,
)
from bot.models import AuditEvent, Cohort, Invite, Membership, Person, PersonStatus, Role
from tests.factories import make_cohort, make_invite, make_person


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14d", timedelta(days=14)),
        ("48h", timedelta(hours=48)),
        ("30m", timedelta(minutes=30)),
        ("2w", timedelta(weeks=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1D 6H", timedelta(days=1, hours=6)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "14", "0d", "-3d", "3 days"])
def test_unclear_durations_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_duration(text)


def test_deep_link_shape() -> None:
    assert deep_link("tandem_bot", "abc-DEF_123") == "https://t.me/tandem_bot?start=abc-DEF_123"


def test_code_alphabet_matches_telegram_start_parameter() -> None:
    import secrets

    from bot.domain.invites import CODE_BYTES

    code = secrets.token_urlsafe(CODE_BYTES)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,64}", code)
    assert CODE_BYTES * 8 >= 128


def test_an_invite_used_up_refuses_a_second_person(db: Database, clock: FakeClock) -> None:
    code = make_invite(db, clock, make_cohort(db, clock), uses=1)
    with db.transaction() as session:
        enrol(session, code=code, telegram_user_id=11, chat_id=11, clock=clock)
    with pytest.raises(InviteError) as caught, db.transaction() as session:
        enrol(session, code=code, telegram_user_id=12, chat_id=12, clock=clock)
    assert caught.value.key == "invite.used_up"


def test_a_revoked_invite_stops_working_and_leaves_the_list(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    kept, revoked = make_invite(db, clock, cohort), make_invite(db, clock, cohort, uses=5)
    with db.transaction() as session:
        revoke_invite(session, code=revoked, clock=clock)
        with pytest.raises(NotFound):
            revoke_invite(session, code="no-such-code", clock=clock)
    with db.transaction() as session:
        listed = list_invites(session, now=clock.now())
        with pytest.raises(InviteError) as caught:
            enrol(session, code=revoked, telegram_user_id=13, chat_id=13, clock=clock)
    assert [invite.code_hash for invite, _ in listed] == [hash_code(kept)]
    assert caught.value.key == "invite.unknown"


def test_used_up_and_expired_invites_leave_the_list(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    used = make_invite(db, clock, cohort)
    make_invite(db, clock, cohort, expires_in=timedelta(hours=1))
    with db.transaction() as session:
        enrol(session, code=used, telegram_user_id=14, chat_id=14, clock=clock)
    clock.advance(timedelta(hours=2))
    with db.reading() as session:
        assert list_invites(session, now=clock.now()) == []


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"role": Role.PARTNER, "cohort": None}, "invite.needs_cohort"),
        ({"uses": 0}, "invite.bad_uses"),
        ({"uses": 1001}, "invite.bad_uses"),
        ({"expires_in": timedelta(seconds=30)}, "invite.bad_expiry"),
        ({"expires_in": timedelta(days=400)}, "invite.bad_expiry"),
    ],
)
def test_unusable_invites_are_not_made(
    db: Database, clock: FakeClock, options: dict[str, object], key: str
) -> None:
    cohort = make_cohort(db, clock)
    asked: dict[str, object] = {"role": Role.PARTNER, "cohort": cohort} | options
    with pytest.raises(InvalidInput) as caught, db.transaction() as session:
        create_invite(session, clock=clock, **asked)  # type: ignore[arg-type]
    assert caught.value.key == key


def test_a_coordinator_invite_needs_no_cohort(db: Database, clock: FakeClock) -> None:
    code = make_invite(db, clock, None, Role.COORDINATOR)
    with db.transaction() as session:
        enrolment = enrol(session, code=code, telegram_user_id=15, chat_id=15, clock=clock)
    assert enrolment.cohort is None and enrolment.person.role == Role.COORDINATOR
    assert _count(db, Membership) == 0


def test_someone_who_left_can_rejoin_and_goes_through_onboarding_again(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    codes = make_invite(db, clock, cohort), make_invite(db, clock, cohort)
    with db.transaction() as session:
        first = enrol(session, code=codes[0], telegram_user_id=16, chat_id=16, clock=clock)
        first.person.status = PersonStatus.ACTIVE
        session.add(first.person)
    person_id = first.person.id or 0
    with db.transaction() as session:
        people.leave(session, person_id=person_id, clock=clock)
    with db.transaction() as session:
        again = enrol(session, code=codes[1], telegram_user_id=16, chat_id=16, clock=clock)
        places = people.cohorts_of(session, person_id=person_id)
    assert again.person.id == person_id and again.needs_onboarding
    assert again.person.left_at is None
    assert [p.cohort.name for p in places] == ["Frailty pathway"]


def test_joining_is_audited_with_the_role_and_never_the_code(
    db: Database, clock: FakeClock
) -> None:
    code = make_invite(db, clock, make_cohort(db, clock), Role.FACILITATOR)
    with db.transaction() as session:
        enrolment = join(session, code=code, telegram_user_id=17, chat_id=17, clock=clock)
    with db.reading() as session:
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "enrolled")).all()
    person_id = enrolment.person.id
    assert (event.actor_id, event.subject_id, event.detail) == (
        person_id,
        person_id,
        "role=facilitator",
    )
    assert event.at == clock.now()


def test_a_refused_join_keeps_the_rest_of_the_transaction(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    first, second = make_invite(db, clock, cohort), make_invite(db, clock, cohort)
    with db.transaction() as session:
        join(session, code=first, telegram_user_id=18, chat_id=18, clock=clock)
        with pytest.raises(InviteError):  # the same single-use code, by someone else
            join(session, code=first, telegram_user_id=19, chat_id=19, clock=clock)
        assert people.find_by_telegram(session, telegram_user_id=19) is None
        join(session, code=second, telegram_user_id=19, chat_id=19, clock=clock)
    with db.reading() as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "enrolled")).all()
        joined = [people.find_by_telegram(session, telegram_user_id=t) for t in (18, 19)]
    assert len(events) == 2 and all(p is not None for p in joined)


def test_coordinators_may_invite_facilitators_and_everyone_else_only_partners(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    margaret = make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    with db.reading() as session:
        assert roles_invitable(session, viewer_id=margaret) == (Role.PARTNER,)
        assert roles_invitable(session, viewer_id=tom) == (Role.PARTNER, Role.FACILITATOR)


def test_an_invite_into_a_cohort_is_single_use_for_two_weeks_and_only_where_one_runs(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")

    def invite(viewer: int, cohort: Cohort, role: Role | None) -> tuple[NewInvite, Cohort]:
        with db.transaction() as session:
            return invite_to(
                session, viewer_id=viewer, cohort_id=cohort.id or 0, role=role, clock=clock
            )

    made, cohort = invite(margaret, frailty, None)
    assert cohort.name == "Frailty pathway" and made.invite.role == Role.PARTNER
    assert (made.invite.max_uses, made.invite.created_by) == (1, margaret)
    assert made.invite.expires_at == clock.now() + timedelta(days=14)
    assert invite(margaret, frailty, Role.FACILITATOR)[0].invite.role == Role.PARTNER
    assert invite(tom, maternity, Role.FACILITATOR)[0].invite.role == Role.FACILITATOR
    assert invite(tom, maternity, Role.COORDINATOR)[0].invite.role == Role.PARTNER
    with pytest.raises(NotFound) as elsewhere:
        invite(margaret, maternity, None)
    assert elsewhere.value.key == "invite.gone"
    with db.transaction() as session:
        joined = enrol(session, code=made.code, telegram_user_id=20, chat_id=20, clock=clock)
    assert joined.cohort is not None and joined.cohort.id == frailty.id
