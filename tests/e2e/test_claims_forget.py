"""/forget with claims (issue 18), as the consent texts say beforehand: claims not yet paid
are erased with their receipts; a paid claim stays as a finance record (amounts, dates,
categories, meeting) without words, receipts, name or contact details."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import select

from bot.db import Database
from bot.domain import claims
from bot.domain.clock import FakeClock
from bot.models import Claim, ClaimExpense, ClaimStatus, PaymentChoice, Person, Role
from bot.sandbox import SandboxClient
from tests.e2e.claim_world import attended_meeting, set_rules
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import person, stored_person
from tests.factories import make_cohort


def _claim_with_receipt(
    db: Database, clock: FakeClock, amina: int, meeting_id: int, amount: str
) -> int:
    with db.transaction() as session:
        shown = claims.start_claim(session, person_id=amina, meeting_id=meeting_id, clock=clock)
        expense = claims.add_expense(
            session, person_id=amina, claim_id=shown.id, category=0, amount=amount, clock=clock
        )
        claims.attach_receipt(
            session, person_id=amina, expense_id=expense.id or 0, data=b"receipt",
            content_type="image/jpeg",
        )  # fmt: skip
        claims.submit(session, person_id=amina, claim_id=shown.id, clock=clock)
        return shown.id


async def test_forget_erases_unpaid_claims_and_keeps_paid_ones_without_a_name(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    margaret_id = stored_person(db, name="Margaret").id or 0
    amina_id = stored_person(db, name="Amina").id or 0
    set_rules(db, clock, cohort, hourly="20.00", expenses="travel")
    first = attended_meeting(db, clock, cohort, by=margaret_id, there=[amina_id])
    second = attended_meeting(db, clock, cohort, by=margaret_id, there=[amina_id], title="Next")
    paid = _claim_with_receipt(db, clock, amina_id, first.id or 0, "7.20")
    _claim_with_receipt(db, clock, amina_id, second.id or 0, "4.00")
    with db.transaction() as session:
        claims.query(session, viewer_id=margaret_id, claim_id=paid, text="Which bus?", clock=clock)
        claims.answer_query(session, person_id=amina_id, claim_id=paid, text="The 42", clock=clock)
        claims.approve(session, viewer_id=margaret_id, claim_id=paid, clock=clock)
        claims.mark_paid(session, viewer_id=margaret_id, claim_id=paid, clock=clock)
        claims.set_payment(session, person_id=amina_id, wanted=False, clock=clock)

    await amina.send("/forget")
    asked = await amina.expect("Do you want to erase everything")
    assert "Claims for payment or expenses that are not yet paid are erased too" in asked["text"]
    assert "Paid claims stay as finance records" in asked["text"]
    await amina.press("Yes, erase everything")
    await amina.expect("has been erased")

    with db.reading() as session:
        left = session.exec(select(Claim).where(Claim.person_id == amina_id)).all()
        expenses = session.exec(select(ClaimExpense)).all()
        erased = session.get(Person, amina_id)
        choices = session.exec(select(PaymentChoice)).all()
    assert [c.id for c in left] == [paid]
    kept = left[0]
    assert kept.status == ClaimStatus.PAID and kept.fee == Decimal("40.00")
    assert kept.meeting_id == first.id and kept.paid_at is not None
    assert (kept.question, kept.answer, kept.reason) == (None, None, None)
    assert [(e.claim_id, e.category, e.amount) for e in expenses] == [
        (paid, "travel", Decimal("7.20"))
    ]
    assert expenses[0].receipt is None and expenses[0].receipt_type is None
    assert erased is not None and erased.preferred_name is None and erased.chat_id is None
    assert choices == []
