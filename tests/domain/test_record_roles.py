"""The record of contribution (issue 18) shows one-to-one briefings a partner had and gave,
and their time as a champion, with how many new partners they helped; never the other
partner's name for a one-to-one they gave, and nothing still to come."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

from pypdf import PdfReader

from bot.db import Database
from bot.domain import bookings, champions, record
from bot.domain.clock import FakeClock
from bot.library.messages import Texts
from bot.models import Role
from tests.factories import library, make_cohort, make_person

TITLES = {key: b.meta.title for key, b in library().briefings.items()}


def _pdf_text(db: Database, clock: FakeClock, person_id: int) -> str:
    with db.transaction() as session:
        made = record.export_record(
            session, person_id=person_id, briefing_titles=TITLES, clock=clock
        )
    data = record.record_pdf(made, Texts.load())
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _slot(db: Database, clock: FakeClock, host: int, cohort: int, days: int) -> int:
    with db.transaction() as session:
        day = (clock.now() + timedelta(days=days)).date()
        slot = bookings.publish(
            session, host_id=host, cohort_id=cohort, day=day, at=time(11), minutes=30,
            where="Room 3B", clock=clock,
        )  # fmt: skip
        return slot.id or 0


def test_one_to_ones_and_the_champion_role_reach_the_record(db: Database, clock: FakeClock) -> None:
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=clock.now().tzinfo))
    cohort = make_cohort(db, clock)
    margaret = make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    amina = make_person(db, clock, cohort, name="Amina")
    bill = make_person(db, clock, cohort, name="Bill")
    cid = cohort.id or 0
    with db.transaction() as session:
        row = champions.ask(
            session, viewer_id=margaret, cohort_id=cid, person_id=amina, clock=clock
        )
        champions.answer(
            session, person_id=amina, champion_id=row.id or 0, accept=True, clock=clock
        )
        offered = champions.offer(
            session, viewer_id=margaret, mentee_id=bill, champion_id=row.id or 0, clock=clock
        )
        champions.answer_offer(
            session, person_id=bill, mentorship_id=offered.id or 0, accept=True, clock=clock
        )
    # Amina books Margaret's time; Bill books Amina's (she is a champion, so she hosts).
    had, gave, later = (
        _slot(db, clock, margaret, cid, 1),
        _slot(db, clock, amina, cid, 2),
        _slot(db, clock, margaret, cid, 20),
    )
    with db.transaction() as session:
        bookings.book(session, person_id=amina, slot_id=had, clock=clock)
        bookings.book(session, person_id=bill, slot_id=gave, clock=clock)
    clock.advance(timedelta(days=5))
    with db.transaction() as session:
        bookings.book(session, person_id=bill, slot_id=later, clock=clock)  # still to come

    text = _pdf_text(db, clock, amina)
    assert "One-to-one briefings" in text
    assert "A one-to-one briefing with Margaret" in text and "3 March 2026" in text
    assert "Gave a one-to-one briefing to a newer partner" in text and "4 March 2026" in text
    assert "Champion for Frailty pathway" in text and "From 2 March 2026" in text
    assert "Helped 1 new partner settle in" in text
    assert "Bill" not in text  # whom she briefed and mentored is theirs to say

    bills = _pdf_text(db, clock, bill)
    assert "A one-to-one briefing with Amina" in bills
    assert "Margaret" not in bills  # his time with Margaret has not happened yet
