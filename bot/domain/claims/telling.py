"""What a partner is told about their claim, through the outbox (quiet hours apply): the
offer after a meeting, a reminder, and each decision staff make."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.domain.claims.money import pounds
from bot.domain.claims.views import ClaimView
from bot.domain.clock import Clock
from bot.domain.notices import ButtonSpec, notify
from bot.domain.people import get_person
from bot.domain.when import local_date_label


def claim_params(session: Session, shown: ClaimView, *, clock: Clock) -> dict[str, Any]:
    """The claim's meeting, day (in the partner's time zone), hours and amounts, as words."""
    person = get_person(session, person_id=shown.claim.person_id)
    return {
        "meeting": shown.meeting,
        "day": local_date_label(shown.meeting_at, person.time_zone, now=clock.now()),
        "hours": f"{shown.claim.hours.normalize():f}",
        "basis": shown.claim.basis,
        "fee": pounds(shown.claim.fee),
        "expenses": pounds(shown.expenses_total),
        "total": pounds(shown.total),
    }


def tell(
    session: Session,
    shown: ClaimView,
    *,
    key: str,
    clock: Clock,
    buttons: list[list[ButtonSpec]] | None = None,
    dedupe: str | None = None,
    **extra: Any,
) -> int:
    """Queue one notice about a claim to its partner."""
    claim_id = shown.id
    return notify(
        session,
        person_ids=[shown.claim.person_id],
        key=key,
        clock=clock,
        params=claim_params(session, shown, clock=clock) | extra,
        buttons=buttons or [[("claims.buttons.show", "claim.show", (claim_id,))]],
        dedupe=dedupe,
        about=shown.claim.person_id,
    )
