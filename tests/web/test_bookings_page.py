"""The dashboard's one-to-ones page (issue 18): a facilitator adds a time with the form,
sees who booked it, filters by group and upcoming or past, and cancels a booked time (its
partner is told in Telegram); another group's facilitator sees none of it; every view and
change is audited without anyone's words."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlmodel import col, select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain import bookings
from bot.domain.clock import FakeClock
from bot.models import AuditEvent, BookingSlot, Delivery, SlotStatus
from tests.web.conftest import World, sign_in


def _slots(db: Database) -> list[BookingSlot]:
    with db.reading() as session:
        return list(session.exec(select(BookingSlot).order_by(col(BookingSlot.id))).all())


def test_a_facilitator_adds_a_time_sees_the_booking_and_cancels_it(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    csrf = sign_in(app_client, db, clock, world.facilitator)
    empty = app_client.get("/dashboard/bookings")
    assert empty.status_code == 200 and "No upcoming times" in empty.text
    form = {"csrf": csrf, "cohort": str(world.frailty), "day": "2026-03-04", "time": "14:00"}
    added = app_client.post(
        "/dashboard/bookings/slots", data=form | {"minutes": "45", "where": "Room 4"}
    )
    assert added.status_code == 303
    too_soon = app_client.post(
        "/dashboard/bookings/slots",
        data=form | {"day": "2026-03-02", "time": "09:30", "minutes": "30", "where": "Room 4"},
    )
    assert too_soon.status_code == 400 and "too soon" in too_soon.text
    [slot] = _slots(db)
    assert slot.starts_at.isoformat() == "2026-03-04T14:00:00+00:00"
    assert slot.ends_at - slot.starts_at == timedelta(minutes=45)
    with db.transaction() as session:
        bookings.book(session, person_id=world.partner, slot_id=slot.id or 0, clock=clock)
    shown = app_client.get(f"/dashboard/bookings?cohort={world.frailty}")
    assert "Room 4" in shown.text and "Amina" in shown.text
    assert "No past times" in app_client.get("/dashboard/bookings?when=past").text

    cancelled = app_client.post(f"/dashboard/bookings/slots/{slot.id}/cancel", data={"csrf": csrf})
    assert cancelled.status_code == 303 and cancelled.headers["location"].endswith("done=told")
    assert _slots(db)[0].status == SlotStatus.CANCELLED
    with db.reading() as session:
        told = session.exec(select(Delivery).where(Delivery.person_id == world.partner)).all()
        audited = [
            (e.action, e.detail or "")
            for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.id)))
        ]
    assert any("told_slot_cancelled" in d.dedupe_key for d in told)
    actions = [a for a, _ in audited]
    assert {"dashboard.view_bookings", "dashboard.booking_slot_add"} <= set(actions)
    assert "dashboard.booking_slot_cancel" in actions
    assert not any("Room 4" in detail or "Amina" in detail for _, detail in audited)


def test_another_groups_facilitator_sees_and_changes_nothing(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    with db.transaction() as session:
        slot = bookings.publish(
            session,
            host_id=world.facilitator,
            cohort_id=world.frailty,
            day=date(2026, 3, 4),
            at=time(14),
            minutes=30,
            where="Frailty room",
            clock=clock,
        )
    csrf = sign_in(app_client, db, clock, world.other_facilitator)
    page = app_client.get("/dashboard/bookings")
    assert "Frailty room" not in page.text and "Frailty pathway" not in page.text
    assert app_client.get(f"/dashboard/bookings?cohort={world.frailty}").status_code == 404
    refused = app_client.post(f"/dashboard/bookings/slots/{slot.id}/cancel", data={"csrf": csrf})
    assert refused.status_code == 404
    assert _slots(db)[0].status == SlotStatus.OPEN
