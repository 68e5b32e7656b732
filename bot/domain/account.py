"""A person's own account: pausing and resuming messages, and leaving Tandem.

These change more than the person's record (what is waiting in the outbox, what their
facilitators are told, the audit log), so chat and any other adapter call them here.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.domain import audit, notices, outbox, people
from bot.domain.clock import Clock
from bot.models import Person


def resume(session: Session, *, person_id: int, clock: Clock) -> bool:
    """End a pause now: what it held back becomes due. False if there was no pause."""
    person = people.get_person(session, person_id=person_id)
    if not people.is_paused(person, now=clock.now()):
        return False
    people.resume(session, person_id=person_id)
    outbox.resume_deferred(session, person_id=person_id, clock=clock)
    return True


def leave(session: Session, *, person_id: int, clock: Clock) -> Person:
    """The person leaves: their facilitators are told, their memberships end, nothing more
    is sent to them, and it is audited. Their words stay until they ask to be forgotten."""
    person = people.get_person(session, person_id=person_id)
    notices.tell_each_cohort(session, person_id=person_id, key="notify.partner_left", clock=clock)
    people.leave(session, person_id=person_id, clock=clock)
    outbox.cancel_pending(session, clock=clock, person_id=person_id, reason="left Tandem")
    audit.record(session, clock=clock, action="left", actor_id=person_id, subject_id=person_id)
    return person
