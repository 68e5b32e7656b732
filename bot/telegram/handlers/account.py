"""Everyone's own account: /help, /settings, /pause, /resume, /stop, /mydata, /forget."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from telegram import InputFile, Update

from bot.domain import account, consent, onboarding, people, privacy
from bot.domain.onboarding import Step
from bot.models import PersonStatus
from bot.telegram import callbacks, menus
from bot.telegram.common import Caller, gate, plain
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens.account import (
    confirm_screen,
    help_screen,
    left_screen,
    pause_menu,
    paused_screen,
    settings_screen,
    simple,
)
from bot.telegram.screens.onboarding import current_screen, step_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Screen, reply, settle

log = logging.getLogger(__name__)

CONFIRM_WINDOW = timedelta(minutes=10)


def _help(services: Services, caller: Caller) -> Screen:
    person = caller.person
    if person is not None and person.status == PersonStatus.ONBOARDING:
        with services.db.transaction() as session:
            screen = current_screen(session, services, person, caller.first_name)
        return screen.with_text_before(services.texts.render("help.onboarding"))
    if person is not None and person.status == PersonStatus.LEFT:
        return left_screen(services, person)
    return help_screen(services, person)


@gate(strangers=True, onboarding_ok=True, left_ok=True, board_ok=True)
async def help_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/help: what Tandem does and the commands for this role."""
    await reply(update, _help(context.services, caller))


@on_button(callbacks.HELP, strangers=True, onboarding_ok=True, left_ok=True, board_ok=True)
async def help_button(tap: Tap) -> None:
    """The Help button at the end of most messages."""
    await settle(tap.query)
    await reply(tap.update, _help(tap.services, tap.caller))


@gate(board_ok=True)
async def settings_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/settings: name, time zone, quiet hours and reflections consent, each changeable."""
    services = context.services
    with services.db.transaction() as session:
        onboarding.cancel_settings_change(session, person_id=caller.person_id)
        screen = settings_screen(
            session, services, people.get_person(session, person_id=caller.person_id)
        )
    await reply(update, screen)


@on_button(callbacks.SETTINGS, board_ok=True)
async def settings_button(tap: Tap) -> None:
    """A tap in the settings menu: start a change, flip consent, or close."""
    services, caller, (what,) = tap.services, tap.caller, tap.values
    texts = services.texts
    with services.db.transaction() as session:
        person = people.get_person(session, person_id=caller.person_id)
        if what in {step.value for step in onboarding.SETTINGS_STEPS}:
            progress = onboarding.start_change(
                session, person_id=caller.person_id, step=Step(what), clock=services.clock
            )
            screen = step_screen(session, services, person, progress, caller.first_name)
        elif what in ("keep", "drop") and consent.set_reflections(
            session,
            person_id=caller.person_id,
            keep=what == "keep",
            statement=plain(texts.render(f"settings.consent.{what}")),
            clock=services.clock,
        ):
            screen = settings_screen(session, services, person).with_text_before(
                texts.render(f"settings.consent.{what}")
            )
        else:
            onboarding.cancel_settings_change(session, person_id=caller.person_id)
            shown = settings_screen(session, services, person)
            screen = simple(services, "settings.closed") if what == "done" else shown
    await settle(tap.query)
    await reply(tap.update, screen)


@gate(board_ok=True)
async def pause_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/pause: take a break from scheduled messages (or restart them)."""
    assert caller.person is not None
    await reply(update, pause_menu(context.services, caller.person))


def _resume(services: Services, caller: Caller) -> Screen:
    with services.db.transaction() as session:
        resumed = account.resume(session, person_id=caller.person_id, clock=services.clock)
    return simple(services, "pause.resumed" if resumed else "pause.not_paused")


@gate(board_ok=True)
async def resume_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/resume: end a pause now."""
    await reply(update, _resume(context.services, caller))


@on_button(callbacks.PAUSE, board_ok=True)
async def pause_button(tap: Tap) -> None:
    """A tap in the pause menu."""
    services, caller, (choice,) = tap.services, tap.caller, tap.values
    assert caller.person is not None
    if choice == "menu":
        screen = pause_menu(services, caller.person)
    elif choice == "resume":
        screen = _resume(services, caller)
    elif choice in ("keep", "cancel"):
        screen = simple(services, f"pause.{'kept' if choice == 'keep' else 'cancelled'}")
    else:
        with services.db.transaction() as session:
            person = people.pause(
                session, person_id=caller.person_id, choice=choice, clock=services.clock
            )
        screen = paused_screen(services, person)
    await settle(tap.query)
    await reply(tap.update, screen)


@gate(left_ok=True, onboarding_ok=True, board_ok=True)
async def stop_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/stop: leave Tandem, after a confirmation."""
    services = context.services
    assert caller.person is not None
    if caller.person.status == PersonStatus.LEFT:
        await reply(update, simple(services, "stop.already_left"))
        return
    await reply(update, confirm_screen(services, "stop", ("yes", "no")))


def _expired(services: Services, issued: int) -> bool:
    now = services.clock.now().timestamp()
    return not 0 <= now - issued <= CONFIRM_WINDOW.total_seconds()


@on_button(callbacks.STOP, left_ok=True, onboarding_ok=True, board_ok=True)
async def stop_button(tap: Tap) -> None:
    """Yes or no to leaving."""
    services, caller, (choice, issued) = tap.services, tap.caller, tap.values
    assert caller.person is not None
    await settle(tap.query)
    if choice != "yes":
        await reply(tap.update, simple(services, "stop.stayed"))
        return
    if _expired(services, issued) or caller.person.status == PersonStatus.LEFT:
        await reply(tap.update, Screen(services.texts.render("stop.expired")))
        return
    with services.db.transaction() as session:
        account.leave(session, person_id=caller.person_id, clock=services.clock)
    await reply(tap.update, Screen(services.texts.render("stop.done")))
    await menus.clear_person(tap.context.bot, caller.chat_id)


async def _send_my_data(update: Update, services: Services, caller: Caller) -> None:
    with services.db.transaction() as session:
        data = privacy.export_personal_data(
            session, person_id=caller.person_id, clock=services.clock
        )
        page = privacy.readable_copy(
            session,
            person_id=caller.person_id,
            prompt_sets=services.library.prompt_sets,
            clock=services.clock,
        )
    files = (
        (json.dumps(data, indent=2, ensure_ascii=False), "tandem-my-data.json", "mydata.caption"),
        (page, "tandem-my-data.html", "mydata.readable_caption"),
    )
    for content, filename, caption in files:
        await update.get_bot().send_document(
            chat_id=caller.chat_id,
            document=InputFile(content.encode(), filename=filename),
            caption=services.texts.render(caption),
            parse_mode="HTML",
        )


@gate(strangers=True, onboarding_ok=True, left_ok=True, board_ok=True)
async def mydata_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/mydata: everything Tandem stores about the person, as data and as a page to read."""
    if caller.person is None:
        await reply(update, Screen(context.services.texts.render("mydata.nothing")))
        return
    await _send_my_data(update, context.services, caller)


@gate(strangers=True, onboarding_ok=True, left_ok=True, board_ok=True)
async def forget_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/forget: erase everything about the person, after a confirmation."""
    services = context.services
    if caller.person is None:
        await reply(update, Screen(services.texts.render("forget.nothing")))
        return
    await reply(update, confirm_screen(services, "forget", ("yes", "copy", "no")))


@on_button(callbacks.FORGET, strangers=True, onboarding_ok=True, left_ok=True, board_ok=True)
async def forget_button(tap: Tap) -> None:
    """Yes, copy-first or no to erasing everything."""
    services, caller, (choice, issued) = tap.services, tap.caller, tap.values
    await settle(tap.query)
    if caller.person is None:
        await reply(tap.update, Screen(services.texts.render("forget.nothing")))
        return
    if choice == "no":
        await reply(tap.update, simple(services, "forget.kept"))
        return
    if _expired(services, issued):
        await reply(tap.update, Screen(services.texts.render("forget.expired")))
        return
    if choice == "copy":
        await _send_my_data(tap.update, services, caller)
        await reply(tap.update, confirm_screen(services, "forget", ("yes", "no")))
        return
    with services.db.transaction() as session:
        privacy.forget(session, person_id=caller.person_id, clock=services.clock)
    services.seen.forget(telegram_user_id=caller.user_id)
    services.db.compact_after_erasure()
    await reply(tap.update, Screen(services.texts.render("forget.done")))
    await menus.clear_person(tap.context.bot, caller.chat_id)
