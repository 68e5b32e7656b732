"""Claims in the security table's Frailty pathway (issue 18): three sent for review (to
approve, query and reject), one approved (to mark paid), and a receipt photo on the first."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Claim, ClaimExpense, ClaimStatus, Meeting
from tests.web.conftest import World

RECEIPT = b"\xff\xd8\xff receipt of Amina's"


def make_claims(db: Database, clock: FakeClock, world: World) -> tuple[tuple[int, ...], int]:
    """(the four claims' ids, the receipt's expense id)."""
    made = []
    with db.transaction() as session:
        for number, status in enumerate((ClaimStatus.SUBMITTED,) * 3 + (ClaimStatus.APPROVED,)):
            held = Meeting(
                cohort_id=world.frailty,
                title=f"Held board {number}",
                starts_at=clock.now() - timedelta(days=number + 1),
                ends_at=clock.now() - timedelta(days=number + 1, hours=-2),
                planned_at=clock.now(),
                created_at=clock.now(),
                updated_at=clock.now(),
            )
            session.add(held)
            session.flush()
            claim = Claim(
                person_id=world.partner,
                cohort_id=world.frailty,
                meeting_id=held.id or 0,
                status=status,
                basis="hourly",
                hours=Decimal("2.00"),
                fee=Decimal("50.00"),
                created_at=clock.now(),
                submitted_at=clock.now(),
            )
            session.add(claim)
            session.flush()
            made.append(claim.id or 0)
        expense = ClaimExpense(
            claim_id=made[0],
            category="travel",
            amount=Decimal("12.50"),
            receipt=RECEIPT,
            receipt_type="image/jpeg",
            added_at=clock.now(),
        )
        session.add(expense)
        session.flush()
        return tuple(made), expense.id or 0


C = "/dashboard/claims"


def claim_gets(made: tuple[int, ...], receipt: int) -> dict[str, str]:
    """The claims GET routes, with the first claim and its receipt where they take ids."""
    return {
        C: C,
        f"{C}/export.csv": f"{C}/export.csv",
        f"{C}/export.xlsx": f"{C}/export.xlsx",
        f"{C}/rules": f"{C}/rules",
        f"{C}/{{claim_id:int}}": f"{C}/{made[0]}",
        f"{C}/{{claim_id:int}}/receipts/{{expense_id:int}}": f"{C}/{made[0]}/receipts/{receipt}",
    }


def claim_posts(made: tuple[int, ...], cohort: int) -> dict[str, tuple[str, dict[str, str]]]:
    """The decisions, each on a claim in the state it needs; the payment rules."""
    return {
        f"{C}/{{claim_id:int}}/approve": (f"{C}/{made[0]}/approve", {}),
        f"{C}/{{claim_id:int}}/query": (f"{C}/{made[1]}/query", {"question": "Which bus?"}),
        f"{C}/{{claim_id:int}}/reject": (
            f"{C}/{made[2]}/reject",
            {"reason": "This was paid by your employer."},
        ),
        f"{C}/{{claim_id:int}}/paid": (f"{C}/{made[3]}/paid", {}),
        f"{C}/rules/{{cohort_id:int}}": (
            f"{C}/rules/{cohort}",
            {"hourly": "25.00", "session": "", "expenses": "travel", "receipt_over": ""},
        ),
    }
