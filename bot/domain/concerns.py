"""Safeguarding concerns: when a partner's words suggest distress or risk, the people who can
help are told at once (facilitators of their cohorts and every coordinator), with the
message (but never the words of a private entry), by an urgent notice that quiet hours do
not hold back. Each alert is audited (who, when, which kind of concern; never the words
themselves)."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain import audit, notices
from bot.domain.clock import Clock
from bot.domain.people import cohorts_of, get_person
from bot.domain.safeguarding import Match

ALERT_TEXT_LIMIT = 1500


def raise_concern(
    session: Session,
    *,
    person_id: int,
    text: str,
    match: Match,
    clock: Clock,
    private: bool = False,
) -> list[int]:
    """Alert the partner's facilitators and the coordinators; returns who was alerted.

    `private`: the words were written for the partner alone (a reflection or journal entry
    before they choose who may read it), so the alert says who may be at risk and what
    kind of concern, never the words."""
    person = get_person(session, person_id=person_id)
    places = cohorts_of(session, person_id=person_id)
    staff = sorted(
        set(notices.facilitator_ids(session, cohort_ids=[p.cohort.id or 0 for p in places]))
        | set(notices.coordinator_ids(session))
    )
    staff = [s for s in staff if s != person_id]
    words = text.strip()
    if len(words) > ALERT_TEXT_LIMIT:
        words = words[: ALERT_TEXT_LIMIT - 1] + "…"
    notices.notify(
        session,
        person_ids=staff,
        key="notify.safeguarding_private" if private else "notify.safeguarding",
        clock=clock,
        params={
            "name": person.preferred_name or "A partner",
            "cohorts": [p.cohort.name for p in places],
            "concern": match.label,
            "at": clock.now().isoformat(timespec="minutes"),
        }
        | ({} if private else {"text": words}),
        urgent=True,
        about=person_id,
    )
    where = " (private entry)" if private else ""
    audit.record(
        session,
        clock=clock,
        action="safeguarding.alert",
        actor_id=person_id,
        subject_id=person_id,
        detail=f"{match.category}{where}: {len(staff)} people alerted",
    )
    return staff
