"""Claims in the role table's cohort (issue 18): Amina's claim for the meeting held
yesterday, with an expense, and Chloe's (the partner who acts) own draft for it; and who may
press each claim button."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.db import Database
from bot.domain.claims.partner import draft_for
from bot.domain.clock import FakeClock
from bot.models import AgendaItem, Attendance, ClaimExpense, Meeting
from bot.telegram import callbacks
from tests.e2e.role_sets import PARTNERS

if TYPE_CHECKING:  # role_world imports this module
    from tests.e2e.role_world import World


def make_claims(
    db: Database, clock: FakeClock, ids: dict[str, int], accepted_item: int
) -> tuple[int, int, int]:
    """(Amina's claim, its expense, Chloe's claim) for the meeting Bill's item was for."""
    with db.transaction() as session:
        item = session.get(AgendaItem, accepted_item)
        assert item is not None and item.meeting_id is not None
        held = session.get(Meeting, item.meeting_id)
        assert held is not None
        amina, chloe = (_claim(session, clock, ids[who], held) for who in ("amina", "chloe"))
        expense = ClaimExpense(
            claim_id=amina, category="travel", amount=Decimal("4.20"), added_at=clock.now()
        )
        session.add(expense)
        session.flush()
        return amina, expense.id or 0, chloe


def _claim(session: Session, clock: FakeClock, person_id: int, held: Meeting) -> int:
    session.add(
        Attendance(
            meeting_id=held.id or 0, person_id=person_id, attended=True, confirmed_at=clock.now()
        )
    )
    return draft_for(session, person_id=person_id, meeting=held, clock=clock).id or 0


def claim_buttons(w: World) -> dict[str, frozenset[str]]:
    """A partner's own claims only; Amina's is nobody else's to touch."""
    return {
        callbacks.CLAIMS(): PARTNERS,
        callbacks.CLAIM_START(w.meeting): frozenset(),  # nobody was at a meeting to come
        callbacks.CLAIM_OFFER(w.claim, "yes"): frozenset(),
        callbacks.CLAIM_OFFER(w.own_claim, "later"): PARTNERS,
        callbacks.CLAIM_SHOW(w.claim): frozenset(),
        callbacks.CLAIM_SHOW(w.own_claim): PARTNERS,
        callbacks.CLAIM_EXPENSE(w.claim): frozenset(),
        callbacks.CLAIM_EXPENSE(w.own_claim): PARTNERS,
        callbacks.CLAIM_CATEGORY(w.claim, 0): frozenset(),
        callbacks.CLAIM_NO_RECEIPT(w.expense): frozenset(),
        callbacks.CLAIM_SEND(w.claim): frozenset(),
        callbacks.CLAIM_ANSWER(w.claim): frozenset(),
        callbacks.CLAIM_PAYMENT("off"): PARTNERS,
    }
