"""Safeguarding concerns: when a partner's words suggest distress or risk, the people who can
help are told at once (facilitators of their cohorts and every coordinator), with the
message (but never the words of a private entry), by an urgent notice that quiet hours do
not hold back. Each alert is audited (who, when, which kind of concern; never the words
themselves) and kept as a Concern: staff acknowledge it (and say when they have contacted
the partner) from the alert's buttons or the dashboard; one nobody acknowledges within 30
minutes goes to the coordinators again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.domain import audit, notices
from bot.domain.clock import Clock
from bot.domain.cohorts import run_by
from bot.domain.errors import NotFound
from bot.domain.people import cohorts_of, get_person, names_of
from bot.domain.safeguarding import Match
from bot.models import Concern, Membership

ALERT_TEXT_LIMIT = 1500
ESCALATE_AFTER = timedelta(minutes=30)


def raise_concern(
    session: Session,
    *,
    person_id: int,
    text: str,
    match: Match,
    clock: Clock,
    private: bool = False,
) -> list[int]:
    """Alert the partner's facilitators and the coordinators; returns who was alerted."""
    _, alerted = alert(
        session, person_id=person_id, text=text, match=match, clock=clock, private=private
    )
    return alerted


def alert(
    session: Session,
    *,
    person_id: int,
    text: str,
    match: Match,
    clock: Clock,
    private: bool = False,
    given: str = "NHS 111, Samaritans (116 123) and 999",
) -> tuple[int, list[int]]:
    """Alert the partner's facilitators and the coordinators; returns the concern's id (for
    the buttons of the partner's signpost) and who was alerted. `given` names the help the
    partner was sent.

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
    concern = Concern(
        person_id=person_id, category=match.category, private=private, raised_at=clock.now()
    )
    session.add(concern)
    session.flush()
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
            "given": given,
        }
        | ({} if private else {"text": words}),
        buttons=_buttons(concern.id or 0),
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
    return concern.id or 0, staff


def _own(session: Session, *, person_id: int, concern_id: int) -> Concern:
    """The partner's own concern (a signpost's button names it); NotFound for anyone else's."""
    concern = session.get(Concern, concern_id)
    if concern is None or concern.person_id != person_id:
        raise NotFound("concern.not_yours")
    return concern


def say_safe(session: Session, *, person_id: int, concern_id: int, clock: Clock) -> Concern:
    """The partner tapped "I'm safe now" on their signpost: noted on the concern (once), so
    the staff who follow it up know."""
    concern = _own(session, person_id=person_id, concern_id=concern_id)
    if concern.safe_at is None:
        concern.safe_at = clock.now()
        session.add(concern)
        audit.record(
            session,
            clock=clock,
            action="safeguarding.safe",
            actor_id=person_id,
            subject_id=person_id,
            detail=f"concern {concern_id}",
        )
    return concern


@dataclass(frozen=True)
class ContactAsked:
    """A partner asked to be contacted: who will do it (first names of their facilitators)
    and how many people were told."""

    category: str
    facilitators: list[str]
    told: int


def ask_for_contact(
    session: Session, *, person_id: int, concern_id: int, clock: Clock
) -> ContactAsked:
    """The partner tapped "Please contact me" on their signpost: marked on the concern, and
    their facilitators and the coordinators told urgently (once, however often it is tapped)."""
    concern = _own(session, person_id=person_id, concern_id=concern_id)
    person = get_person(session, person_id=person_id)
    places = cohorts_of(session, person_id=person_id)
    facilitators = notices.facilitator_ids(session, cohort_ids=[p.cohort.id or 0 for p in places])
    staff = sorted((set(facilitators) | set(notices.coordinator_ids(session))) - {person_id})
    if concern.contact_asked_at is None:
        concern.contact_asked_at = clock.now()
        session.add(concern)
        notices.notify(
            session,
            person_ids=staff,
            key="notify.safeguarding_contact_asked",
            clock=clock,
            params={
                "name": person.preferred_name or "A partner",
                "cohorts": [p.cohort.name for p in places],
            },
            buttons=_buttons(concern_id),
            urgent=True,
            dedupe=f"contact{concern_id}",
            about=person_id,
        )
        audit.record(
            session,
            clock=clock,
            action="safeguarding.contact_asked",
            actor_id=person_id,
            subject_id=person_id,
            detail=f"concern {concern_id}: {len(staff)} people told",
        )
    names = names_of(session, set(facilitators) - {person_id})
    return ContactAsked(concern.category, sorted(set(names.values())), len(staff))


def _buttons(concern_id: int) -> list[list[notices.ButtonSpec]]:
    return [
        [("notify.buttons.acknowledge", "concern.acknowledge", (concern_id,))],
        [("notify.buttons.contacted", "concern.contacted", (concern_id,))],
    ]


def _in_scope(session: Session, viewer_id: int, concern: Concern) -> bool:
    cohorts = run_by(session, person_id=viewer_id)
    if cohorts is None:
        return True
    return (
        session.exec(
            select(Membership.id).where(
                Membership.person_id == concern.person_id, col(Membership.cohort_id).in_(cohorts)
            )
        ).first()
        is not None
    )


def acknowledge(
    session: Session, *, viewer_id: int, concern_id: int, contacted: bool, clock: Clock
) -> Concern:
    """A member of staff has seen the alert (and, with `contacted`, reached the partner).
    Only staff of the partner's cohorts and coordinators; anyone else gets NotFound."""
    concern = session.get(Concern, concern_id)
    if concern is None or not _in_scope(session, viewer_id, concern):
        raise NotFound("concern.not_found")
    now = clock.now()
    if concern.acknowledged_at is None:
        concern.acknowledged_at, concern.acknowledged_by = now, viewer_id
    if contacted and concern.contacted_at is None:
        concern.contacted_at = now
    session.add(concern)
    audit.record(
        session,
        clock=clock,
        action="safeguarding.contacted" if contacted else "safeguarding.acknowledged",
        actor_id=viewer_id,
        subject_id=concern.person_id,
        detail=f"concern {concern_id}",
    )
    return concern


def escalate_unacknowledged(session: Session, *, clock: Clock) -> int:
    """Alerts nobody acknowledged within 30 minutes, and requests to be contacted that
    nobody answered within 30 minutes, go to every coordinator again, urgently (once each,
    without any words); returns how many."""
    now = clock.now()
    unseen = session.exec(
        select(Concern).where(
            col(Concern.acknowledged_at).is_(None),
            col(Concern.escalated_at).is_(None),
            col(Concern.raised_at) <= now - ESCALATE_AFTER,
        )
    ).all()
    for concern in unseen:
        key, since = "notify.safeguarding_unacknowledged", concern.raised_at
        _escalate(session, concern, key, since, f"escalate{concern.id}", clock)
        concern.escalated_at = now
        session.add(concern)
    uncontacted = session.exec(
        select(Concern).where(
            col(Concern.contacted_at).is_(None),
            col(Concern.contact_escalated_at).is_(None),
            col(Concern.contact_asked_at) <= now - ESCALATE_AFTER,
        )
    ).all()
    for concern in uncontacted:
        key, since = "notify.safeguarding_contact_waiting", concern.contact_asked_at or now
        _escalate(session, concern, key, since, f"waiting{concern.id}", clock)
        concern.contact_escalated_at = now
        session.add(concern)
    return len(unseen) + len(uncontacted)


def _escalate(
    session: Session, concern: Concern, key: str, since: datetime, dedupe: str, clock: Clock
) -> None:
    """Tell every coordinator, urgently and once, that a concern is still waiting."""
    person = get_person(session, person_id=concern.person_id)
    notices.notify(
        session,
        person_ids=notices.coordinator_ids(session),
        key=key,
        clock=clock,
        params={
            "name": person.preferred_name or "A partner",
            "cohorts": [p.cohort.name for p in cohorts_of(session, person_id=person.id or 0)],
            "minutes": int((clock.now() - since).total_seconds() // 60),
        },
        buttons=_buttons(concern.id or 0),
        urgent=True,
        dedupe=dedupe,
        about=concern.person_id,
    )


@dataclass(frozen=True)
class ConcernRow:
    """An alert as the dashboard lists it."""

    concern: Concern
    partner: str
    acknowledged_by: str


def concerns_for(session: Session, *, viewer_id: int, limit: int = 200) -> list[ConcernRow]:
    """Alerts about partners of the viewer's cohorts (all, for a coordinator), newest first."""
    query = select(Concern).order_by(col(Concern.raised_at).desc()).limit(limit)
    cohorts = run_by(session, person_id=viewer_id)
    if cohorts is not None:
        members = select(Membership.person_id).where(col(Membership.cohort_id).in_(cohorts))
        query = query.where(col(Concern.person_id).in_(members))
    found = list(session.exec(query).all())
    names = names_of(
        session,
        {c.person_id for c in found} | {c.acknowledged_by for c in found if c.acknowledged_by},
    )
    return [
        ConcernRow(c, names.get(c.person_id, ""), names.get(c.acknowledged_by or 0, ""))
        for c in found
    ]


def unacknowledged(session: Session) -> int:
    """How many alerts nobody has acknowledged yet (for /metrics)."""
    return len(session.exec(select(Concern.id).where(col(Concern.acknowledged_at).is_(None))).all())
