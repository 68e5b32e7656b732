"""Claims and /forget, /mydata (issue 18).

/forget erases every claim not yet paid, with its expenses and receipts. A paid claim is a
finance record: it keeps only its amounts, dates, expense categories and meeting; the
partner's words, staff's questions and reasons, and receipt photos go. It still points at
the person row, which erasure has blanked (no name, no contact details)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from bot.domain.claims.views import views_of
from bot.models import Claim, ClaimExpense, ClaimStatus, PaymentChoice, Person


def erase_claims(session: Session, person_id: int) -> None:
    """Unpaid claims go with their expenses; paid ones keep only what finance must."""
    unpaid = select(Claim.id).where(
        Claim.person_id == person_id, col(Claim.status) != ClaimStatus.PAID
    )
    session.execute(delete(ClaimExpense).where(col(ClaimExpense.claim_id).in_(unpaid)))
    session.execute(
        delete(Claim).where(
            col(Claim.person_id) == person_id, col(Claim.status) != ClaimStatus.PAID
        )
    )
    paid = select(Claim.id).where(Claim.person_id == person_id)
    session.execute(
        update(ClaimExpense)
        .where(col(ClaimExpense.claim_id).in_(paid))
        .values(receipt=None, receipt_type=None)
    )
    session.execute(
        update(Claim)
        .where(col(Claim.person_id) == person_id)
        .values(question=None, answer=None, reason=None)
    )


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


def claims_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """The person's claims for /mydata: amounts as text (exact), and for each expense only
    whether a receipt was attached (never the photo itself)."""
    claims = list(
        session.exec(select(Claim).where(Claim.person_id == person.id).order_by(col(Claim.id)))
    )
    return [
        {
            "meeting": shown.meeting,
            "meeting_starts_at": _iso(shown.meeting_at),
            "status": shown.claim.status.value,
            "basis": shown.claim.basis,
            "hours": str(shown.claim.hours),
            "fee_gbp": str(shown.claim.fee),
            "created_at": _iso(shown.claim.created_at),
            "submitted_at": _iso(shown.claim.submitted_at),
            "decided_at": _iso(shown.claim.decided_at),
            "paid_at": _iso(shown.claim.paid_at),
            "question": shown.claim.question,
            "your_answer": shown.claim.answer,
            "reason": shown.claim.reason,
            "expenses": [
                {
                    "category": e.category,
                    "amount_gbp": str(e.amount),
                    "added_at": _iso(e.added_at),
                    "receipt": "a receipt photo was attached" if e.receipt else "no receipt",
                }
                for e in shown.expenses
            ],
        }
        for shown in views_of(session, claims)
    ]


def payment_choice_section(session: Session, person: Person) -> dict[str, Any] | None:
    """Whether the person opted out of payment, and when they said so."""
    choice = session.exec(select(PaymentChoice).where(PaymentChoice.person_id == person.id)).first()
    if choice is None:
        return None
    return {"opted_out_of_payment": choice.opted_out, "decided_at": _iso(choice.decided_at)}
