"""Messages between a champion and their mentee, relayed through the bot as pairs' are
(bot/domain/pairs.py): first names only, each can stop messages from the other or report a
problem to their facilitator."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain import audit, notices
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.pairs import RELAY_LIMIT, Relay
from bot.domain.people import get_person
from bot.models import Mentorship, MentorshipStatus, Person, PersonStatus


def mentorship_of(session: Session, *, person_id: int, mentorship_id: int) -> Mentorship:
    """A mentorship under way that the person is part of; any other gets NotFound."""
    mentorship = session.get(Mentorship, mentorship_id)
    if (
        mentorship is None
        or mentorship.status != MentorshipStatus.ACTIVE
        or person_id not in (mentorship.champion_id, mentorship.mentee_id)
    ):
        raise NotFound("champions.mentoring_not_found")
    return mentorship


def other_in(session: Session, *, person_id: int, mentorship_id: int) -> Person:
    """The other person of the person's mentorship."""
    mentorship = mentorship_of(session, person_id=person_id, mentorship_id=mentorship_id)
    other = mentorship.mentee_id if mentorship.champion_id == person_id else mentorship.champion_id
    return get_person(session, person_id=other)


def relay(
    session: Session, *, sender_id: int, mentorship_id: int, text: str, clock: Clock
) -> Relay:
    """Pass the words to the other person of the mentorship, under the sender's first name."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("pairs.empty")
    if len(cleaned) > RELAY_LIMIT:
        raise InvalidInput("pairs.too_long", limit=RELAY_LIMIT, length=len(cleaned))
    mentorship = mentorship_of(session, person_id=sender_id, mentorship_id=mentorship_id)
    other = other_in(session, person_id=sender_id, mentorship_id=mentorship_id)
    if other.status != PersonStatus.ACTIVE:
        return Relay(other, "champions.unavailable")
    to_champion = other.id == mentorship.champion_id
    stopped = mentorship.champion_stopped_relay if to_champion else mentorship.mentee_stopped_relay
    if stopped:
        return Relay(other, "champions.not_taking")
    sender = get_person(session, person_id=sender_id)
    ident = mentorship.id or 0
    notices.notify(
        session,
        person_ids=[other.id or 0],
        key="champions.notify.relay",
        clock=clock,
        params={"name": sender.preferred_name or "", "text": cleaned, "mentee": to_champion},
        buttons=[
            [("champions.buttons.reply", "mentor.write", (ident,))],
            [
                ("champions.buttons.stop", "mentor.stop", (ident, "stop")),
                ("champions.buttons.report", "mentor.report", (ident,)),
            ],
        ],
        about=sender_id,
    )
    return Relay(other)


def set_relay_stopped(
    session: Session, *, person_id: int, mentorship_id: int, stopped: bool
) -> Person:
    """Stop (or restart) messages from the other person of the mentorship; returns them."""
    mentorship = mentorship_of(session, person_id=person_id, mentorship_id=mentorship_id)
    if mentorship.champion_id == person_id:
        mentorship.champion_stopped_relay = stopped
    else:
        mentorship.mentee_stopped_relay = stopped
    session.add(mentorship)
    return other_in(session, person_id=person_id, mentorship_id=mentorship_id)


def report_problem(
    session: Session, *, person_id: int, mentorship_id: int, text: str, clock: Clock
) -> list[int]:
    """Tell the cohort's facilitators about a problem in the mentoring (never the other)."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("pairs.empty")
    mentorship = mentorship_of(session, person_id=person_id, mentorship_id=mentorship_id)
    reporter = get_person(session, person_id=person_id)
    other = other_in(session, person_id=person_id, mentorship_id=mentorship_id)
    staff = notices.facilitator_ids(session, cohort_ids=[mentorship.cohort_id]) or (
        notices.coordinator_ids(session)
    )
    notices.notify(
        session,
        person_ids=staff,
        key="champions.notify.problem",
        clock=clock,
        params={
            "name": reporter.preferred_name or "",
            "other": other.preferred_name or "",
            "text": cleaned,
        },
        about=person_id,
    )
    audit.record(
        session,
        clock=clock,
        action="mentoring.problem_reported",
        actor_id=person_id,
        subject_id=other.id,
        detail=f"mentorship {mentorship.id}",
    )
    return staff
