"""Safeguarding concerns: when a partner's words suggest risk, their facilitators and every
coordinator are told at once, with the words; the audit log records the kind of concern and
how many were told, never the words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.db import Database
from bot.domain import concerns
from bot.domain.clock import FakeClock
from bot.domain.errors import NotFound
from bot.domain.safeguarding import default_rules
from bot.models import AuditEvent, Concern, Delivery, Role
from tests.factories import make_cohort, make_person

WORDS = "Honestly I want to end my life, nothing is getting better."


def _alerts(db: Database) -> dict[int, Delivery]:
    with db.reading() as session:
        return {d.person_id: d for d in session.exec(select(Delivery))}


def test_the_partners_facilitators_and_coordinators_are_alerted_urgently(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    nia = make_person(db, clock, maternity, Role.FACILITATOR, "Nia")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    amina = make_person(db, clock, frailty, name="Amina")
    match = default_rules().check(WORDS)
    assert match is not None
    with db.transaction() as session:
        told = concerns.raise_concern(
            session, person_id=amina, text=WORDS, match=match, clock=clock
        )
    assert told == sorted([margaret, tom])
    alerts = _alerts(db)
    assert set(alerts) == {margaret, tom} and nia not in alerts and amina not in alerts
    for alert in alerts.values():
        assert "Amina" in alert.payload and "end my life" in alert.payload
        assert alert.priority == 1  # the outbox's most urgent: first, even in quiet hours
    with db.reading() as session:
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "safeguarding.alert"))
    assert event.detail == f"{match.category}: 2 people alerted"
    assert "life" not in (event.detail or "")


def test_a_very_long_message_is_cut_in_the_alert(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    margaret = make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    amina = make_person(db, clock, cohort, name="Amina")
    long = WORDS + " More." * 1000
    match = default_rules().check(long)
    assert match is not None
    with db.transaction() as session:
        concerns.raise_concern(session, person_id=amina, text=long, match=match, clock=clock)
    alert = _alerts(db)[margaret]
    assert "More. More." in alert.payload and "…" in alert.payload
    assert len(alert.payload) < concerns.ALERT_TEXT_LIMIT + 1000 < len(long)


def test_a_private_entry_is_alerted_without_its_words(db: Database, clock: FakeClock) -> None:
    frailty = make_cohort(db, clock)
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    amina = make_person(db, clock, frailty, name="Amina")
    match = default_rules().check(WORDS)
    assert match is not None
    with db.transaction() as session:
        told = concerns.raise_concern(
            session, person_id=amina, text=WORDS, match=match, clock=clock, private=True
        )
    assert told == [margaret]
    alert = _alerts(db)[margaret]
    assert "notify.safeguarding_private" in alert.payload and "Amina" in alert.payload
    assert "end my life" not in alert.payload and "getting better" not in alert.payload
    with db.reading() as session:
        [event] = session.exec(select(AuditEvent)).all()
    assert "private entry" in (event.detail or "")


def _raise(db: Database, clock: FakeClock, person: int) -> int:
    match = default_rules().check(WORDS)
    assert match is not None
    with db.transaction() as session:
        concerns.raise_concern(session, person_id=person, text=WORDS, match=match, clock=clock)
        found = session.exec(select(Concern)).all()
    return found[-1].id or 0


def test_an_alert_carries_buttons_and_is_kept_without_its_words(
    db: Database, clock: FakeClock
) -> None:
    frailty = make_cohort(db, clock)
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    amina = make_person(db, clock, frailty, name="Amina")
    concern_id = _raise(db, clock, amina)
    alert = _alerts(db)[margaret]
    assert '"concern.acknowledge"' in alert.payload and '"concern.contacted"' in alert.payload
    with db.reading() as session:
        concern = session.get(Concern, concern_id)
    assert concern is not None and concern.person_id == amina and concern.acknowledged_at is None
    assert "life" not in str(concern.model_dump())


def test_acknowledging_is_for_the_partners_staff_and_is_audited(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    nia = make_person(db, clock, maternity, Role.FACILITATOR, "Nia")
    amina = make_person(db, clock, frailty, name="Amina")
    concern_id = _raise(db, clock, amina)
    with db.transaction() as session, pytest.raises(NotFound):
        concerns.acknowledge(
            session, viewer_id=nia, concern_id=concern_id, contacted=False, clock=clock
        )
    clock.advance(timedelta(minutes=3))
    with db.transaction() as session:
        concerns.acknowledge(
            session, viewer_id=margaret, concern_id=concern_id, contacted=False, clock=clock
        )
        concerns.acknowledge(
            session, viewer_id=margaret, concern_id=concern_id, contacted=True, clock=clock
        )
    with db.reading() as session:
        concern = session.get(Concern, concern_id)
        actions = [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]
        assert concerns.unacknowledged(session) == 0
        [row] = concerns.concerns_for(session, viewer_id=margaret)
        assert concerns.concerns_for(session, viewer_id=nia) == []
    assert concern is not None and concern.acknowledged_by == margaret
    assert concern.contacted_at == clock.now()
    assert actions[-2:] == ["safeguarding.acknowledged", "safeguarding.contacted"]
    assert (row.partner, row.acknowledged_by) == ("Amina", "Margaret")


def test_an_alert_nobody_acknowledges_goes_to_the_coordinators_again_once(
    db: Database, clock: FakeClock
) -> None:
    frailty = make_cohort(db, clock)
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    amina, bill = (
        make_person(db, clock, frailty, name="Amina"),
        make_person(db, clock, frailty, name="Bill"),
    )
    ignored = _raise(db, clock, amina)
    seen = _raise(db, clock, bill)
    with db.transaction() as session:
        concerns.acknowledge(
            session, viewer_id=margaret, concern_id=seen, contacted=False, clock=clock
        )
        clock.advance(timedelta(minutes=29))
        assert concerns.escalate_unacknowledged(session, clock=clock) == 0
        clock.advance(timedelta(minutes=2))
        assert concerns.escalate_unacknowledged(session, clock=clock) == 1
        assert concerns.escalate_unacknowledged(session, clock=clock) == 0
    with db.reading() as session:
        again = session.exec(
            select(Delivery).where(
                Delivery.person_id == tom, col(Delivery.payload).contains("unacknowledged")
            )
        ).all()
        concern = session.get(Concern, ignored)
    assert len(again) == 1 and "Amina" in again[0].payload and "life" not in again[0].payload
    assert again[0].priority == 1, "urgent: quiet hours do not hold it back"
    assert concern is not None and concern.escalated_at == clock.now()


def test_the_partner_says_they_are_safe_now_once_and_only_on_their_own(
    db: Database, clock: FakeClock
) -> None:
    frailty = make_cohort(db, clock)
    amina = make_person(db, clock, frailty, name="Amina")
    bill = make_person(db, clock, frailty, name="Bill")
    concern_id = _raise(db, clock, amina)
    with db.transaction() as session, pytest.raises(NotFound):
        concerns.say_safe(session, person_id=bill, concern_id=concern_id, clock=clock)
    first = clock.now()
    with db.transaction() as session:
        concerns.say_safe(session, person_id=amina, concern_id=concern_id, clock=clock)
    clock.advance(timedelta(minutes=5))
    with db.transaction() as session:  # a second tap changes nothing
        concerns.say_safe(session, person_id=amina, concern_id=concern_id, clock=clock)
    with db.reading() as session:
        concern = session.get(Concern, concern_id)
        safe = session.exec(
            select(AuditEvent).where(AuditEvent.action == "safeguarding.safe")
        ).all()
    assert concern is not None and concern.safe_at == first and concern.contact_asked_at is None
    assert len(safe) == 1 and safe[0].actor_id == amina


def test_asking_for_contact_tells_the_facilitators_and_coordinators_urgently_once(
    db: Database, clock: FakeClock
) -> None:
    frailty = make_cohort(db, clock)
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    amina = make_person(db, clock, frailty, name="Amina")
    concern_id = _raise(db, clock, amina)
    for _ in range(2):
        with db.transaction() as session:
            asked = concerns.ask_for_contact(
                session, person_id=amina, concern_id=concern_id, clock=clock
            )
        assert asked.facilitators == ["Margaret"] and asked.told == 2
        assert asked.category == "suicide"
    with db.reading() as session:
        notices = [
            d
            for d in session.exec(select(Delivery))
            if "notify.safeguarding_contact_asked" in d.payload
        ]
        concern = session.get(Concern, concern_id)
    assert sorted(d.person_id for d in notices) == sorted([margaret, tom])
    assert all(d.priority == 1 and '"concern.contacted"' in d.payload for d in notices)
    assert concern is not None and concern.contact_asked_at is not None


def test_a_request_for_contact_nobody_answers_goes_to_the_coordinators_again(
    db: Database, clock: FakeClock
) -> None:
    frailty = make_cohort(db, clock)
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    amina, bill = (
        make_person(db, clock, frailty, name="Amina"),
        make_person(db, clock, frailty, name="Bill"),
    )
    waiting, called = _raise(db, clock, amina), _raise(db, clock, bill)
    with db.transaction() as session:
        for person, concern_id in ((amina, waiting), (bill, called)):
            concerns.acknowledge(
                session, viewer_id=margaret, concern_id=concern_id, contacted=False, clock=clock
            )
            concerns.ask_for_contact(session, person_id=person, concern_id=concern_id, clock=clock)
        concerns.acknowledge(
            session, viewer_id=margaret, concern_id=called, contacted=True, clock=clock
        )
        clock.advance(timedelta(minutes=29))
        assert concerns.escalate_unacknowledged(session, clock=clock) == 0
        clock.advance(timedelta(minutes=2))
        assert concerns.escalate_unacknowledged(session, clock=clock) == 1
        assert concerns.escalate_unacknowledged(session, clock=clock) == 0
    with db.reading() as session:
        again = session.exec(
            select(Delivery).where(
                Delivery.person_id == tom, col(Delivery.payload).contains("contact_waiting")
            )
        ).all()
    assert len(again) == 1 and "Amina" in again[0].payload and "Bill" not in again[0].payload
    assert again[0].priority == 1
