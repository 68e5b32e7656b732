"""The monthly check-in's "A one-to-one briefing" answer: the next free times are offered
straight after it, or, when there are none, the partner's facilitators are told (once per
check-in) so that someone offers one."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from bot.domain.bookings.booking import partner_cohort
from bot.domain.bookings.slots import SlotView, booked, free_slots, slot_of, views
from bot.domain.clock import Clock
from bot.domain.errors import NotFound
from bot.domain.notices import facilitator_ids, notify
from bot.domain.people import get_person, name_of
from bot.models import Answer

# The check-in question and the choice that ask for a one-to-one
# (prompts/sets/monthly-check-in.yaml).
ASKED = ("support", '["briefing"]')


@dataclass(frozen=True)
class BriefingOffer:
    """What the partner is offered after asking for a one-to-one: their booking already
    made, or the free times (none: `told` facilitators)."""

    held: SlotView | None = None
    free: list[SlotView] = field(default_factory=list)
    told: int = 0


def asked_for_briefing(session: Session, *, reflection_id: int) -> bool:
    """Whether a reflection's answers ask for a one-to-one briefing."""
    question, choice = ASKED
    found = session.exec(
        select(Answer.choices).where(
            Answer.reflection_id == reflection_id, Answer.question_id == question
        )
    ).first()
    return found == choice


def offer_after_check_in(
    session: Session, *, person_id: int, reflection_id: int, clock: Clock
) -> BriefingOffer | None:
    """The one-to-one offer a finished check-in makes (None: it did not ask for one)."""
    if not asked_for_briefing(session, reflection_id=reflection_id):
        return None
    try:
        cohort_id = partner_cohort(session, person_id=person_id)
    except NotFound:
        return None
    now = clock.now()
    mine = booked(session, person_id=person_id, now=now)
    if mine is not None:
        return BriefingOffer(held=views(session, [slot_of(session, slot_id=mine.slot_id)])[0])
    free = free_slots(session, cohort_id=cohort_id, now=now)
    if free:
        return BriefingOffer(free=free)
    told = notify(
        session,
        person_ids=facilitator_ids(session, cohort_ids=[cohort_id]),
        key="bookings.told_wanted",
        clock=clock,
        params={"name": name_of(get_person(session, person_id=person_id))},
        buttons=[(("bookings.buttons.add_slot", "bookings.add", (0,)),)],
        dedupe=f"bkci{reflection_id}",
        about=person_id,
    )
    return BriefingOffer(told=told)
