"""Safeguarding concerns: when a partner's words suggest risk, their facilitators and every
coordinator are told at once, with the words; the audit log records the kind of concern and
how many were told, never the words."""

from __future__ import annotations

from sqlmodel import select

from bot.db import Database
from bot.domain import concerns
from bot.domain.clock import FakeClock
from bot.domain.safeguarding import default_rules
from bot.models import AuditEvent, Delivery, Role
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
