"""Onboarding and settings conversations: button taps and typed answers on each step."""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.db import Session
from bot.domain import onboarding, people
from bot.domain.errors import InvalidInput
from bot.domain.onboarding import Progress
from bot.models import Role
from bot.telegram import callbacks, flows
from bot.telegram.common import Caller, plain
from bot.telegram.flows import Reply, Tap, Turn, deliver, on_button
from bot.telegram.handlers.notes import keep_words
from bot.telegram.screens import help_button
from bot.telegram.screens.account import settings_screen
from bot.telegram.screens.onboarding import (
    current_screen,
    finished_screen,
    place_screen,
    said_back,
    step_screen,
    suggestion_buttons,
)
from bot.telegram.services import Services
from bot.telegram.ui import Screen, rows, settle, stacked

log = logging.getLogger(__name__)


def reply_to(
    session: Session,
    services: Services,
    caller: Caller,
    progress: Progress,
    *,
    tapped: bool = False,
) -> Reply:
    """Turn a conversation's progress into screens; a finished one is completed first. After
    a tap (`tapped`), a time zone is said back under the tapped message, not as a message."""
    assert caller.person is not None
    texts = services.texts
    person = people.get_person(session, person_id=caller.person_id)
    if progress.stale:
        screen = current_screen(session, services, person, caller.first_name)
        return Reply.of(
            screen.with_text_before(texts.render("fallback.stale_here")),
            toast=plain(texts.render("fallback.stale_toast")),
        )
    if not progress.finished:
        screen = step_screen(session, services, person, progress, caller.first_name)
        if progress.place is not None and tapped:
            return Reply([screen], below=place_screen(services, progress.place))
        if progress.place is not None:  # say back the time zone chosen, before going on
            return Reply.of(place_screen(services, progress.place), screen)
        return Reply.of(screen)
    onboarding.complete(
        session,
        person_id=caller.person_id,
        flow=progress.flow,
        timetable=services.library.timetable,
        clock=services.clock,
    )
    if progress.flow == onboarding.SETTINGS:
        screen = settings_screen(session, services, person)
        if progress.place is not None:  # its "Change my time zone" button changes it again
            change = texts.render("settings.buttons.tz")
            screen = screen.with_text_before(said_back(services, progress.place, change))
        return Reply.of(screen.with_text_before(texts.render("settings.saved")))
    return Reply.of(finished_screen(session, services, person))


@on_button(callbacks.FLOW_CHOICE, strangers=True, onboarding_ok=True, left_ok=True, board_ok=True)
async def flow_button(tap: Tap) -> None:
    """A tap on a conversation step: store the choice and show what comes next."""
    services, caller, (flow, step, choice) = tap.services, tap.caller, tap.values
    with services.db.transaction() as session:
        if caller.person is None:
            answer = Reply.of(Screen(services.texts.render("help.stranger")))
        else:
            # The consent record keeps the words of the step the person agreed to, as the
            # step says them (not the tapped message, which may carry a note before them).
            seen = (
                plain(current_screen(session, services, caller.person, caller.first_name).text)
                if onboarding.records_consent(step)
                else ""
            )
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
                answer = reply_to(session, services, caller, progress, tapped=True)
            except InvalidInput as error:
                answer = _retry(session, services, caller, error)
    # "Next" is not a choice to confirm: its buttons just go.
    shown = "" if choice == "next" else None
    await settle(tap.query, answer.toast, shown=shown, below=answer.below)
    await deliver(tap.update, answer)


@on_button(callbacks.TIME_ZONE_CHANGE, onboarding_ok=True, board_ok=True)
async def time_zone_change_button(tap: Tap) -> None:
    """ "Change time zone" under the zone said back: ask for the time zone again."""
    services, caller = tap.services, tap.caller
    with services.db.transaction() as session:
        progress = onboarding.change_time_zone(
            session, person_id=caller.person_id, clock=services.clock
        )
        answer = reply_to(session, services, caller, progress)
    await settle(tap.query, answer.toast)
    await deliver(tap.update, answer)


@on_button(callbacks.TIME_ZONE_PLACE, onboarding_ok=True, board_ok=True)
async def time_zone_place_button(tap: Tap) -> None:
    """A place suggested after a misspelling, tapped: used as if typed."""
    services, caller, (typed,) = tap.services, tap.caller, tap.values
    with services.db.transaction() as session:
        try:
            progress = onboarding.type_place(
                session, person_id=caller.person_id, text=typed, clock=services.clock
            )
            answer = reply_to(session, services, caller, progress, tapped=True)
        except InvalidInput as error:
            answer = _retry(session, services, caller, error)
    await settle(tap.query, answer.toast, below=answer.below)
    await deliver(tap.update, answer)


def text_step(turn: Turn, text: str) -> Reply | None:
    """Typed text as an answer to the current onboarding or settings step."""
    session, services, caller = turn.session, turn.services, turn.caller
    try:
        progress = onboarding.type_text(
            session, person_id=caller.person_id, text=text, clock=services.clock
        )
    except InvalidInput as error:
        return _retry(session, services, caller, error)
    if progress is None:
        return None
    if progress.note == "use_buttons" and caller.person and caller.person.role == Role.PARTNER:
        # Words typed where a button is wanted are never this step's answer, and never
        # lost: kept as a note (a question may go to the facilitator), then the step again.
        kept = keep_words(
            session, services, caller, text=text, at_step=f"{progress.flow}.{progress.step}"
        )
        again = reply_to(session, services, caller, replace(progress, note=None))
        return Reply([kept, *again.screens])
    return reply_to(session, services, caller, progress)


def _retry(session: Session, services: Services, caller: Caller, error: InvalidInput) -> Reply:
    """Say what was wrong with an answer and show the same step again (an answer to put
    right, not a refusal: the step stays where it is)."""
    assert caller.person is not None
    key = f"errors.{error.key}"
    texts = services.texts
    explanation = (
        texts.render(key, **error.params) if texts.has(key) else texts.render("errors.generic")
    )
    screen = current_screen(session, services, caller.person, caller.first_name)
    if not screen.rows:
        screen = Screen(screen.text, rows(help_button(services)))
    suggested = suggestion_buttons(error.params.get("suggestions", ()))
    if suggested:  # a misspelt place: the places meant are a tap away
        screen = Screen(screen.text, (*stacked(suggested), *screen.rows))
    return Reply.of(screen.with_text_before(explanation))


flows.register(onboarding.ONBOARDING, text_step, keeps_on_cancel=True)
flows.register(onboarding.SETTINGS, text_step)
