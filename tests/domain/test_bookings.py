"""One-to-one briefings (issue 18), in the domain: two partners can never hold one slot,
whatever the timing (truly concurrent bookings on separate connections, on SQLite and on
PostgreSQL, and the database itself refusing a second holder); who may host; the rules a
partner's booking keeps; reminders at the partner's own local times."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.db import Database
from bot.domain import bookings
from bot.domain.bookings import Booked
from bot.domain.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.models import Booking, BookingSlot, Delivery, DeliveryStatus, Role
from tests.factories import make_cohort, make_person

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday 2 March, 10:00 in London (GMT)
PARTNERS = 6  # partners racing for one slot


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    clock.set(NOW)
    frailty = make_cohort(db, clock)
    maternity = make_cohort(db, clock, "Maternity voices")
    people = {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "olu": make_person(db, clock, maternity, Role.FACILITATOR, "Olu"),
        "chris": make_person(db, clock, None, Role.COORDINATOR, "Chris"),
        "board": make_person(db, clock, frailty, Role.BOARD, "Helen"),
        "bola": make_person(db, clock, maternity, name="Bola"),
        "dev": make_person(db, clock, frailty, name="Dev", time_zone="Africa/Lagos"),
    }
    for number in range(PARTNERS):
        people[f"p{number}"] = make_person(db, clock, frailty, name=f"Partner {number}")
    people["frailty"], people["maternity"] = frailty.id or 0, maternity.id or 0
    return people


def _slot(
    db: Database, clock: FakeClock, host: int, cohort: int, day: date, at: time = time(14)
) -> int:
    with db.transaction() as session:
        slot = bookings.publish(
            session,
            host_id=host,
            cohort_id=cohort,
            day=day,
            at=at,
            minutes=30,
            where="Room 3B",
            clock=clock,
        )
        return slot.id or 0


def _holders(db: Database, slot_id: int) -> list[int]:
    with db.reading() as session:
        return list(
            session.exec(select(Booking.person_id).where(Booking.held_slot_id == slot_id)).all()
        )


def test_partners_booking_one_slot_at_the_same_moment_leave_exactly_one_booking(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    slot_id = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 4))
    other = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 5))
    start = threading.Barrier(PARTNERS)
    results: dict[int, Booked] = {}
    failures: list[BaseException] = []

    def book(person_id: int) -> None:
        try:
            with db.transaction() as session:
                start.wait(timeout=10)  # every partner's transaction open, then all tap at once
                results[person_id] = bookings.book(
                    session, person_id=person_id, slot_id=slot_id, clock=clock
                )
        except BaseException as error:  # reported below, with the thread's own error
            failures.append(error)

    racers = [cast[f"p{n}"] for n in range(PARTNERS)]
    threads = [threading.Thread(target=book, args=(person,)) for person in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures
    winners = [p for p, r in results.items() if r.booking is not None]
    losers = [r for r in results.values() if r.taken]
    assert len(results) == PARTNERS
    assert len(winners) == 1 and len(losers) == PARTNERS - 1
    assert _holders(db, slot_id) == winners
    with db.reading() as session:
        assert len(session.exec(select(Booking)).all()) == 1
    # The losers are told the time has just gone, and offered the others.
    assert all([v.id for v in r.free] == [other] and r.booking is None for r in losers)


def test_the_database_itself_refuses_a_second_holder_of_a_slot(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    slot_id = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 4))
    with db.transaction() as session:
        session.add(
            Booking(slot_id=slot_id, person_id=cast["p0"], held_slot_id=slot_id, booked_at=NOW)
        )
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(
            Booking(slot_id=slot_id, person_id=cast["p1"], held_slot_id=slot_id, booked_at=NOW)
        )
    # A cancelled booking no longer holds its slot: any number of those may point at it.
    with db.transaction() as session:
        for who in ("p2", "p3"):
            session.add(Booking(slot_id=slot_id, person_id=cast[who], booked_at=NOW))
    assert _holders(db, slot_id) == [cast["p0"]]


def test_who_may_host(db: Database, clock: FakeClock, cast: dict[str, int]) -> None:
    frailty = cast["frailty"]
    with db.reading() as session:
        allowed = {
            who: bookings.may_host(session, person_id=cast[who], cohort_id=frailty)
            for who in ("margaret", "olu", "chris", "board", "p0")
        }
    assert allowed == {"margaret": True, "olu": False, "chris": True, "board": False, "p0": False}
    with pytest.raises(NotFound), db.transaction() as session:
        bookings.publish(
            session,
            host_id=cast["olu"],
            cohort_id=frailty,
            day=date(2026, 3, 4),
            at=time(14),
            minutes=30,
            where="Room 1",
            clock=clock,
        )


def test_a_slot_needs_notice_a_place_and_no_overlap(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    margaret, frailty = cast["margaret"], cast["frailty"]
    _slot(db, clock, margaret, frailty, date(2026, 3, 4))
    cases = (
        (date(2026, 3, 2), time(11), "Room 3B", InvalidInput),  # in an hour: too soon
        (date(2026, 3, 4), time(14, 15), "Room 3B", Conflict),  # overlaps her 14:00
        (date(2026, 3, 5), time(14), "   ", InvalidInput),
        (date(2026, 3, 5), time(14), "http://meet.example.org/x", InvalidInput),  # not https
    )
    for day, at, where, error in cases:
        with pytest.raises(error), db.transaction() as session:
            bookings.publish(
                session,
                host_id=margaret,
                cohort_id=frailty,
                day=day,
                at=at,
                minutes=30,
                where=where,
                clock=clock,
            )


def test_a_partner_holds_one_booking_and_only_their_own_cohorts(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    first = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 4))
    second = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 5))
    with db.transaction() as session:
        made = bookings.book(session, person_id=cast["p0"], slot_id=first, clock=clock)
    assert made.booking is not None
    with pytest.raises(Conflict) as refused, db.transaction() as session:
        bookings.book(session, person_id=cast["p0"], slot_id=second, clock=clock)
    assert refused.value.key == "bookings.one_at_a_time"
    with pytest.raises(NotFound), db.transaction() as session:
        bookings.book(session, person_id=cast["bola"], slot_id=second, clock=clock)
    for who in ("bola", "p1"):  # another cohort's partner, and one of the same cohort
        with pytest.raises(NotFound), db.transaction() as session:
            bookings.cancel(
                session, person_id=cast[who], booking_id=made.booking.id or 0, clock=clock
            )
    assert _holders(db, first) == [cast["p0"]]


def _reminders(db: Database) -> list[tuple[str, datetime, DeliveryStatus]]:
    with db.reading() as session:
        rows = session.exec(
            select(Delivery)
            .where(col(Delivery.dedupe_key).startswith("book"))
            .order_by(col(Delivery.id))
        ).all()
        return [(r.dedupe_key.split(":")[2], r.due_at, r.status) for r in rows]


def test_reminders_come_at_the_partners_own_local_times_and_go_with_a_move(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    # Sunday 29 March 2026 the UK clocks go forward: 14:00 on Monday 30 March is 13:00 UTC.
    monday = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 30))
    with db.transaction() as session:
        made = bookings.book(session, person_id=cast["p0"], slot_id=monday, clock=clock)
    assert made.booking is not None
    day_before = datetime(2026, 3, 29, 13, 0, tzinfo=UTC)  # 14:00 BST the day before
    hour_before = datetime(2026, 3, 30, 12, 0, tzinfo=UTC)
    assert _reminders(db) == [
        ("day", day_before, DeliveryStatus.PENDING),
        ("hour", hour_before, DeliveryStatus.PENDING),
    ]
    tuesday = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 31), time(9))
    with db.transaction() as session:
        bookings.move(
            session,
            person_id=cast["p0"],
            booking_id=made.booking.id or 0,
            slot_id=tuesday,
            clock=clock,
        )
    found = _reminders(db)
    assert [status for _, _, status in found[:2]] == [DeliveryStatus.CANCELLED] * 2
    assert found[2:] == [
        ("day", datetime(2026, 3, 30, 8, 0, tzinfo=UTC), DeliveryStatus.PENDING),
        ("hour", datetime(2026, 3, 31, 7, 0, tzinfo=UTC), DeliveryStatus.PENDING),
    ]
    # Dev is in Lagos: his reminder the day before comes at the slot's time there.
    with db.transaction() as session:
        dev = bookings.book(session, person_id=cast["dev"], slot_id=monday, clock=clock)
        assert dev.booking is not None
    lagos = _reminders(db)[4:]
    assert lagos[0][1] == datetime(2026, 3, 29, 13, 0, tzinfo=UTC)  # 14:00 in Lagos (UTC+1)
    with db.transaction() as session:
        bookings.cancel(session, person_id=cast["dev"], booking_id=dev.booking.id or 0, clock=clock)
    assert all(r[2] == DeliveryStatus.CANCELLED for r in _reminders(db)[4:])


def test_a_host_cancelling_a_booked_slot_frees_the_partner(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    slot_id = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 4))
    with db.transaction() as session:
        bookings.book(session, person_id=cast["p0"], slot_id=slot_id, clock=clock)
    with pytest.raises(NotFound), db.transaction() as session:
        bookings.cancel_slot(session, viewer_id=cast["olu"], slot_id=slot_id, clock=clock)
    with db.transaction() as session:
        done = bookings.cancel_slot(
            session, viewer_id=cast["margaret"], slot_id=slot_id, clock=clock
        )
    assert done.partner_told
    assert _holders(db, slot_id) == []
    with db.reading() as session:
        view = bookings.partner_view(session, person_id=cast["p0"], clock=clock)
        slot = session.get(BookingSlot, slot_id)
        told = session.exec(
            select(Delivery).where(
                Delivery.person_id == cast["p0"], col(Delivery.dedupe_key).startswith("n")
            )
        ).all()
    assert view.held is None and view.free == []
    assert slot is not None and slot.status.value == "cancelled"
    assert [t.status for t in told] == [DeliveryStatus.PENDING]
    assert "told_slot_cancelled" in told[0].dedupe_key
    assert [r[2] for r in _reminders(db)] == [DeliveryStatus.CANCELLED] * 2


def test_mydata_shows_bookings_and_slots_and_forget_erases_them(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    from bot.domain import privacy

    first = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 4))
    second = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 5))
    with db.transaction() as session:
        bookings.book(session, person_id=cast["p0"], slot_id=first, clock=clock)
        bookings.book(session, person_id=cast["p1"], slot_id=second, clock=clock)
        mine = privacy.export_personal_data(session, person_id=cast["p0"], clock=clock)
        hosted = privacy.export_personal_data(session, person_id=cast["margaret"], clock=clock)
    assert [b["host"] for b in mine["one_to_ones_booked"]] == ["Margaret"]  # type: ignore[index]
    assert [s["booked"] for s in hosted["one_to_ones_hosted"]] == [True, True]  # type: ignore[index]

    # A partner's /forget frees their time for others.
    with db.transaction() as session:
        privacy.forget(session, person_id=cast["p0"], clock=clock)
        free = bookings.partner_view(session, person_id=cast["p2"], clock=clock).free
    assert [v.id for v in free] == [first]
    assert _holders(db, first) == []
    # A host's /forget takes their times away; a partner booked is told, without the name.
    with db.transaction() as session:
        privacy.forget(session, person_id=cast["margaret"], clock=clock)
    with db.reading() as session:
        assert session.exec(select(BookingSlot)).all() == []
        assert session.exec(select(Booking)).all() == []
        told = session.exec(
            select(Delivery).where(
                Delivery.person_id == cast["p1"], col(Delivery.dedupe_key).startswith("n")
            )
        ).one()
    assert "Margaret" not in told.payload and told.status == DeliveryStatus.PENDING


def test_a_partner_leaving_gives_up_their_booking(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    from bot.domain import account

    slot_id = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 4))
    with db.transaction() as session:
        bookings.book(session, person_id=cast["p0"], slot_id=slot_id, clock=clock)
        account.leave(session, person_id=cast["p0"], clock=clock)
        free = bookings.partner_view(session, person_id=cast["p1"], clock=clock).free
        told = session.exec(
            select(Delivery.dedupe_key).where(Delivery.person_id == cast["margaret"])
        ).all()
    assert [v.id for v in free] == [slot_id]
    assert any("bookings.told_cancelled" in key for key in told)


def test_a_check_in_asking_for_a_one_to_one_offers_times_or_the_booking_held(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    from tests.factories import make_reflection

    def offer(person: str, support: str = "briefing") -> bookings.BriefingOffer | None:
        asked = {"support": support, "confidence": 3, "wellbeing": 4}
        reflection = make_reflection(db, clock, cast[person], asked, prompt_set="monthly-check-in")
        with db.transaction() as session:
            return bookings.offer_after_check_in(
                session, person_id=cast[person], reflection_id=reflection, clock=clock
            )

    assert offer("p0", "none") is None  # "I'm fine for now" offers nothing
    slot_id = _slot(db, clock, cast["margaret"], cast["frailty"], date(2026, 3, 4))
    found = offer("p0")
    assert found is not None and [v.id for v in found.free] == [slot_id]
    with db.transaction() as session:
        bookings.book(session, person_id=cast["p0"], slot_id=slot_id, clock=clock)
    held = offer("p0")
    assert held is not None and held.held is not None and held.held.id == slot_id
    nothing = offer("p1")
    assert nothing is not None and nothing.free == [] and nothing.told == 1
