"""Onboarding and settings conversations: button taps and typed answers on each step."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlmodel import Session
from telegram import Message, Update

from bot.domain import notices, onboarding, people, planning
from bot.domain.errors import InvalidInput
from bot.domain.onboarding import Progress
from bot.models import Person, Role
from bot.telegram import callbacks
from bot.telegram.common import Caller, load_caller, plain
from bot.telegram.screens import help_button
from bot.telegram.screens.account import settings_screen
from bot.telegram.screens.onboarding import current_screen, finished_screen, step_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Screen, reply, rows, settle

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What to show after an answer, to the person who gave it."""

    screens: list[Screen] = field(default_factory=list)
    toast: str | None = None


def outcome_of(session: Session, services: Services, caller: Caller, progress: Progress) -> Outcome:
    """Turn a conversation's progress into screens (and notices, queued)."""
    assert caller.person is not None
    texts = services.texts
    person = people.get_person(session, person_id=caller.person_id)
    if progress.stale:
        screen = current_screen(session, services, person, caller.first_name)
        return Outcome(
            screens=[screen.with_text_before(texts.render("fallback.stale_here"))],
            toast=plain(texts.render("fallback.stale_toast")),
        )
    if not progress.finished:
        return Outcome(
            screens=[step_screen(session, services, person, progress, caller.first_name)]
        )
    # Joining, or a new time zone, changes what is planned for the person and when.
    planning.plan_person(
        session,
        person_id=caller.person_id,
        timetable=services.library.timetable,
        clock=services.clock,
    )
    if progress.flow == onboarding.SETTINGS:
        saved = texts.render("settings.saved")
        return Outcome(screens=[settings_screen(session, services, person).with_text_before(saved)])
    _tell_facilitators_joined(session, services, person)
    return Outcome(screens=[finished_screen(session, services, person)])


def _tell_facilitators_joined(session: Session, services: Services, person: Person) -> None:
    """Tell the cohort's facilitators (through the outbox) that a partner finished joining."""
    if person.role != Role.PARTNER or person.id is None:
        return
    for place in people.cohorts_of(session, person_id=person.id):
        assert place.cohort.id is not None
        notices.notify(
            session,
            person_ids=notices.facilitator_ids(session, cohort_ids=[place.cohort.id]),
            key="notify.partner_joined",
            clock=services.clock,
            params={"name": person.preferred_name or "", "cohort": place.cohort.name},
            about=person.id,
        )


async def deliver(update: Update, context: TandemContext, outcome: Outcome) -> None:
    """Send an outcome's screens to the person (notices to others go via the outbox)."""
    for screen in outcome.screens:
        await reply(update, screen)


async def flow_button(update: Update, context: TandemContext) -> None:
    """A tap on a conversation step: store the choice and show what comes next."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    flow, step, choice = callbacks.parse_flow(query.data) or ("", "", "")
    # The consent record keeps the exact words the person saw on the screen they tapped.
    seen = (query.message.text or "") if isinstance(query.message, Message) else ""
    with services.db.transaction() as session:
        caller = load_caller(session, update)
        if caller.person is None:
            outcome = Outcome(screens=[Screen(services.texts.render("help.stranger"))])
        else:
            try:
                progress = onboarding.press(
                    session,
                    person_id=caller.person_id,
                    flow=flow,
                    step=step,
                    choice=choice,
                    clock=services.clock,
                    statement=seen,
                    first_name=caller.first_name,
                )
                outcome = outcome_of(session, services, caller, progress)
            except InvalidInput as error:
                outcome = _retry_outcome(session, services, caller, error)
    await settle(query, outcome.toast)
    await deliver(update, context, outcome)


def text_answer(session: Session, services: Services, caller: Caller, text: str) -> Outcome | None:
    """Typed text as an answer to the current step; None when no step is waiting."""
    try:
        progress = onboarding.type_text(
            session, person_id=caller.person_id, text=text, clock=services.clock
        )
    except InvalidInput as error:
        return _retry_outcome(session, services, caller, error)
    if progress is None:
        return None
    return outcome_of(session, services, caller, progress)


def _retry_outcome(
    session: Session, services: Services, caller: Caller, error: InvalidInput
) -> Outcome:
    """Say what was wrong with an answer and show the same step again."""
    assert caller.person is not None
    key = f"errors.{error.key}"
    texts = services.texts
    explanation = (
        texts.render(key, **error.params) if texts.has(key) else texts.render("errors.generic")
    )
    screen = current_screen(session, services, caller.person, caller.first_name)
    if not screen.rows:
        screen = Screen(screen.text, rows(help_button(services)))
    return Outcome(screens=[screen.with_text_before(explanation)])
