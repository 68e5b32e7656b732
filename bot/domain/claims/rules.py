"""Each cohort's payment rules (set by coordinators) and each partner's choice about payment.

No rate is ever assumed: a cohort without rules, or without a rate, pays expenses only. The
rates are the programme's own (NHS England's guidance on involvement payments leaves them to
each organisation).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, select

from bot.domain.claims.money import parse_amount
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput, NotFound
from bot.models import Cohort, PaymentChoice, PaymentRules

CATEGORY_LIMIT = 8  # categories a cohort covers (each is one button)


@dataclass(frozen=True)
class Rules:
    """What a cohort pays: an hourly or a per-session rate (or neither), the expenses it
    covers, and the amount above which a receipt is needed."""

    cohort_id: int
    hourly_rate: Decimal | None
    session_rate: Decimal | None
    expenses: tuple[str, ...]
    receipt_over: Decimal | None

    @property
    def basis(self) -> str:
        """How time is paid: "hourly", "session" or "none" (expenses only)."""
        if self.hourly_rate is not None:
            return "hourly"
        return "session" if self.session_rate is not None else "none"

    def needs_receipt(self, amount: Decimal) -> bool:
        """Whether an expense of this amount needs a receipt."""
        return self.receipt_over is not None and amount > self.receipt_over


def categories(text: str) -> tuple[str, ...]:
    """ "travel, parking, care cover" as its categories, tidied and without repeats."""
    found: list[str] = []
    for part in text.replace(";", ",").split(","):
        name = " ".join(part.split()).lower()[:32]
        if name and name not in found:
            found.append(name)
    if len(found) > CATEGORY_LIMIT:
        raise InvalidInput("claims.too_many_categories", limit=CATEGORY_LIMIT)
    return tuple(found)


def rules_for(session: Session, *, cohort_id: int) -> Rules:
    """A cohort's payment rules (expenses only, covering nothing, when none are set)."""
    row = session.exec(select(PaymentRules).where(PaymentRules.cohort_id == cohort_id)).first()
    if row is None:
        return Rules(cohort_id, None, None, (), None)
    return Rules(
        cohort_id,
        row.hourly_rate,
        row.session_rate,
        categories(row.expenses),
        row.receipt_over,
    )


def _optional(text: str | None) -> Decimal | None:
    return None if text is None or not text.strip() else parse_amount(text, allow_zero=True)


def set_rules(
    session: Session,
    *,
    cohort_id: int,
    hourly: str | None,
    per_session: str | None,
    expenses: str,
    receipt_over: str | None,
    clock: Clock,
) -> Rules:
    """Set a cohort's payment rules from what a coordinator typed (blank: no rate)."""
    if session.get(Cohort, cohort_id) is None:
        raise NotFound("cohort.not_found")
    hourly_rate, session_rate = _optional(hourly), _optional(per_session)
    if hourly_rate is not None and session_rate is not None:
        raise InvalidInput("claims.one_rate")
    row = session.exec(
        select(PaymentRules).where(PaymentRules.cohort_id == cohort_id)
    ).first() or PaymentRules(cohort_id=cohort_id)
    row.hourly_rate, row.session_rate = hourly_rate, session_rate
    row.expenses = ",".join(categories(expenses))
    row.receipt_over = _optional(receipt_over)
    row.updated_at = clock.now()
    session.add(row)
    session.flush()
    return rules_for(session, cohort_id=cohort_id)


def opted_out(session: Session, *, person_id: int) -> bool:
    """Whether the partner has chosen not to be paid (expenses only)."""
    choice = session.exec(select(PaymentChoice).where(PaymentChoice.person_id == person_id)).first()
    return choice is not None and choice.opted_out


def choose_payment(session: Session, *, person_id: int, wanted: bool, clock: Clock) -> bool:
    """Record whether the partner wants to be paid for their time; returns the choice."""
    choice = session.exec(
        select(PaymentChoice).where(PaymentChoice.person_id == person_id)
    ).first() or PaymentChoice(person_id=person_id)
    choice.opted_out, choice.decided_at = not wanted, clock.now()
    session.add(choice)
    session.flush()
    return wanted
