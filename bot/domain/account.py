"""A person's own account: pausing and resuming messages, leaving Tandem and coming back.

These change more than the person's record (what is waiting in the outbox, what their
facilitators are told, the audit log), so chat and any other adapter call them here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.domain import audit, bookings, changes, conversation, notices, outbox, people, planning
from bot.domain.champions.privacy import end_for_erasure
from bot.domain.changes import ChangeKind
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput
from bot.library.timetable import Timetable
from bot.models import Membership, Person, PersonStatus

# Someone who sent /stop can come back with a bare /start for this long; their memberships
# are kept ready. After it, they need a new invite link (their words stay until /forget).
REJOIN_WITHIN = timedelta(days=365)


def resume(session: Session, *, person_id: int, clock: Clock) -> bool:
    """End a pause now: what it held back becomes due. False if there was no pause."""
    person = people.get_person(session, person_id=person_id)
    if not people.is_paused(person, now=clock.now()):
        return False
    until = changes.iso(person.paused_until)
    people.resume(session, person_id=person_id)
    outbox.resume_deferred(session, person_id=person_id, clock=clock)
    changes.record(session, person_id=person_id, kind=ChangeKind.RESUME, old=until, clock=clock)
    return True


def leave(session: Session, *, person_id: int, clock: Clock) -> Person:
    """The person leaves: their facilitators are told, their memberships end, nothing more
    is sent to them, and it is audited. Their words stay until they ask to be forgotten, and
    a bare /start within `REJOIN_WITHIN` brings them back (`rejoin`)."""
    person = people.get_person(session, person_id=person_id)
    notices.tell_each_cohort(session, person_id=person_id, key="notify.partner_left", clock=clock)
    bookings.give_up(session, person_id=person_id, clock=clock)  # issue 18: a one-to-one
    end_for_erasure(session, person_id=person_id, clock=clock)  # and mentoring, either side
    people.leave(session, person_id=person_id, clock=clock)
    outbox.cancel_pending(session, clock=clock, person_id=person_id, reason="left Tandem")
    audit.record(session, clock=clock, action="left", actor_id=person_id, subject_id=person_id)
    changes.record(session, person_id=person_id, kind=ChangeKind.STOP, clock=clock)
    return person


def rejoin_until(person: Person) -> datetime | None:
    """Until when someone who left can come back with a bare /start (None: they cannot)."""
    if person.status != PersonStatus.LEFT or person.left_at is None:
        return None
    return person.left_at + REJOIN_WITHIN


def can_rejoin(person: Person, *, clock: Clock) -> bool:
    """Whether a bare /start brings this person back now."""
    until = rejoin_until(person)
    return until is not None and clock.now() < until


def rejoin(session: Session, *, person_id: int, timetable: Timetable, clock: Clock) -> Person:
    """Undo /stop: the memberships that ended when the person left start again, what they
    should get is planned again, their facilitators are told, and it is audited. Someone
    who left before finishing joining carries on joining."""
    person = people.get_person(session, person_id=person_id)
    if not can_rejoin(person, clock=clock):
        raise InvalidInput("rejoin.too_late")
    left_at = person.left_at
    for membership in session.exec(
        select(Membership).where(Membership.person_id == person_id, Membership.left_at == left_at)
    ):
        membership.left_at = None
        session.add(membership)
    joining = conversation.get_state(session, person_id=person_id)
    unfinished = joining is not None and joining.flow == "onboarding"
    person.status = PersonStatus.ONBOARDING if unfinished else PersonStatus.ACTIVE
    person.left_at = None
    session.add(person)
    session.flush()
    if person.status == PersonStatus.ACTIVE:
        planning.plan_person(session, person_id=person_id, timetable=timetable, clock=clock)
        notices.tell_each_cohort(
            session, person_id=person_id, key="notify.partner_rejoined", clock=clock
        )
    audit.record(session, clock=clock, action="rejoined", actor_id=person_id, subject_id=person_id)
    changes.record(session, person_id=person_id, kind=ChangeKind.REJOIN, clock=clock)
    return person
