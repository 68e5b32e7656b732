"""Recording what became of each claimed row: sent, deferred, skipped, retried or given up.

Telegram's answers map to results here, in the domain, so every dispatcher records them the
same way: 5xx and time-outs retry with backoff and then park as failed, a 403 marks the
person unreachable and cancels what is pending for them, a 400 fails at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session, col

from bot.domain.clock import Clock
from bot.domain.outbox.judging import Verdict
from bot.domain.outbox.writing import cancel_pending
from bot.models import Delivery, DeliveryStatus, Person

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class DeliveryResult:
    """What became of one row."""

    row_id: int
    status: DeliveryStatus
    due_at: datetime
    error: str | None = None
    person_id: int = 0
    sent_at: datetime | None = None
    message_id: int | None = None

    @property
    def unreachable(self) -> bool:
        """Telegram refused for good: the person blocked the bot or left Telegram."""
        return (self.error or "").startswith("403")


_RECORD_SQL = (
    update(Delivery)
    .where(col(Delivery.id) == bindparam("row_id"))
    .values(
        status=bindparam("new_status"),
        due_at=bindparam("new_due"),
        last_error=bindparam("error"),
        sent_at=bindparam("sent"),
        message_id=bindparam("message"),
        lease_until=None,
        updated_at=bindparam("now"),
    )
)


def record(session: Session, results: list[DeliveryResult], *, clock: Clock) -> None:
    """Write every result in one batch; a refusal for good also marks the person unreachable
    and cancels the rest of what is pending for them."""
    if not results:
        return
    now = clock.now()
    session.connection().execute(
        _RECORD_SQL,
        [
            {
                "row_id": r.row_id,
                "new_status": r.status.value,
                "new_due": r.due_at,
                "error": (r.error or None) and r.error[:300],
                "sent": r.sent_at,
                "message": r.message_id,
                "now": now,
            }
            for r in results
        ],
    )
    for result in results:
        if result.unreachable:
            person_unreachable(
                session, person_id=result.person_id, reason=result.error or "", clock=clock
            )


def sent(row: dict[str, Any], *, now: datetime, message_id: int | None) -> DeliveryResult:
    """The row went out (or its edit or deletion was done)."""
    return DeliveryResult(
        row["id"], DeliveryStatus.SENT, row["due_at"], sent_at=now, message_id=message_id
    )


def put_back(row: dict[str, Any]) -> DeliveryResult:
    """Claimed but not sent (the dispatcher is stopping): due again as it was."""
    return DeliveryResult(row["id"], DeliveryStatus.PENDING, row["due_at"])


def skipped(row: dict[str, Any], reason: str) -> DeliveryResult:
    """Nothing sensible to send (its content is gone, say)."""
    return DeliveryResult(row["id"], DeliveryStatus.SKIPPED, row["due_at"], error=reason)


_NOT_SENT = {
    "cancel": DeliveryStatus.CANCELLED,
    "expire": DeliveryStatus.EXPIRED,
    "skip": DeliveryStatus.SKIPPED,
}


def not_sent(row: dict[str, Any], verdict: Verdict) -> DeliveryResult:
    """A row judged not to go now: deferred (pending again, later) or done without sending."""
    if verdict.action == "defer":
        assert verdict.until is not None
        return DeliveryResult(
            row["id"], DeliveryStatus.PENDING, verdict.until, error=verdict.reason
        )
    return DeliveryResult(row["id"], _NOT_SENT[verdict.action], row["due_at"], error=verdict.reason)


def refused(row: dict[str, Any], error: str) -> DeliveryResult:
    """Telegram refused for good (403): cancelled, and `record` marks the person unreachable."""
    return DeliveryResult(
        row["id"], DeliveryStatus.CANCELLED, row["due_at"], error=error, person_id=row["person_id"]
    )


def backoff(attempt: int, *, base: float = 2.0, cap: float = 600.0) -> timedelta:
    """Exponential backoff with full jitter for the attempt that just failed."""
    return timedelta(seconds=random.uniform(0, min(cap, base * 2 ** max(0, attempt - 1))))


def after_failure(row: dict[str, Any], error: str, *, now: datetime, retry: bool) -> DeliveryResult:
    """A failed attempt: try again later with backoff, or park it as failed."""
    if retry and row["attempts"] < MAX_ATTEMPTS:
        return DeliveryResult(
            row["id"], DeliveryStatus.PENDING, now + backoff(row["attempts"]), error=error
        )
    return DeliveryResult(row["id"], DeliveryStatus.FAILED, row["due_at"], error=error)


def person_unreachable(session: Session, *, person_id: int, reason: str, clock: Clock) -> int:
    """Telegram refused for good (blocked, deactivated): stop, and cancel what is pending."""
    person = session.get(Person, person_id)
    if person is not None and person.unreachable_since is None:
        person.unreachable_since = clock.now()
        person.unreachable_reason = reason[:200]
        session.add(person)
    return cancel_pending(session, clock=clock, person_id=person_id, reason="unreachable")
