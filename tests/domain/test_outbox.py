"""The delivery outbox: rows written once and re-timed only while pending, cancelled when
no longer wanted, claimed by one dispatcher at a time with a lease, and what became of each
send recorded (retries with backoff, a give-up, a person who blocked the bot). Judging what
goes now is in test_outbox_judging.py."""

from __future__ import annotations

import json
from datetime import timedelta
from itertools import count
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.db import Database
from bot.domain import outbox, people
from bot.domain.clock import FakeClock
from bot.domain.outbox import DeliveryResult, Verdict
from bot.models import Cohort, Delivery, DeliveryStatus, Meeting, Person
from tests.factories import make_cohort, make_meeting, make_person

_keys = count(1)


@pytest.fixture
def frailty(db: Database, clock: FakeClock) -> Cohort:
    return make_cohort(db, clock)


@pytest.fixture
def amina(db: Database, clock: FakeClock, frailty: Cohort) -> int:
    return make_person(db, clock, frailty, name="Amina")


@pytest.fixture
def bill(db: Database, clock: FakeClock, frailty: Cohort) -> int:
    return make_person(db, clock, frailty, name="Bill")


def _write(
    db: Database,
    clock: FakeClock,
    person_id: int,
    key: str | None = None,
    *,
    after: timedelta = timedelta(0),
    purpose: str = "notice",
    **options: Any,
) -> str:
    """A row for the person, due `after` from now; returns its key."""
    key = key or f"test{next(_keys)}:p{person_id}"
    row = outbox.new_row(
        key=key,
        person_id=person_id,
        purpose=purpose,
        due=clock.now() + after,
        now=clock.now(),
        **options,
    )
    with db.transaction() as session:
        assert outbox.write(session, [row]) == 1
    return key


def _rows(db: Database) -> dict[str, Delivery]:
    with db.reading() as session:
        return {row.dedupe_key: row for row in session.exec(select(Delivery))}


def _claim(db: Database, clock: FakeClock, worker: str = "one", limit: int = 200) -> list[Any]:
    with db.transaction() as session:
        return outbox.claim_due(session, worker=worker, clock=clock, limit=limit)


def _record(db: Database, clock: FakeClock, results: list[DeliveryResult]) -> None:
    with db.transaction() as session:
        outbox.record(session, results, clock=clock)


def _as_row(delivery: Delivery) -> dict[str, Any]:
    """A stored row in the shape the dispatcher holds it."""
    return delivery.model_dump()


# Writing


def test_writing_a_row_again_re_times_it_while_it_is_still_pending(
    db: Database, clock: FakeClock, amina: int
) -> None:
    key = _write(db, clock, amina, after=timedelta(days=1), payload={"version": 1})
    _write(db, clock, amina, key, after=timedelta(days=2), payload={"version": 2})
    [row] = _rows(db).values()
    assert row.planned_for == row.due_at == clock.now() + timedelta(days=2)
    assert json.loads(row.payload) == {"version": 2}
    assert row.status == DeliveryStatus.PENDING


def test_planning_the_same_time_again_does_not_undo_a_deferral(
    db: Database, clock: FakeClock, amina: int
) -> None:
    key = _write(db, clock, amina)
    [claimed] = _claim(db, clock)
    morning = clock.now() + timedelta(hours=10)
    _record(db, clock, [outbox.not_sent(claimed, Verdict("defer", "quiet hours", morning))])
    _write(db, clock, amina, key)  # the planner runs again: same plan, same time
    row = _rows(db)[key]
    assert (row.status, row.planned_for, row.due_at) == (
        DeliveryStatus.PENDING,
        clock.now(),
        morning,
    )


def test_a_sent_row_is_never_touched_by_writing_it_again(
    db: Database, clock: FakeClock, amina: int
) -> None:
    key = _write(db, clock, amina, payload={"version": 1})
    [claimed] = _claim(db, clock)
    _record(db, clock, [outbox.sent(claimed, now=clock.now(), message_id=31)])
    sent_at = clock.now()
    clock.advance(timedelta(hours=1))
    _write(db, clock, amina, key, after=timedelta(days=1), payload={"version": 2})
    row = _rows(db)[key]
    assert (row.status, row.sent_at, row.planned_for) == (DeliveryStatus.SENT, sent_at, sent_at)
    assert json.loads(row.payload) == {"version": 1}


# Cancelling


def _status(db: Database) -> dict[tuple[int, str], DeliveryStatus]:
    return {(r.person_id, r.purpose): r.status for r in _rows(db).values()}


def _by_meeting(db: Database, meeting: Meeting) -> list[Delivery]:
    return [r for r in _rows(db).values() if r.meeting_id == meeting.id]


def test_cancelling_a_meetings_rows_leaves_other_meetings_and_what_was_sent(
    db: Database, clock: FakeClock, frailty: Cohort, amina: int, bill: int
) -> None:
    board = make_meeting(db, clock, frailty)
    other = make_meeting(db, clock, frailty, starts_at=clock.now() + timedelta(days=14))
    first, *pending = _by_meeting(db, board)
    _record(db, clock, [outbox.sent(_as_row(first), now=clock.now(), message_id=8)])
    with db.transaction() as session:
        cancelled = outbox.cancel_pending(
            session, clock=clock, meeting_id=board.id, reason="meeting cancelled"
        )
    assert cancelled == len(pending) > 0
    after = {r.id: r for r in _by_meeting(db, board)}
    assert after[first.id].status == DeliveryStatus.SENT
    assert {(after[r.id].status, after[r.id].last_error) for r in pending} == {
        (DeliveryStatus.CANCELLED, "meeting cancelled")
    }
    assert {r.status for r in _by_meeting(db, other)} == {DeliveryStatus.PENDING}


def test_cancelling_for_a_person_can_keep_to_some_purposes(
    db: Database, clock: FakeClock, frailty: Cohort, amina: int, bill: int
) -> None:
    make_meeting(db, clock, frailty)
    with db.transaction() as session:
        outbox.cancel_pending(session, clock=clock, person_id=amina, purposes=["nudge", "papers"])
    status = _status(db)
    assert status[amina, "nudge"] == status[amina, "papers"] == DeliveryStatus.CANCELLED
    assert status[amina, "briefing"] == status[bill, "nudge"] == DeliveryStatus.PENDING
    with db.transaction() as session:
        everything = outbox.cancel_pending(session, clock=clock, person_id=bill)
    assert everything == sum(1 for person, _ in status if person == bill)
    assert {s for (p, _), s in _status(db).items() if p == bill} == {DeliveryStatus.CANCELLED}


def test_cancelling_by_a_meeting_subquery_reaches_every_meeting_of_one_cohort_only(
    db: Database, clock: FakeClock, frailty: Cohort, amina: int
) -> None:
    maternity = make_cohort(db, clock, "Maternity voices")
    bola = make_person(db, clock, maternity, name="Bola")
    make_meeting(db, clock, frailty)
    make_meeting(db, clock, frailty, starts_at=clock.now() + timedelta(days=10))
    make_meeting(db, clock, maternity)
    notice = _write(db, clock, amina, purpose="notice")
    with db.transaction() as session:
        outbox.cancel_pending(
            session,
            clock=clock,
            purposes=["briefing"],
            meeting_ids=select(Meeting.id).where(Meeting.cohort_id == frailty.id),
        )
    briefings = [r for r in _rows(db).values() if r.purpose == "briefing"]
    assert sorted((r.person_id, r.status) for r in briefings) == sorted(
        [
            (amina, DeliveryStatus.CANCELLED),
            (amina, DeliveryStatus.CANCELLED),
            (bola, DeliveryStatus.PENDING),
        ]
    )
    assert _rows(db)[notice].status == DeliveryStatus.PENDING


def test_cancelling_after_a_delivery_keeps_what_was_written_before_it(
    db: Database, clock: FakeClock, amina: int, bill: int
) -> None:
    # The demo's history cancels the notices its own domain calls queued, and only those.
    earlier = _write(db, clock, amina)
    newest = _rows(db)[earlier].id
    later = [_write(db, clock, amina), _write(db, clock, bill, purpose="nudge")]
    with db.transaction() as session:
        cancelled = outbox.cancel_pending(session, clock=clock, after_id=newest, reason="history")
    rows = _rows(db)
    assert cancelled == 2
    assert rows[earlier].status == DeliveryStatus.PENDING
    assert {(rows[key].status, rows[key].last_error) for key in later} == {
        (DeliveryStatus.CANCELLED, "history")
    }


# Claiming


def test_a_due_row_goes_to_one_dispatcher_until_its_lease_runs_out(
    db: Database, clock: FakeClock, amina: int
) -> None:
    now_key = _write(db, clock, amina)
    _write(db, clock, amina, after=timedelta(hours=1))
    [claimed] = _claim(db, clock, "one")
    assert claimed["dedupe_key"] == now_key
    assert (claimed["status"], claimed["leased_by"], claimed["attempts"]) == (
        DeliveryStatus.SENDING,
        "one",
        1,
    )
    assert _claim(db, clock, "two") == []
    clock.advance(outbox.LEASE)
    assert _claim(db, clock, "two") == []  # the lease runs to the end of its minute
    clock.advance(timedelta(seconds=1))
    [again] = _claim(db, clock, "two")  # the first dispatcher died: another sends it
    assert (again["dedupe_key"], again["leased_by"], again["attempts"]) == (now_key, "two", 2)


def test_urgent_rows_are_claimed_first_then_the_longest_waiting(
    db: Database, clock: FakeClock, amina: int, bill: int
) -> None:
    older = _write(db, clock, amina, after=timedelta(hours=-2), purpose="briefing")
    newer = _write(db, clock, bill, after=timedelta(hours=-1), purpose="briefing")
    cast = _write(db, clock, bill, priority=outbox.BROADCAST_PRIORITY, purpose="broadcast")
    alert = _write(db, clock, amina, priority=outbox.URGENT_PRIORITY)
    order = [_claim(db, clock, limit=1)[0]["dedupe_key"] for _ in range(4)]
    assert order == [alert, cast, older, newer]
    assert _claim(db, clock) == []


def test_two_dispatchers_claiming_at_once_share_the_rows_without_overlap(
    db: Database, clock: FakeClock, amina: int
) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite allows one writer at a time, so it runs one dispatcher only")
    keys = {_write(db, clock, amina) for _ in range(4)}
    with db.transaction() as first:
        mine = outbox.claim_due(first, worker="one", clock=clock, limit=2)
        with Session(db.engine) as second:  # another instance, while the first is mid-claim
            theirs = outbox.claim_due(second, worker="two", clock=clock, limit=10)
            second.commit()
    one = {row["dedupe_key"] for row in mine}
    two = {row["dedupe_key"] for row in theirs}
    assert len(one) == len(two) == 2 and one | two == keys


def test_a_restart_puts_messages_in_flight_back_at_once(
    db: Database, clock: FakeClock, amina: int
) -> None:
    done, in_flight = _write(db, clock, amina), _write(db, clock, amina)
    claimed = {row["dedupe_key"]: row for row in _claim(db, clock, "crashed")}
    _record(db, clock, [outbox.sent(claimed[done], now=clock.now(), message_id=5)])
    with db.transaction() as session:
        assert outbox.release_all_leases(session, clock=clock) == 1
    [again] = _claim(db, clock, "restarted")  # no waiting for the lease to run out
    assert again["dedupe_key"] == in_flight
    assert _rows(db)[done].status == DeliveryStatus.SENT


def test_ending_a_pause_brings_forward_only_what_it_held_back(
    db: Database, clock: FakeClock, amina: int, bill: int
) -> None:
    held = {person: _write(db, clock, person) for person in (amina, bill)}
    next_week = _write(db, clock, amina, after=timedelta(days=7))
    claimed = _claim(db, clock)
    until = clock.now() + timedelta(weeks=2)
    _record(db, clock, [outbox.not_sent(r, Verdict("defer", "paused", until)) for r in claimed])
    clock.advance(timedelta(days=1))
    with db.transaction() as session:
        assert outbox.resume_deferred(session, person_id=amina, clock=clock) == 1
    rows = _rows(db)
    assert rows[held[amina]].due_at == clock.now()
    assert rows[held[bill]].due_at == until
    assert rows[next_week].due_at == rows[next_week].planned_for


# Recording


def test_a_sent_message_is_recorded_and_never_claimed_again(
    db: Database, clock: FakeClock, amina: int
) -> None:
    key = _write(db, clock, amina)
    [claimed] = _claim(db, clock)
    clock.advance(timedelta(seconds=2))
    _record(db, clock, [outbox.sent(claimed, now=clock.now(), message_id=4242)])
    row = _rows(db)[key]
    assert (row.status, row.sent_at, row.message_id) == (DeliveryStatus.SENT, clock.now(), 4242)
    assert row.lease_until is None
    clock.advance(timedelta(hours=1))
    assert _claim(db, clock) == []


def test_someone_who_blocked_the_bot_is_marked_unreachable_and_sent_nothing_more(
    db: Database, clock: FakeClock, amina: int, bill: int
) -> None:
    now_key = _write(db, clock, amina)
    later = [_write(db, clock, amina, after=timedelta(days=d)) for d in (1, 7)]
    bills = _write(db, clock, bill, after=timedelta(days=1))
    [claimed] = _claim(db, clock)
    refusal = outbox.refused(claimed, "403 Forbidden: bot was blocked by the user")
    assert refusal.unreachable
    _record(db, clock, [refusal])
    rows = _rows(db)
    assert (rows[now_key].status, rows[now_key].last_error) == (
        DeliveryStatus.CANCELLED,
        "403 Forbidden: bot was blocked by the user",
    )
    assert {(rows[k].status, rows[k].last_error) for k in later} == {
        (DeliveryStatus.CANCELLED, "unreachable")
    }
    assert rows[bills].status == DeliveryStatus.PENDING
    with db.reading() as session:
        person = session.get(Person, amina)
    assert person is not None and person.unreachable_since == clock.now()
    assert person.unreachable_reason == "403 Forbidden: bot was blocked by the user"


def test_a_failing_message_is_retried_with_growing_waits_then_parked_as_failed(
    db: Database, clock: FakeClock, amina: int
) -> None:
    key = _write(db, clock, amina)
    for attempt in range(1, outbox.MAX_ATTEMPTS):
        [claimed] = _claim(db, clock)
        assert claimed["attempts"] == attempt
        _record(db, clock, [outbox.after_failure(claimed, "TimedOut", now=clock.now(), retry=True)])
        row = _rows(db)[key]
        longest = timedelta(seconds=2 * 2 ** (attempt - 1))
        assert row.status == DeliveryStatus.PENDING
        assert clock.now() <= row.due_at <= clock.now() + longest
        clock.advance(timedelta(minutes=11))  # past the longest wait backoff allows
    [last] = _claim(db, clock)
    _record(db, clock, [outbox.after_failure(last, "TimedOut", now=clock.now(), retry=True)])
    row = _rows(db)[key]
    assert (row.status, row.attempts, row.last_error) == (
        DeliveryStatus.FAILED,
        outbox.MAX_ATTEMPTS,
        "TimedOut",
    )
    clock.advance(timedelta(hours=1))
    assert _claim(db, clock) == []


def test_a_message_telegram_rejects_as_malformed_fails_at_once(
    db: Database, clock: FakeClock, amina: int
) -> None:
    key = _write(db, clock, amina)
    [claimed] = _claim(db, clock)
    _record(
        db,
        clock,
        [outbox.after_failure(claimed, "400 can't parse entities", now=clock.now(), retry=False)],
    )
    row = _rows(db)[key]
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 1)
    with db.reading() as session:
        assert people.get_person(session, person_id=amina).unreachable_since is None
