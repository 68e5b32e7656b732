"""A partner's side of claims: answer the offer after a meeting, start a claim for an
attended meeting, add expenses with receipts, send it, answer a query, opt out of payment."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.domain.attendance import meetings_attended, was_there
from bot.domain.claims.money import ZERO, fee_for, meeting_hours, parse_amount
from bot.domain.claims.rules import choose_payment, opted_out, rules_for
from bot.domain.claims.views import OPEN, ClaimView, views_of
from bot.domain.clock import Clock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.notices import facilitator_ids, notify
from bot.domain.people import get_person
from bot.models import Claim, ClaimExpense, ClaimStatus, Meeting

RECEIPT_LIMIT = 5 * 1024 * 1024  # bytes of one receipt photo kept with a claim
ANSWER_LIMIT = 1000


def price(session: Session, claim: Claim, meeting: Meeting) -> Claim:
    """Set the time part of a claim from the cohort's rules and the partner's choice."""
    rules = rules_for(session, cohort_id=claim.cohort_id)
    basis = "none" if opted_out(session, person_id=claim.person_id) else rules.basis
    claim.basis, claim.hours, claim.fee = basis, ZERO, ZERO
    if basis == "hourly" and rules.hourly_rate is not None:
        claim.hours = meeting_hours(meeting.ends_at - meeting.starts_at)
        claim.fee = fee_for(claim.hours, rules.hourly_rate)
    elif basis == "session" and rules.session_rate is not None:
        claim.hours = meeting_hours(meeting.ends_at - meeting.starts_at)
        claim.fee = rules.session_rate
    return claim


def draft_for(session: Session, *, person_id: int, meeting: Meeting, clock: Clock) -> Claim:
    """The partner's claim for a meeting: the existing one, or a new draft."""
    found = session.exec(
        select(Claim).where(Claim.person_id == person_id, Claim.meeting_id == meeting.id)
    ).first()
    if found is not None:
        return found
    claim = Claim(
        person_id=person_id,
        cohort_id=meeting.cohort_id,
        meeting_id=meeting.id or 0,
        created_at=clock.now(),
    )
    price(session, claim, meeting)
    session.add(claim)
    session.flush()
    return claim


def own_claim(session: Session, *, person_id: int, claim_id: int) -> Claim:
    """One of the partner's own claims (anyone else's is not found, as if absent)."""
    claim = session.get(Claim, claim_id)
    if claim is None or claim.person_id != person_id:
        raise NotFound("claims.not_found")
    return claim


def view(session: Session, *, person_id: int, claim_id: int) -> ClaimView:
    """One of the partner's claims, with its expenses."""
    return views_of(session, [own_claim(session, person_id=person_id, claim_id=claim_id)])[0]


def start_claim(session: Session, *, person_id: int, meeting_id: int, clock: Clock) -> ClaimView:
    """Start (or open) a claim for a meeting a facilitator confirmed the partner was at."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or not was_there(session, meeting_id=meeting_id, person_id=person_id):
        raise NotFound("claims.not_attended")
    claim = draft_for(session, person_id=person_id, meeting=meeting, clock=clock)
    return views_of(session, [claim])[0]


def _editable(session: Session, person_id: int, claim_id: int) -> Claim:
    claim = own_claim(session, person_id=person_id, claim_id=claim_id)
    if claim.status not in OPEN:
        raise Conflict("claims.closed")
    return claim


def submit(session: Session, *, person_id: int, claim_id: int, clock: Clock) -> ClaimView:
    """Send a claim for review: it needs a fee or an expense, and every receipt required."""
    claim = _editable(session, person_id, claim_id)
    shown = views_of(session, [claim])[0]
    if shown.total == ZERO:
        raise Conflict("claims.nothing_to_claim")
    rules = rules_for(session, cohort_id=claim.cohort_id)
    missing = [e for e in shown.expenses if rules.needs_receipt(e.amount) and not e.receipt]
    if missing:
        raise Conflict("claims.receipt_needed", category=missing[0].category)
    if claim.status == ClaimStatus.DRAFT:
        claim.status, claim.submitted_at = ClaimStatus.SUBMITTED, clock.now()
        session.add(claim)
        session.flush()
    return views_of(session, [claim])[0]


def answer_offer(
    session: Session, *, person_id: int, claim_id: int, choice: str, clock: Clock
) -> ClaimView:
    """The offer after a meeting: "yes" sends the claim as it is; "later" keeps it a draft;
    "nopay" records that the partner does not want payment (expenses only, now and later)."""
    claim = _editable(session, person_id, claim_id)
    if choice == "nopay":
        set_payment(session, person_id=person_id, wanted=False, clock=clock)
    elif choice == "yes" and claim.fee > ZERO:
        return submit(session, person_id=person_id, claim_id=claim_id, clock=clock)
    return views_of(session, [claim])[0]


def set_payment(session: Session, *, person_id: int, wanted: bool, clock: Clock) -> bool:
    """Opt in or out of payment; drafts not yet sent are re-priced to match."""
    choose_payment(session, person_id=person_id, wanted=wanted, clock=clock)
    drafts = session.exec(
        select(Claim, Meeting)
        .join(Meeting, col(Meeting.id) == col(Claim.meeting_id))
        .where(Claim.person_id == person_id, Claim.status == ClaimStatus.DRAFT)
    ).all()
    for claim, meeting in drafts:
        session.add(price(session, claim, meeting))
    session.flush()
    return wanted


def add_expense(
    session: Session, *, person_id: int, claim_id: int, category: int, amount: str, clock: Clock
) -> ClaimExpense:
    """An expense on an open claim: one of the cohort's covered categories (by its place in
    the list) and an amount as typed ("£12.50")."""
    claim = _editable(session, person_id, claim_id)
    covered = rules_for(session, cohort_id=claim.cohort_id).expenses
    if not 0 <= category < len(covered):
        raise NotFound("claims.category_unknown")
    expense = ClaimExpense(
        claim_id=claim_id,
        category=covered[category],
        amount=parse_amount(amount),
        added_at=clock.now(),
    )
    session.add(expense)
    session.flush()
    return expense


def own_expense(session: Session, *, person_id: int, expense_id: int) -> ClaimExpense:
    """An expense on one of the partner's open claims."""
    expense = session.get(ClaimExpense, expense_id)
    if expense is None:
        raise NotFound("claims.not_found")
    _editable(session, person_id, expense.claim_id)
    return expense


def needs_receipt(session: Session, *, person_id: int, expense_id: int) -> bool:
    """Whether this expense must have a receipt before its claim can be sent."""
    expense = own_expense(session, person_id=person_id, expense_id=expense_id)
    claim = own_claim(session, person_id=person_id, claim_id=expense.claim_id)
    return rules_for(session, cohort_id=claim.cohort_id).needs_receipt(expense.amount)


def attach_receipt(
    session: Session, *, person_id: int, expense_id: int, data: bytes, content_type: str
) -> ClaimExpense:
    """Keep a receipt photo with an expense (size-capped)."""
    if not data:
        raise InvalidInput("claims.receipt_empty")
    if len(data) > RECEIPT_LIMIT:
        raise InvalidInput("claims.receipt_too_big", megabytes=RECEIPT_LIMIT // (1024 * 1024))
    expense = own_expense(session, person_id=person_id, expense_id=expense_id)
    expense.receipt, expense.receipt_type = data, content_type[:32]
    session.add(expense)
    session.flush()
    return expense


def answer_query(
    session: Session, *, person_id: int, claim_id: int, text: str, clock: Clock
) -> ClaimView:
    """The partner's typed answer to a query: kept with the claim, which goes back for
    review."""
    claim = own_claim(session, person_id=person_id, claim_id=claim_id)
    if claim.status != ClaimStatus.QUERIED:
        raise Conflict("claims.no_query")
    words = " ".join(text.split())
    if not words:
        raise InvalidInput("claims.answer_empty")
    if len(words) > ANSWER_LIMIT:
        raise InvalidInput("claims.answer_too_long", limit=ANSWER_LIMIT)
    claim.answer, claim.status, claim.submitted_at = words, ClaimStatus.SUBMITTED, clock.now()
    session.add(claim)
    session.flush()
    shown = views_of(session, [claim])[0]
    _tell_staff_answered(session, shown, clock=clock)
    return shown


def _tell_staff_answered(session: Session, shown: ClaimView, *, clock: Clock) -> None:
    """Whoever asked, and the cohort's facilitators: the answer is on the claim's page."""
    claim = shown.claim
    staff = set(facilitator_ids(session, cohort_ids=[claim.cohort_id]))
    if claim.decided_by is not None:
        staff.add(claim.decided_by)
    notify(
        session,
        person_ids=staff,
        key="claims.answered",
        clock=clock,
        params={"name": get_person(session, person_id=claim.person_id).preferred_name or "",
                "meeting": shown.meeting},
        about=claim.person_id,
    )  # fmt: skip


@dataclass(frozen=True)
class MyClaims:
    """A partner's /claim: their claims, meetings they could still claim for, and whether
    they have opted out of payment."""

    claims: list[ClaimView]
    claimable: list[Meeting]
    opted_out: bool


def my_claims(session: Session, *, person_id: int) -> MyClaims:
    """Everything the partner sees in /claim, newest first."""
    claims = list(
        session.exec(
            select(Claim).where(Claim.person_id == person_id).order_by(col(Claim.id).desc())
        ).all()
    )
    claimed = {c.meeting_id for c in claims}
    attended = [m for m in meetings_attended(session, person_id=person_id) if m.id not in claimed]
    return MyClaims(
        claims=views_of(session, claims),
        claimable=list(reversed(attended)),
        opted_out=opted_out(session, person_id=person_id),
    )
