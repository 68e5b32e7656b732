"""Judging claimed outbox rows: a message goes now, later (quiet hours in the person's own
time zone, a pause) or not at all (they left or cannot be reached, it is too late, its
broadcast was withdrawn, the reflection it nudges for is done); and what goes now carries
its words (a broadcast's placeholders filled for each person, a pair's name)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import account, broadcasts, outbox, people
from bot.domain.broadcasts import Audience
from bot.domain.clock import FakeClock
from bot.domain.outbox import Due, Verdict
from bot.domain.outbox.contents import prepare
from bot.domain.outbox.recording import DeliveryResult
from bot.models import Cohort, Delivery, DeliveryStatus, Person, Role
from tests.factories import make_cohort, make_meeting, make_pair, make_person, make_reflection

_keys = count(1)


@pytest.fixture
def frailty(db: Database, clock: FakeClock) -> Cohort:
    return make_cohort(db, clock)


@pytest.fixture
def amina(db: Database, clock: FakeClock, frailty: Cohort) -> int:
    return make_person(db, clock, frailty, name="Amina", telegram_user_id=801)


@pytest.fixture
def margaret(db: Database, clock: FakeClock, frailty: Cohort) -> int:
    return make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")


def _verdict(
    db: Database,
    clock: FakeClock,
    person_id: int,
    *,
    priority: int = outbox.BULK_PRIORITY,
    expires: datetime | None = None,
) -> Verdict:
    """How a message for the person, due now, is judged when a dispatcher claims it."""
    key = f"judged{next(_keys)}:p{person_id}"
    row = outbox.new_row(
        key=key,
        person_id=person_id,
        purpose="notice",
        due=clock.now(),
        now=clock.now(),
        expires=expires,
        priority=priority,
    )
    with db.transaction() as session:
        outbox.write(session, [row])
        claimed = outbox.claim_due(session, worker="judge", clock=clock)
        [mine] = [r for r in claimed if r["dedupe_key"] == key]
        return outbox.judge(mine, session.get(Person, person_id), clock.now())


SEND = Verdict("send")


def test_nothing_goes_to_someone_who_left_or_cannot_be_reached(
    db: Database, clock: FakeClock, frailty: Cohort, amina: int
) -> None:
    bill = make_person(db, clock, frailty, name="Bill")
    with db.transaction() as session:
        people.mark_unreachable(session, telegram_user_id=801, reason="403 blocked", clock=clock)
        people.leave(session, person_id=bill, clock=clock)
    assert _verdict(db, clock, amina) == Verdict("cancel", "the person cannot be reached")
    assert _verdict(db, clock, bill) == Verdict("cancel", "the person has left")
    row = outbox.new_row(key="k", person_id=0, purpose="notice", due=clock.now(), now=clock.now())
    assert outbox.judge(row, None, clock.now()).action == "cancel"  # erased since it was queued
    with db.transaction() as session:
        people.mark_reachable(session, telegram_user_id=801)
    assert _verdict(db, clock, amina) == SEND


def test_a_message_too_late_to_be_useful_expires(
    db: Database, clock: FakeClock, amina: int
) -> None:
    soon = clock.now() + timedelta(minutes=1)
    assert _verdict(db, clock, amina, expires=clock.now()) == Verdict(
        "expire", "too late to be useful"
    )
    assert _verdict(db, clock, amina, expires=soon) == SEND


def test_a_pause_holds_messages_until_it_ends_or_they_would_come_too_late(
    db: Database, clock: FakeClock, amina: int
) -> None:
    week = clock.now() + timedelta(weeks=1)
    with db.transaction() as session:
        people.pause(session, person_id=amina, choice="1w", clock=clock)
    assert _verdict(db, clock, amina) == Verdict("defer", "paused", week)
    in_two_days = clock.now() + timedelta(days=2)
    assert _verdict(db, clock, amina, expires=in_two_days) == Verdict(
        "defer", "paused", in_two_days
    )
    with db.transaction() as session:
        people.pause(session, person_id=amina, choice="open", clock=clock)
    assert _verdict(db, clock, amina) == Verdict(
        "defer", "paused", clock.now() + timedelta(hours=12)
    )
    clock.advance(timedelta(days=1))
    with db.transaction() as session:
        people.pause(session, person_id=amina, choice="1w", clock=clock)
    clock.advance(timedelta(weeks=1))
    assert _verdict(db, clock, amina) == SEND


def test_quiet_hours_hold_a_message_until_morning_in_the_persons_own_time_zone(
    db: Database, clock: FakeClock, frailty: Cohort, amina: int
) -> None:
    priya = make_person(db, clock, frailty, name="Priya", time_zone="Asia/Kolkata")
    clock.set(datetime(2026, 3, 2, 16, 0, tzinfo=UTC))  # 16:00 in London, 21:30 in Kolkata
    assert _verdict(db, clock, amina) == SEND
    assert _verdict(db, clock, priya) == Verdict(
        "defer",
        "quiet hours",
        datetime(2026, 3, 3, 2, 30, tzinfo=UTC),  # 08:00 in Kolkata
    )
    clock.set(datetime(2026, 3, 2, 22, 30, tzinfo=UTC))
    assert _verdict(db, clock, amina) == Verdict(
        "defer", "quiet hours", datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    )


def test_quiet_hours_end_at_eight_local_time_when_the_clocks_go_forward(
    db: Database, clock: FakeClock, amina: int
) -> None:
    clock.set(datetime(2026, 3, 28, 23, 0, tzinfo=UTC))  # British Summer Time starts at 01:00
    assert _verdict(db, clock, amina) == Verdict(
        "defer",
        "quiet hours",
        datetime(2026, 3, 29, 7, 0, tzinfo=UTC),  # 08:00 BST
    )


def test_an_urgent_message_goes_even_in_quiet_hours(
    db: Database, clock: FakeClock, frailty: Cohort, amina: int
) -> None:
    owl = make_person(db, clock, frailty, name="Owl", quiet=None)
    clock.set(datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    assert _verdict(db, clock, amina, priority=outbox.URGENT_PRIORITY) == SEND
    assert _verdict(db, clock, amina, priority=outbox.NOTICE_PRIORITY).action == "defer"
    assert _verdict(db, clock, owl) == SEND  # keeps no quiet hours


def _dispatch(db: Database, clock: FakeClock) -> tuple[list[Any], list[Due], list[DeliveryResult]]:
    """Claim what is due, judge it as the dispatcher does, and record what is held back."""
    with db.transaction() as session:
        rows = outbox.claim_due(session, worker="dispatcher", clock=clock)
        due, held = prepare(session, rows, clock.now())
        outbox.record(session, held, clock=clock)
    return rows, due, held


def test_a_withdrawn_broadcasts_unsent_copies_are_cancelled_at_once_but_its_deletions_go(
    db: Database, clock: FakeClock, frailty: Cohort, amina: int, margaret: int
) -> None:
    bill = make_person(db, clock, frailty, name="Bill")
    with db.transaction() as session:
        cast, _ = broadcasts.send(
            session,
            viewer_id=margaret,
            audience=Audience("cohort", frailty.id or 0),
            text="Room change: B12",
            label="Frailty pathway",
            clock=clock,
        )
        people.pause(session, person_id=bill, choice="1w", clock=clock)
    _, [to_amina], [to_bill] = _dispatch(db, clock)
    assert to_amina.person.id == amina and to_bill.status == DeliveryStatus.PENDING
    with db.transaction() as session:
        outbox.record(
            session, [outbox.sent(to_amina.row, now=clock.now(), message_id=77)], clock=clock
        )
        assert (
            broadcasts.withdraw(session, viewer_id=margaret, broadcast_id=cast.id or 0, clock=clock)
            == 1
        )
        assert account.resume(session, person_id=bill, clock=clock)
    # Bill's copy was cancelled by the withdrawal itself, so the dispatcher has only the
    # deletion of Amina's copy left to do.
    with db.reading() as session:
        bills_copy = session.exec(select(Delivery).where(Delivery.person_id == bill)).one()
    assert bills_copy.status == DeliveryStatus.CANCELLED
    _, [deletion], held = _dispatch(db, clock)
    assert (deletion.action, deletion.person.id, deletion.message_id) == ("delete", amina, 77)
    assert held == []


def test_a_nudge_for_a_reflection_already_finished_is_skipped(
    db: Database, clock: FakeClock, frailty: Cohort, amina: int
) -> None:
    bill = make_person(db, clock, frailty, name="Bill")
    meeting = make_meeting(db, clock, frailty)
    clock.set(meeting.ends_at + timedelta(hours=52))  # the nudge is due 51 hours after
    make_reflection(db, clock, amina, {}, meeting_id=meeting.id)
    rows, due, held = _dispatch(db, clock)
    assert [d.person.id for d in due if d.row["purpose"] == "nudge"] == [bill]
    [aminas] = [r["id"] for r in rows if (r["purpose"], r["person_id"]) == ("nudge", amina)]
    [skipped] = [r for r in held if r.row_id == aminas]
    assert (skipped.status, skipped.error) == (DeliveryStatus.SKIPPED, "already answered")


def test_each_broadcast_copy_says_that_persons_words_and_names_its_author(
    db: Database, clock: FakeClock, frailty: Cohort, amina: int, margaret: int
) -> None:
    bill = make_person(db, clock, frailty, name="Bill", time_zone="Africa/Lagos")
    make_meeting(db, clock, frailty, title="Frailty board")  # Monday 9 March, 09:00 UTC
    with db.transaction() as session:
        broadcasts.send(
            session,
            viewer_id=margaret,
            audience=Audience("cohort", frailty.id or 0),
            text="Hello {{ name }}, see you at {{ next_meeting }} ({{ cohort }})",
            label="Frailty pathway",
            clock=clock,
        )
    _, due, _ = _dispatch(db, clock)
    copies = {d.person.id: d.extra for d in due if d.row["purpose"] == "broadcast"}
    assert copies == {
        amina: {
            "author": "Margaret",
            "words": "Hello Amina, see you at Frailty board, Mon 9 Mar, 09:00 (Frailty pathway)",
            "note": False,  # English readers get the original without a note (issue 19)
        },
        bill: {
            "author": "Margaret",
            "words": "Hello Bill, see you at Frailty board, Mon 9 Mar, 10:00 (Frailty pathway)",
            "note": False,
        },
    }


def test_a_pair_preparation_prompt_names_the_persons_pair(
    db: Database, clock: FakeClock, frailty: Cohort, amina: int, margaret: int
) -> None:
    bill = make_person(db, clock, frailty, name="Bill")
    make_person(db, clock, frailty, name="Chloe")  # not in a pair: no preparation prompt
    make_pair(db, clock, margaret, frailty, amina, bill)
    make_meeting(db, clock, frailty)  # Monday 9 March: preparing together on Friday at 18:00
    clock.set(datetime(2026, 3, 6, 18, 0, tzinfo=UTC))
    _, due, _ = _dispatch(db, clock)
    prompts = {d.person.id: d.extra for d in due if d.row["purpose"] == "pair_prep"}
    assert prompts == {amina: {"pair": "Bill"}, bill: {"pair": "Amina"}}
