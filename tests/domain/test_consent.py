"""Consent: the exact words a person agreed to, and the latest decision is the one that
counts."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.consent import (
    current_consent,
    keeps_reflections,
    record_consent,
    set_reflections,
    statement_version,
)
from bot.domain.invites import enrol
from bot.models import ConsentKind, ConsentRecord, Role
from tests.factories import make_cohort, make_invite, make_person

WORDS = "May I keep your answers? Only you and the people you choose will read them."


def test_the_exact_statement_is_kept_with_a_fingerprint_of_its_wording(
    db: Database, clock: FakeClock
) -> None:
    amina = make_person(db, clock, make_cohort(db, clock), keeps_reflections=False)
    with db.transaction() as session:
        record_consent(
            session,
            person_id=amina,
            kind=ConsentKind.EXPECTATIONS,
            statement=WORDS,
            granted=True,
            clock=clock,
        )
    with db.reading() as session:
        record = current_consent(session, person_id=amina, kind=ConsentKind.EXPECTATIONS)
    assert record is not None and record.statement == WORDS
    assert record.version == statement_version(WORDS) != statement_version(WORDS + " ")
    assert record.decided_at == clock.now() and record.withdrawn_at is None


def test_changing_your_mind_withdraws_the_earlier_decision(db: Database, clock: FakeClock) -> None:
    amina = make_person(db, clock, make_cohort(db, clock))  # said yes to keeping reflections
    with db.reading() as session:
        assert keeps_reflections(session, person_id=amina)
    clock.advance(timedelta(days=3))
    with db.transaction() as session:
        record_consent(
            session,
            person_id=amina,
            kind=ConsentKind.REFLECTIONS,
            statement=WORDS,
            granted=False,
            clock=clock,
        )
    with db.reading() as session:
        assert not keeps_reflections(session, person_id=amina)
        history = session.exec(
            select(ConsentRecord)
            .where(ConsentRecord.person_id == amina, ConsentRecord.kind == ConsentKind.REFLECTIONS)
            .order_by(col(ConsentRecord.id))
        ).all()
    assert [(r.granted, r.withdrawn_at) for r in history] == [(True, clock.now()), (False, None)]


def test_no_decision_means_nothing_is_kept(db: Database, clock: FakeClock) -> None:
    code = make_invite(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        person = enrol(session, code=code, telegram_user_id=77, chat_id=77, clock=clock).person
    with db.reading() as session:
        assert (
            current_consent(session, person_id=person.id or 0, kind=ConsentKind.REFLECTIONS) is None
        )
        assert not keeps_reflections(session, person_id=person.id or 0)


def test_a_partner_can_change_whether_reflections_are_kept_and_staff_have_nothing_to_change(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort)  # said yes when she joined
    margaret = make_person(db, clock, cohort, Role.FACILITATOR, "Margaret", keeps_reflections=False)
    with db.transaction() as session:
        assert set_reflections(session, person_id=amina, keep=False, statement=WORDS, clock=clock)
    with db.reading() as session:
        assert not keeps_reflections(session, person_id=amina)
        record = current_consent(session, person_id=amina, kind=ConsentKind.REFLECTIONS)
    assert record is not None and (record.statement, record.granted) == (WORDS, False)
    clock.advance(timedelta(days=1))
    with db.transaction() as session:
        assert set_reflections(session, person_id=amina, keep=True, statement=WORDS, clock=clock)
        refused = set_reflections(
            session, person_id=margaret, keep=True, statement=WORDS, clock=clock
        )
    with db.reading() as session:
        assert keeps_reflections(session, person_id=amina)
        assert not refused and not keeps_reflections(session, person_id=margaret)
