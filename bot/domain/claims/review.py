"""Staff's side of claims (coordinators, and facilitators for the cohorts they run): a
filtered list, one claim with its receipts, and the decisions: approve, query (a typed
question that goes to the partner in chat), reject (with a reason), mark paid. The partner
is told of each decision through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.claims.rules import opted_out
from bot.domain.claims.telling import tell
from bot.domain.claims.views import ClaimView, views_of
from bot.domain.clock import Clock
from bot.domain.cohorts import require_runs, run_by
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.models import Claim, ClaimExpense, ClaimStatus, Cohort, Person

WORDS_LIMIT = 500


@dataclass(frozen=True)
class ClaimFilter:
    """What the list shows: one cohort, one status, one month ("2026-12"), or all."""

    cohort_id: int | None = None
    status: ClaimStatus | None = None
    month: str | None = None


@dataclass(frozen=True)
class StaffClaim:
    """A claim as staff see it: who, which cohort, and whether they opted out of payment."""

    shown: ClaimView
    name: str
    cohort: str
    month: str  # the meeting's month in the cohort's time zone, "2026-12"
    opted_out: bool


def _month(moment: datetime, zone: str) -> str:
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m}"


def _staff(session: Session, claims: list[Claim]) -> list[StaffClaim]:
    cohorts = {c.id: c for c in session.exec(select(Cohort)).all()}
    ids = list({c.person_id for c in claims})
    names = dict(
        session.exec(select(Person.id, Person.preferred_name).where(col(Person.id).in_(ids))).all()
    )
    found = []
    for shown in views_of(session, claims):
        cohort = cohorts[shown.claim.cohort_id]
        found.append(
            StaffClaim(
                shown=shown,
                name=names.get(shown.claim.person_id) or "(erased)",
                cohort=cohort.name,
                month=_month(shown.meeting_at, cohort.time_zone),
                opted_out=opted_out(session, person_id=shown.claim.person_id),
            )
        )
    return found


def claim_list(session: Session, *, viewer_id: int, wanted: ClaimFilter) -> list[StaffClaim]:
    """Claims of the cohorts the viewer runs (every cohort for a coordinator), newest
    first; drafts not yet sent are left out."""
    query = select(Claim).where(Claim.status != ClaimStatus.DRAFT)
    cohorts = run_by(session, person_id=viewer_id)
    if cohorts is not None:
        query = query.where(col(Claim.cohort_id).in_(cohorts))
    if wanted.cohort_id is not None:
        query = query.where(Claim.cohort_id == wanted.cohort_id)
    if wanted.status is not None:
        query = query.where(Claim.status == wanted.status)
    found = _staff(session, list(session.exec(query.order_by(col(Claim.id).desc())).all()))
    return [c for c in found if wanted.month is None or c.month == wanted.month]


def claim_for_staff(session: Session, *, viewer_id: int, claim_id: int) -> StaffClaim:
    """One claim, for someone who runs its cohort (another cohort's is not found)."""
    claim = session.get(Claim, claim_id)
    if claim is None or claim.status == ClaimStatus.DRAFT:
        raise NotFound("claims.not_found")
    require_runs(session, person_id=viewer_id, cohort_id=claim.cohort_id)
    return _staff(session, [claim])[0]


def receipt(
    session: Session, *, viewer_id: int, claim_id: int, expense_id: int
) -> tuple[bytes, str]:
    """A receipt photo's bytes and type, for someone who runs the claim's cohort."""
    claim_for_staff(session, viewer_id=viewer_id, claim_id=claim_id)
    expense = session.get(ClaimExpense, expense_id)
    if expense is None or expense.claim_id != claim_id or expense.receipt is None:
        raise NotFound("claims.not_found")
    return expense.receipt, expense.receipt_type or "image/jpeg"


def _decide(
    session: Session,
    *,
    viewer_id: int,
    claim_id: int,
    allowed: tuple[ClaimStatus, ...],
    to: ClaimStatus,
    clock: Clock,
) -> Claim:
    claim = claim_for_staff(session, viewer_id=viewer_id, claim_id=claim_id).shown.claim
    if claim.status not in allowed:
        raise Conflict("claims.not_now", status=claim.status.value)
    claim.status, claim.decided_at, claim.decided_by = to, clock.now(), viewer_id
    session.add(claim)
    session.flush()
    return claim


def _words(text: str, key: str) -> str:
    words = " ".join(text.split())
    if not words:
        raise InvalidInput(key)
    if len(words) > WORDS_LIMIT:
        raise InvalidInput("claims.words_too_long", limit=WORDS_LIMIT)
    return words


WAITING = (ClaimStatus.SUBMITTED, ClaimStatus.QUERIED)


def approve(session: Session, *, viewer_id: int, claim_id: int, clock: Clock) -> ClaimView:
    """Approve a claim for payment; the partner is told."""
    claim = _decide(
        session, viewer_id=viewer_id, claim_id=claim_id, allowed=WAITING,
        to=ClaimStatus.APPROVED, clock=clock,
    )  # fmt: skip
    shown = views_of(session, [claim])[0]
    tell(session, shown, key="claims.approved", clock=clock)
    return shown


def query(session: Session, *, viewer_id: int, claim_id: int, text: str, clock: Clock) -> ClaimView:
    """Ask the partner a question about their claim; their typed answer comes back to it."""
    words = _words(text, "claims.question_empty")
    claim = _decide(
        session, viewer_id=viewer_id, claim_id=claim_id, allowed=WAITING,
        to=ClaimStatus.QUERIED, clock=clock,
    )  # fmt: skip
    claim.question, claim.answer = words, None
    shown = views_of(session, [claim])[0]
    tell(
        session,
        shown,
        key="claims.queried",
        clock=clock,
        buttons=[[("claims.buttons.answer", "claim.answer", (shown.id,))]],
        question=words,
    )
    return shown


def reject(
    session: Session, *, viewer_id: int, claim_id: int, reason: str, clock: Clock
) -> ClaimView:
    """Turn a claim down, with a reason the partner is sent."""
    words = _words(reason, "claims.reason_needed")
    claim = _decide(
        session, viewer_id=viewer_id, claim_id=claim_id, allowed=WAITING,
        to=ClaimStatus.REJECTED, clock=clock,
    )  # fmt: skip
    claim.reason = words
    shown = views_of(session, [claim])[0]
    tell(session, shown, key="claims.rejected", clock=clock, reason=words)
    return shown


def mark_paid(session: Session, *, viewer_id: int, claim_id: int, clock: Clock) -> ClaimView:
    """Record that finance has paid an approved claim; the partner is told."""
    claim = _decide(
        session, viewer_id=viewer_id, claim_id=claim_id, allowed=(ClaimStatus.APPROVED,),
        to=ClaimStatus.PAID, clock=clock,
    )  # fmt: skip
    claim.paid_at = claim.decided_at
    shown = views_of(session, [claim])[0]
    tell(session, shown, key="claims.paid", clock=clock)
    return shown
