"""Values for the claims pages (issue 18) in the dashboard's render test: claims with and
without receipts, each status, an opted-out partner, and each group's payment rules."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tests.web.dashboard_values import Thing

NAMES = ("Priya & Kwame", 'Dr <Sam> "Sammy"', "Amina 🌻")
STATUSES = ("submitted", "queried", "approved", "paid", "rejected")


def _claim(round_: int) -> Thing:
    status = STATUSES[round_ % len(STATUSES)]
    expenses = [
        Thing(id=3, category="care cover", amount=Decimal("12.50"), receipt=True),
        Thing(id=4, category="travel & <parking>", amount=Decimal("0.10"), receipt=False),
    ][: round_ % 3]
    claim = Thing(
        status=Thing(value=status),
        basis=("hourly", "session", "none")[round_ % 3],
        hours=Decimal("2.00"),
        fee=Decimal("50.00"),
        question="Which <bus> & when?" if round_ % 2 else None,
        answer="The 42 & back" if round_ % 2 else None,
        reason="Not covered & <why>" if status == "rejected" else None,
    )
    shown = Thing(
        id=9,
        claim=claim,
        meeting="Q&A: <Diabetes> care",
        meeting_at=datetime(2026, 3, 3, 14, 5, tzinfo=UTC),
        expenses=expenses,
        expenses_total=Decimal("12.60"),
        total=Decimal("62.60"),
    )
    return Thing(
        shown=shown, name=NAMES[round_ % 3], cohort="Carers 🌻", month="2026-03",
        opted_out=round_ % 2 == 0,
    )  # fmt: skip


def claims_values(template: str, round_: int) -> dict[str, Any]:
    """The values only the claims pages use, or nothing for other pages."""
    if template not in ("claims.html", "claim.html", "claims_rules.html"):
        return {}
    rules = Thing(
        basis=("hourly", "session", "none")[round_ % 3],
        hourly_rate=Decimal("25.00") if round_ % 3 == 0 else None,
        session_rate=Decimal("70.00") if round_ % 3 == 1 else None,
        expenses=("travel", "care cover") if round_ % 2 else (),
        receipt_over=Decimal("10.00") if round_ % 2 else None,
    )
    cohort = Thing(id=2, name="Heart & Lungs <North>")
    return {
        "found": [_claim(round_), _claim(round_ + 1)][: round_ % 3],
        "one": _claim(round_),
        "chosen": Thing(
            cohort_id=(None, 2)[round_ % 2],
            status=(None, Thing(value="approved"))[round_ % 2],
            month=(None, "2026-03")[round_ % 2],
        ),
        "statuses": list(STATUSES),
        "query": "status=approved",
        "done": ("", "approved", "saved")[round_ % 3],
        "cohorts": [cohort],
        "shown": [(cohort, rules)][: 1 + round_ % 2],
    }
