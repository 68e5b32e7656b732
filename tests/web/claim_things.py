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
