"""Involvement payments and expenses (issue 18): each cohort's payment rules, a partner's
choice about payment, and their claims with expenses and receipts.

Money is exact: Numeric columns read back as Decimal, in pounds sterling (GBP), two places.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import LargeBinary, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import _enum, _ts

MONEY = Numeric(10, 2)


class ClaimStatus(StrEnum):
    """Where a claim stands: a draft (offered after a meeting, or being put together),
    submitted for review, queried (a question waits for the partner), approved, rejected,
    or paid."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    QUERIED = "queried"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


class PaymentRules(SQLModel, table=True):
    """A cohort's payment rules, set by a coordinator. No row, or no rate, means partners
    claim expenses only: no rate is ever assumed."""

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", unique=True)
    hourly_rate: Decimal | None = Field(default=None, sa_type=MONEY)
    session_rate: Decimal | None = Field(default=None, sa_type=MONEY)
    # Expense categories covered, comma separated ("travel,parking,care,meals").
    expenses: str = Field(default="", max_length=200)
    # A receipt is needed for an expense above this amount (None: never required).
    receipt_over: Decimal | None = Field(default=None, sa_type=MONEY)
    updated_at: datetime = _ts(nullable=False)


class PaymentChoice(SQLModel, table=True):
    """A partner's choice about being paid (some opt out, for example for benefits
    reasons): opted out means they are offered expenses only."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    opted_out: bool = Field(default=False)
    decided_at: datetime = _ts(nullable=False)


class Claim(SQLModel, table=True):
    """A partner's claim for one attended meeting: their time (hours at the cohort's rate,
    or one session) and expenses. After /forget only a paid claim stays, without words or
    receipts: what finance records must keep."""

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    cohort_id: int = Field(foreign_key="cohort.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    status: ClaimStatus = _enum(ClaimStatus, default=ClaimStatus.DRAFT, index=True)
    # The time claimed: "hourly", "session" or "none" (expenses only).
    basis: str = Field(default="none", max_length=16)
    hours: Decimal = Field(default=Decimal("0"), sa_type=Numeric(6, 2))
    fee: Decimal = Field(default=Decimal("0"), sa_type=MONEY)
    created_at: datetime = _ts(nullable=False)
    submitted_at: datetime | None = _ts()
    decided_at: datetime | None = _ts()
    # Who made the last decision (approve, query, reject, paid); None once they are erased.
    decided_by: int | None = Field(default=None, foreign_key="person.id")
    paid_at: datetime | None = _ts()
    question: str | None = Field(default=None, max_length=500)  # staff's query
    answer: str | None = Field(default=None, max_length=1000)  # the partner's reply
    reason: str | None = Field(default=None, max_length=500)  # why it was rejected
    reminded_at: datetime | None = _ts()


class ClaimExpense(SQLModel, table=True):
    """One expense on a claim: a category, an exact amount and, if sent, the receipt photo."""

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    category: str = Field(max_length=32)
    amount: Decimal = Field(sa_type=MONEY)
    receipt: bytes | None = Field(default=None, sa_type=LargeBinary)
    receipt_type: str | None = Field(default=None, max_length=32)
    added_at: datetime = _ts(nullable=False)
