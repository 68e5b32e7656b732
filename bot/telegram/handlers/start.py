"""/start: join with an invite code, or pick up where you left off."""

from __future__ import annotations

from telegram import Update

from bot.db import Session
from bot.domain import account, invites, onboarding
from bot.domain.errors import Conflict, InviteError
from bot.library import languages
from bot.models import Person, PersonStatus
from bot.telegram import callbacks, menus
from bot.telegram.common import Caller, load_caller
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens import error_screen, help_button
from bot.telegram.screens.account import help_screen, left_screen
from bot.telegram.screens.onboarding import cohort_context, current_screen, step_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, rows, settle


async def start(update: Update, context: TandemContext) -> None:
    """/start [code]: enrol with an invite code, or carry on where the person left off."""
    services = context.services
    code = context.args[0] if context.args else ""
    enrolled: Person | None = None
    with services.db.transaction() as session:
        caller = load_caller(session, update)
        if code:
            screen, enrolled = _redeem(session, services, caller, code)
        elif caller.person is not None and caller.person.status == PersonStatus.LEFT:
            screen, enrolled = come_back(session, services, caller)
        else:
            screen = _welcome_back(session, services, caller)
    await reply(update, screen)
    if enrolled is not None:
        await menus.sync_person(context.bot, services, enrolled)


def _redeem(
    session: Session, services: Services, caller: Caller, code: str
) -> tuple[Screen, Person | None]:
    """Use an invite code; refusals store nothing and say what to do instead."""
    try:
        enrolment = invites.join(
            session,
            code=code,
            telegram_user_id=caller.user_id,
            chat_id=caller.chat_id,
            clock=services.clock,
            language=None if languages.current() == languages.ENGLISH else languages.current(),
        )
    except (InviteError, Conflict) as error:
        # Not an error to report and forget: the person is shown where they are.
        screen = error_screen(services, error)
        if caller.person is not None and caller.person.status == PersonStatus.ONBOARDING:
            screen = current_screen(session, services, caller.person, caller.first_name)
            screen = screen.with_text_before(error_screen(services, error).text)
        return screen, None
    person = enrolment.person
    assert person.id is not None
    languages.use(person.language)
    if not enrolment.needs_onboarding:
        text = services.texts.render(
            "start.joined",
            cohort=enrolment.cohort.name if enrolment.cohort else "",
            role_label=cohort_context(session, services, person)["role_label"],
        )
        return Screen(text, rows(help_button(services))), person
    progress = onboarding.current(session, person_id=person.id)
    if progress is None or progress.flow != onboarding.ONBOARDING:
        progress = onboarding.start_onboarding(session, person=person, clock=services.clock)
    return step_screen(session, services, person, progress, caller.first_name), person


def come_back(session: Session, services: Services, caller: Caller) -> tuple[Screen, Person | None]:
    """Someone who sent /stop comes back (while they still can): their memberships start
    again; someone who had not finished joining carries on where they were."""
    assert caller.person is not None
    if not account.can_rejoin(caller.person, clock=services.clock):
        return left_screen(services, caller.person), None
    person = account.rejoin(
        session,
        person_id=caller.person_id,
        timetable=services.library.timetable,
        clock=services.clock,
    )
    if person.status == PersonStatus.ONBOARDING:
        progress = onboarding.current(session, person_id=caller.person_id)
        if progress is None or progress.flow != onboarding.ONBOARDING:
            progress = onboarding.start_onboarding(session, person=person, clock=services.clock)
        screen = step_screen(session, services, person, progress, caller.first_name)
        return screen.with_text_before(services.texts.render("start.resume")), person
    texts = services.texts
    return Screen(
        texts.render("start.rejoined", name=person.preferred_name), rows(help_button(services))
    ), person


@on_button(callbacks.REJOIN, left_ok=True, board_ok=True)
async def rejoin_button(tap: Tap) -> None:
    """ "Come back to Tandem", under the message for someone who left."""
    services = tap.services
    enrolled: Person | None = None
    with services.db.transaction() as session:
        if tap.caller.person is not None and tap.caller.person.status == PersonStatus.LEFT:
            screen, enrolled = come_back(session, services, tap.caller)
        else:
            screen = _welcome_back(session, services, tap.caller)
    await settle(tap.query)
    await reply(tap.update, screen)
    if enrolled is not None:
        await menus.sync_person(tap.context.bot, services, enrolled)


def _welcome_back(session: Session, services: Services, caller: Caller) -> Screen:
    """Bare /start: strangers learn how to join, others carry on."""
    texts, person = services.texts, caller.person
    if person is None:
        return help_screen(services, None)
    if person.status == PersonStatus.ONBOARDING:
        screen = current_screen(session, services, person, caller.first_name)
        return screen.with_text_before(texts.render("start.resume"))
    return Screen(
        texts.render("start.active", name=person.preferred_name),
        rows(
            [
                help_button(services),
                Button(texts.render("buttons.settings"), callbacks.SETTINGS("show")),
            ]
        ),
    )
