"""Involvement payments and expenses (issue 18, part 4): /claim.

Each cohort has payment rules (an hourly or per-session rate, or none; the expenses it
covers; when a receipt is needed), set by coordinators; no rate is hard-coded. After a
facilitator confirms a partner was at a meeting, the partner is offered a claim through the
outbox; they add expenses with receipt photos and send it. Staff approve, query or reject,
export approved claims for finance and mark them paid; the partner is told each time.

    money.py     exact amounts (Decimal), parsing "£12.50", the rounding rules
    rules.py     a cohort's payment rules; a partner's choice to opt out of payment
    views.py     a claim with its meeting and expenses, as people read it
    partner.py   the partner's side: offers, expenses, receipts, sending, answering a query
    offers.py    the offer after an attended meeting, and one reminder (planner follow-ups)
    telling.py   notices to the partner about their claim
    review.py    staff's side: list, one claim, receipts, approve, query, reject, paid
    finance.py   approved claims per person and month, with totals, for finance
    privacy.py   /forget and /mydata
"""

from bot.domain.claims.finance import FinanceLine, finance_lines
from bot.domain.claims.money import CURRENCY, parse_amount, pounds, total
from bot.domain.claims.offers import offer_claims, remind_unclaimed
from bot.domain.claims.partner import (
    RECEIPT_LIMIT,
    MyClaims,
    add_expense,
    answer_offer,
    answer_query,
    attach_receipt,
    my_claims,
    needs_receipt,
    set_payment,
    start_claim,
    submit,
    view,
)
from bot.domain.claims.review import (
    ClaimFilter,
    StaffClaim,
    approve,
    claim_for_staff,
    claim_list,
    mark_paid,
    query,
    receipt,
    reject,
)
from bot.domain.claims.rules import Rules, opted_out, rules_for, set_rules
from bot.domain.claims.views import ClaimView, Expense

__all__ = [
    "CURRENCY",
    "RECEIPT_LIMIT",
    "ClaimFilter",
    "ClaimView",
    "Expense",
    "FinanceLine",
    "MyClaims",
    "Rules",
    "StaffClaim",
    "add_expense",
    "answer_offer",
    "answer_query",
    "approve",
    "attach_receipt",
    "claim_for_staff",
    "claim_list",
    "finance_lines",
    "mark_paid",
    "my_claims",
    "needs_receipt",
    "offer_claims",
    "opted_out",
    "parse_amount",
    "pounds",
    "query",
    "receipt",
    "reject",
    "remind_unclaimed",
    "rules_for",
    "set_payment",
    "set_rules",
    "start_claim",
    "submit",
    "total",
    "view",
]
