"""Notices: short messages to people other than the one chatting, through the outbox (one
copy per person, a repeat dropped when asked, urgent ones first and through quiet hours,
copies about a person erased with them), and who the staff of a cohort are."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import select

from bot.db import Database
from bot.domain import notices, outbox, people
from bot.domain.clock import FakeClock
from bot.domain.outbox.contents import prepare
from bot.domain.privacy import forget
from bot.models import Delivery, Role
from tests.factories import add_to_cohort, make_cohort, make_person


def _notices(db: Database) -> list[Delivery]:
    with db.reading() as session:
        return list(session.exec(select(Delivery).where(Delivery.purpose == "notice")))


def test_a_notice_is_one_copy_per_person_due_now(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    margaret = make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    olu = make_person(db, clock, cohort, Role.FACILITATOR, "Olu")
    with db.transaction() as session:
        queued = notices.notify(
            session,
            person_ids=[olu, margaret, olu],
            key="notify.partner_joined",
            clock=clock,
            params={"name": "Amina", "cohort": "Frailty pathway"},
        )
    rows = _notices(db)
    assert queued == 2 and sorted(r.person_id for r in rows) == [margaret, olu]
    for row in rows:
        assert (row.due_at, row.priority) == (clock.now(), outbox.NOTICE_PRIORITY)
        assert json.loads(row.payload) == {
            "key": "notify.partner_joined",
            "params": {"name": "Amina", "cohort": "Frailty pathway"},
            "buttons": [],
        }


def test_a_notice_tagged_for_deduplication_is_queued_once(db: Database, clock: FakeClock) -> None:
    margaret = make_person(db, clock, make_cohort(db, clock), Role.FACILITATOR, "Margaret")
    for _ in range(2):
        with db.transaction() as session:
            for dedupe in ("question-7-waiting", None):
                notices.notify(
                    session,
                    person_ids=[margaret],
                    key="notify.question_waiting",
                    clock=clock,
                    dedupe=dedupe,
                )
    assert len(_notices(db)) == 3  # the tagged one once, the untagged one each time


def test_an_urgent_notice_goes_first_and_through_quiet_hours(
    db: Database, clock: FakeClock
) -> None:
    margaret = make_person(db, clock, make_cohort(db, clock), Role.FACILITATOR, "Margaret")
    clock.set(datetime(2026, 3, 2, 23, 30, tzinfo=UTC))  # in her quiet hours
    with db.transaction() as session:
        notices.notify(session, person_ids=[margaret], key="notify.question", clock=clock)
        notices.notify(
            session, person_ids=[margaret], key="notify.safeguarding", clock=clock, urgent=True
        )
    with db.transaction() as session:
        rows = outbox.claim_due(session, worker="one", clock=clock, limit=1)
        assert [json.loads(r["payload"])["key"] for r in rows] == ["notify.safeguarding"]
        assert rows[0]["priority"] == outbox.URGENT_PRIORITY
        due, _ = prepare(session, rows, clock.now())
    assert [d.person.id for d in due] == [margaret]


def test_erasing_a_person_erases_the_notices_about_them_and_no_others(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    margaret = make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    amina, bill = make_person(db, clock, cohort), make_person(db, clock, cohort, name="Bill")
    with db.transaction() as session:
        for about in (amina, bill, None):
            notices.notify(
                session,
                person_ids=[margaret],
                key="notify.question",
                clock=clock,
                params={"text": f"words of {about}"},
                about=about,
            )
    keys = [r.dedupe_key for r in _notices(db)]
    assert sum(k.startswith(notices.about_key_prefix(amina)) for k in keys) == 1
    with db.transaction() as session:
        forget(session, person_id=amina, clock=clock)
    left = [json.loads(r.payload)["params"]["text"] for r in _notices(db)]
    assert sorted(left) == [f"words of {bill}", "words of None"]


def test_buttons_are_kept_as_named_actions(db: Database, clock: FakeClock) -> None:
    margaret = make_person(db, clock, make_cohort(db, clock), Role.FACILITATOR, "Margaret")
    with db.transaction() as session:
        notices.notify(
            session,
            person_ids=[margaret],
            key="notify.question",
            clock=clock,
            buttons=[
                [("questions.buttons.reply", "question.reply", (7,))],
                [("pairs.buttons.stop", "pair.stop", ()), ("menu", "menu.open", ("home", 2))],
            ],
        )
    [row] = _notices(db)
    assert json.loads(row.payload)["buttons"] == [
        [["questions.buttons.reply", "question.reply", [7]]],
        [["pairs.buttons.stop", "pair.stop", []], ["menu", "menu.open", ["home", 2]]],
    ]


def test_the_staff_of_a_cohort_are_its_active_facilitators_and_every_coordinator(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    gone = make_person(db, clock, frailty, Role.FACILITATOR, "Gwen")
    nia = make_person(db, clock, maternity, Role.FACILITATOR, "Nia")
    make_person(db, clock, frailty, name="Amina")  # a partner, not staff
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    retired = make_person(db, clock, None, Role.COORDINATOR, "Rita")
    with db.transaction() as session:
        people.leave(session, person_id=gone, clock=clock)
        people.leave(session, person_id=retired, clock=clock)
    with db.reading() as session:
        assert notices.facilitator_ids(session, cohort_ids=[frailty.id or 0]) == [margaret]
        both = notices.facilitator_ids(session, cohort_ids=[frailty.id or 0, maternity.id or 0])
        assert both == sorted([margaret, nia])
        assert notices.facilitator_ids(session, cohort_ids=[]) == []
        assert notices.coordinator_ids(session) == [tom]


def test_a_persons_cohorts_are_the_ones_they_still_belong_to(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    add_to_cohort(db, clock, margaret, maternity, Role.FACILITATOR)
    with db.reading() as session:
        assert notices.cohort_ids_of(session, person_id=margaret) == sorted(
            [frailty.id or 0, maternity.id or 0]
        )
    with db.transaction() as session:
        people.leave(session, person_id=margaret, clock=clock)
    with db.reading() as session:
        assert notices.cohort_ids_of(session, person_id=margaret) == []


def test_facilitators_of_each_of_a_persons_cohorts_are_told_about_them(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    make_person(db, clock, maternity, Role.FACILITATOR, "Nia")
    amina = make_person(db, clock, frailty, name="Amina")
    with db.transaction() as session:
        told = notices.tell_facilitators_of(
            session,
            person_id=amina,
            key="notify.wants_contact",
            params={"name": "Amina"},
            clock=clock,
        )
    [row] = _notices(db)
    assert told == 1 and row.person_id == margaret
    assert row.dedupe_key.startswith(notices.about_key_prefix(amina))
    assert json.loads(row.payload)["params"] == {"name": "Amina"}
