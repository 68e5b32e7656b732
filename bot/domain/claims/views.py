"""What claims look like to the people who read them: a partner's own list, and one claim
with its expenses (never the receipt's bytes: only whether one is attached)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from bot.domain.claims.money import total
from bot.models import Claim, ClaimExpense, ClaimStatus, Meeting

OPEN = (ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.QUERIED)  # partner may add to


@dataclass(frozen=True)
class Expense:
    """One expense as shown: category, amount, and whether a receipt is attached."""

    id: int
    category: str
    amount: Decimal
    receipt: bool
    added_at: datetime


@dataclass(frozen=True)
class ClaimView:
    """A claim with its meeting and expenses, and its totals."""

    claim: Claim
    meeting: str
    meeting_at: datetime
    expenses: list[Expense]

    @property
    def id(self) -> int:
        """The claim's id."""
        return self.claim.id or 0

    @property
    def expenses_total(self) -> Decimal:
        """Every expense added up, exactly."""
        return total(e.amount for e in self.expenses)

    @property
    def total(self) -> Decimal:
        """Fee and expenses together."""
        return total([self.claim.fee, self.expenses_total])

    @property
    def editable(self) -> bool:
        """Whether the partner can still add expenses."""
        return self.claim.status in OPEN


def expenses_of(session: Session, *, claim_ids: list[int]) -> dict[int, list[Expense]]:
    """The expenses of these claims, oldest first, by claim (no receipt bytes loaded)."""
    found: dict[int, list[Expense]] = {i: [] for i in claim_ids}
    if not claim_ids:
        return found
    rows = session.exec(
        select(ClaimExpense)
        .options(defer(ClaimExpense.receipt))  # type: ignore[arg-type]
        .where(col(ClaimExpense.claim_id).in_(claim_ids))
        .order_by(col(ClaimExpense.added_at), col(ClaimExpense.id))
    ).all()
    for row in rows:
        found[row.claim_id].append(
            Expense(
                row.id or 0,
                row.category,
                Decimal(row.amount),
                row.receipt_type is not None,
                row.added_at,
            )
        )
    return found


def views_of(session: Session, claims: list[Claim]) -> list[ClaimView]:
    """Each claim with its meeting and expenses."""
    ids = [c.id or 0 for c in claims]
    spent = expenses_of(session, claim_ids=ids)
    meetings = {
        m.id: m
        for m in session.exec(
            select(Meeting).where(col(Meeting.id).in_([c.meeting_id for c in claims]))
        ).all()
    }
    return [
        ClaimView(
            claim=c,
            meeting=meetings[c.meeting_id].title,
            meeting_at=meetings[c.meeting_id].starts_at,
            expenses=spent[c.id or 0],
        )
        for c in claims
    ]
