"""Approved claims for finance: one line per person and month, with the fee, each expense
category and the total; every figure exact."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlmodel import Session

from bot.domain.claims.money import ZERO, total
from bot.domain.claims.review import ClaimFilter, claim_list
from bot.models import ClaimStatus


@dataclass
class FinanceLine:
    """One person's approved claims in one month."""

    person_id: int
    name: str
    cohort: str
    month: str
    claims: int = 0
    hours: Decimal = ZERO
    fees: Decimal = ZERO
    expenses: dict[str, Decimal] = field(default_factory=dict)

    @property
    def expenses_total(self) -> Decimal:
        """Every expense of the month, exactly."""
        return total(self.expenses.values())

    @property
    def total(self) -> Decimal:
        """Fees and expenses."""
        return total([self.fees, self.expenses_total])


def finance_lines(session: Session, *, viewer_id: int, wanted: ClaimFilter) -> list[FinanceLine]:
    """Approved claims (or paid ones, if asked), grouped by person and month."""
    status = wanted.status if wanted.status == ClaimStatus.PAID else ClaimStatus.APPROVED
    found = claim_list(
        session,
        viewer_id=viewer_id,
        wanted=ClaimFilter(cohort_id=wanted.cohort_id, status=status, month=wanted.month),
    )
    lines: dict[tuple[int, str, str], FinanceLine] = {}
    spent: dict[tuple[int, str, str], dict[str, list[Decimal]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for one in found:
        claim = one.shown.claim
        key = (claim.person_id, one.cohort, one.month)
        line = lines.setdefault(key, FinanceLine(claim.person_id, one.name, one.cohort, one.month))
        line.claims += 1
        line.hours = total([line.hours, claim.hours])
        line.fees = total([line.fees, claim.fee])
        for expense in one.shown.expenses:
            spent[key][expense.category].append(expense.amount)
    for key, line in lines.items():
        line.expenses = {name: total(amounts) for name, amounts in sorted(spent[key].items())}
    return sorted(lines.values(), key=lambda x: (x.month, x.cohort, x.name, x.person_id))
