"""The demo's involvement payments and expenses (issue 18): the cohort's payment rules, who
was at the two past board meetings, and claims in every state (not sent, sent, queried,
approved, paid, rejected), so /claim and the dashboard's Claims page have something to show.
Told-you notices of the past are cancelled: they happened before the demo began."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta

from sqlmodel import Session, col, func, select

from bot.db import Database
from bot.demo.seed import COHORT, by_first_name
from bot.domain import attendance, claims
from bot.domain.clock import Clock, FakeClock
from bot.domain.cohorts import get_cohort
from bot.domain.outbox import cancel_pending
from bot.models import Delivery, Meeting

# The demo cohort's own rules (a coordinator sets them on the dashboard or with
# `tandem cohort payments`); nothing in Tandem assumes a rate.
HOURLY, EXPENSES, RECEIPTS_OVER = "25.00", "travel, parking, care cover, meals", "10.00"


def receipt_image() -> bytes:
    """A small plain PNG standing in for a photographed receipt."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes([250, 248, 240]) * 60 for _ in range(90))
    header = struct.pack(">IIBBBBB", 60, 90, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def seed_claims(db: Database, clock: Clock) -> None:
    """Rules, attendance and claims for the demo's partners, in every state."""
    with db.transaction() as session:
        before = session.exec(select(func.max(Delivery.id))).one() or 0
        cohort = get_cohort(session, name=COHORT)
        claims.set_rules(
            session, cohort_id=cohort.id or 0, hourly=HOURLY, per_session=None,
            expenses=EXPENSES, receipt_over=RECEIPTS_OVER, clock=clock,
        )  # fmt: skip
        people = {name: p.id or 0 for name, p in by_first_name(session).items()}
        past = list(
            session.exec(
                select(Meeting)
                .where(Meeting.cohort_id == cohort.id, col(Meeting.starts_at) < clock.now())
                .order_by(col(Meeting.starts_at))
            ).all()
        )[-2:]
        if len(past) < 2:
            return
        partners = [people[n] for n in ("Amina", "Grace", "Priya", "Kwame") if n in people]
        for meeting in past:
            attendance.confirm_attendance(
                session, meeting_id=meeting.id or 0, person_id=people["Margaret"],
                attended=partners, clock=clock,
            )  # fmt: skip
        _claims(session, clock, people, [m.id or 0 for m in past])
        cancel_pending(
            session,
            clock=clock,
            after_id=before,
            reason="told of a claim decided before the demo began (demo history)",
        )


def _claims(session: Session, clock: Clock, people: dict[str, int], meetings: list[int]) -> None:
    older, newer = meetings
    margaret = people["Margaret"]
    later = FakeClock(clock.now() - timedelta(days=1))
    amina_paid = _sent(session, later, people["Amina"], older, ("travel", "14.60"))
    claims.approve(session, viewer_id=margaret, claim_id=amina_paid, clock=later)
    claims.mark_paid(session, viewer_id=margaret, claim_id=amina_paid, clock=clock)
    _sent(session, clock, people["Amina"], newer, ("parking", "6.50"))
    grace_ok = _sent(session, later, people["Grace"], older, ("care cover", "30.00"))
    claims.approve(session, viewer_id=margaret, claim_id=grace_ok, clock=clock)
    grace_q = _sent(session, later, people["Grace"], newer, ("travel", "22.40"))
    claims.query(
        session, viewer_id=margaret, claim_id=grace_q, clock=clock,
        text="Was the £22.40 a return train ticket? Please say where from.",
    )  # fmt: skip
    priya_no = _sent(session, later, people["Priya"], older, ("meals", "18.00"))
    claims.reject(
        session, viewer_id=margaret, claim_id=priya_no, clock=clock,
        reason="Meals are covered only for meetings over four hours. Travel is still covered.",
    )  # fmt: skip
    claims.start_claim(session, person_id=people["Priya"], meeting_id=newer, clock=clock)  # a draft
    # Kwame opted out of payment (benefits): he claims his travel only.
    claims.set_payment(session, person_id=people["Kwame"], wanted=False, clock=clock)
    _sent(session, clock, people["Kwame"], newer, ("travel", "8.20"))


def _sent(
    session: Session, clock: Clock, person_id: int, meeting_id: int, expense: tuple[str, str]
) -> int:
    """A claim with one expense (a receipt photo when the amount needs one), sent."""
    shown = claims.start_claim(session, person_id=person_id, meeting_id=meeting_id, clock=clock)
    covered = claims.rules_for(session, cohort_id=shown.claim.cohort_id).expenses
    added = claims.add_expense(
        session, person_id=person_id, claim_id=shown.id, category=covered.index(expense[0]),
        amount=expense[1], clock=clock,
    )  # fmt: skip
    claims.attach_receipt(
        session, person_id=person_id, expense_id=added.id or 0, data=receipt_image(),
        content_type="image/png",
    )  # fmt: skip
    claims.submit(session, person_id=person_id, claim_id=shown.id, clock=clock)
    return shown.id
