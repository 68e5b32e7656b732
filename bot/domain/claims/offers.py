"""After a facilitator confirms who attended, each partner who was there is offered a
claim ("Claim 2 hours for Thursday's board?"), and reminded once if they have not claimed a
few days later. Both run in the planner's follow-ups; both are idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from bot.domain.claims.partner import draft_for
from bot.domain.claims.rules import opted_out, rules_for
from bot.domain.claims.telling import tell
from bot.domain.claims.views import views_of
from bot.domain.clock import Clock
from bot.models import (
    Attendance,
    Claim,
    ClaimStatus,
    Meeting,
    MeetingStatus,
    Person,
    PersonStatus,
    Role,
)

OFFER_WITHIN = timedelta(days=30)  # attendance confirmed longer ago is not offered again
REMIND_AFTER = timedelta(days=4)


def _offer_buttons(claim_id: int, paid: bool) -> list[list[tuple[str, str, tuple[int | str, ...]]]]:
    if paid:
        return [
            [("claims.buttons.yes", "claim.offer", (claim_id, "yes"))],
            [("claims.buttons.later", "claim.offer", (claim_id, "later"))],
            [("claims.buttons.nopay", "claim.offer", (claim_id, "nopay"))],
        ]
    return [
        [("claims.buttons.add_expense", "claim.expense", (claim_id,))],
        [("claims.buttons.later", "claim.offer", (claim_id, "later"))],
    ]


def offer_claims(session: Session, *, clock: Clock) -> int:
    """Offer a claim to every partner confirmed at a meeting who has none for it yet."""
    now = clock.now()
    rows = session.exec(
        select(Attendance, Meeting)
        .join(Meeting, col(Meeting.id) == col(Attendance.meeting_id))
        .join(Person, col(Person.id) == col(Attendance.person_id))
        .outerjoin(
            Claim,
            (col(Claim.meeting_id) == col(Attendance.meeting_id))
            & (col(Claim.person_id) == col(Attendance.person_id)),
        )
        .where(
            col(Attendance.attended).is_(True),
            col(Attendance.confirmed_at) >= now - OFFER_WITHIN,
            Meeting.status == MeetingStatus.SCHEDULED,
            Person.role == Role.PARTNER,
            Person.status == PersonStatus.ACTIVE,
            col(Claim.id).is_(None),
        )
    ).all()
    offered = 0
    for attendance, meeting in rows:
        if not _anything_to_claim(session, attendance.person_id, meeting.cohort_id):
            continue
        offered += 1
        claim = draft_for(session, person_id=attendance.person_id, meeting=meeting, clock=clock)
        shown = views_of(session, [claim])[0]
        tell(
            session,
            shown,
            key="claims.offer",
            clock=clock,
            buttons=_offer_buttons(shown.id, claim.fee > 0),
            dedupe=f"claim-offer-{shown.id}",
        )
    return offered


def _anything_to_claim(session: Session, person_id: int, cohort_id: int) -> bool:
    """A cohort that pays for time (and a partner who wants it) or covers expenses."""
    rules = rules_for(session, cohort_id=cohort_id)
    paid = rules.basis != "none" and not opted_out(session, person_id=person_id)
    return paid or bool(rules.expenses)


def remind_unclaimed(session: Session, *, clock: Clock) -> int:
    """Remind each partner once of a claim offered a few days ago and not yet sent."""
    now = clock.now()
    due = session.exec(
        select(Claim)
        .join(Person, col(Person.id) == col(Claim.person_id))
        .where(
            Claim.status == ClaimStatus.DRAFT,
            col(Claim.created_at) <= now - REMIND_AFTER,
            col(Claim.reminded_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
        )
    ).all()
    for claim in due:
        shown = views_of(session, [claim])[0]
        tell(
            session,
            shown,
            key="claims.reminder",
            clock=clock,
            buttons=_offer_buttons(shown.id, claim.fee > 0),
            dedupe=f"claim-remind-{shown.id}",
        )
        claim.reminded_at = now
        session.add(claim)
    return len(due)
