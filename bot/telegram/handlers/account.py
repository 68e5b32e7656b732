"""Everyone's own account: /help, /settings, /pause, /resume, /stop, /mydata, /forget."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from telegram import InputFile, Update

from bot.domain import audit, notices, onboarding, outbox, people, planning, privacy
from bot.domain.consent import record_consent
from bot.domain.onboarding import Step
from bot.models import ConsentKind, PersonStatus, Role
from bot.telegram import callbacks, menus
from bot.telegram.common import Caller, gate, plain
from bot.telegram.screens.account import (
    confirm_screen,
    help_screen,
    pause_menu,
    paused_screen,
    settings_screen,
    simple,
)
from bot.telegram.screens.onboarding import current_screen, step_screen
from bot.telegram.services import TandemContext
from bot.telegram.ui import Screen, reply, settle

log = logging.getLogger(__name__)

CONFIRM_WINDOW = timedelta(minutes=10)


async def _settle_if_button(update: Update) -> None:
    if update.callback_query is not None:
        await settle(update.callback_query)


@gate(strangers=True, onboarding_ok=True, left_ok=True)
async def help_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/help (and the Help button): what Tandem does and the commands for this role."""
    await _settle_if_button(update)
    services = context.services
    person = caller.person
    if person is not None and person.status == PersonStatus.ONBOARDING:
        with services.db.transaction() as session:
            screen = current_screen(session, services, person, caller.first_name)
        await reply(update, screen.with_text_before(services.texts.render("help.onboarding")))
        return
    if person is not None and person.status == PersonStatus.LEFT:
        await reply(update, Screen(services.texts.render("start.left")))
        return
    await reply(update, help_screen(services, person))


@gate()
async def settings_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/settings: name, time zone, quiet hours and reflections consent, each changeable."""
    services = context.services
    with services.db.transaction() as session:
        onboarding.cancel_settings_change(session, person_id=caller.person_id)
        screen = settings_screen(
            session, services, people.get_person(session, person_id=caller.person_id)
        )
    await reply(update, screen)


@gate()
async def settings_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """A tap in the settings menu: start a change, flip consent, or close."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services, what = context.services, callbacks.suffix(query.data)
    texts = services.texts
    with services.db.transaction() as session:
        person = people.get_person(session, person_id=caller.person_id)
        if what in {step.value for step in onboarding.SETTINGS_STEPS}:
            progress = onboarding.start_change(
                session, person_id=caller.person_id, step=Step(what), clock=services.clock
            )
            screen = step_screen(session, services, person, progress, caller.first_name)
        elif what in ("keep", "drop") and person.role == Role.PARTNER:
            statement = plain(texts.render(f"settings.consent.{what}"))
            record_consent(
                session,
                person_id=caller.person_id,
                kind=ConsentKind.REFLECTIONS,
                statement=statement,
                granted=what == "keep",
                clock=services.clock,
            )
            screen = settings_screen(session, services, person).with_text_before(
                texts.render(f"settings.consent.{what}")
            )
        elif what == "done":
            onboarding.cancel_settings_change(session, person_id=caller.person_id)
            screen = simple(services, "settings.closed")
        else:
            onboarding.cancel_settings_change(session, person_id=caller.person_id)
            screen = settings_screen(session, services, person)
    await settle(query)
    await reply(update, screen)


@gate()
async def pause_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/pause: take a break from scheduled messages (or restart them)."""
    assert caller.person is not None
    await reply(update, pause_menu(context.services, caller.person))


@gate()
async def resume_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/resume: end a pause now."""
    services = context.services
    assert caller.person is not None
    if not people.is_paused(caller.person, now=services.clock.now()):
        await reply(update, simple(services, "pause.not_paused"))
        return
    with services.db.transaction() as session:
        people.resume(session, person_id=caller.person_id)
        outbox.resume_deferred(session, person_id=caller.person_id, clock=services.clock)
    await reply(update, simple(services, "pause.resumed"))


@gate()
async def pause_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """A tap in the pause menu."""
    query = update.callback_query
    assert query is not None and query.data is not None and caller.person is not None
    services, choice = context.services, callbacks.suffix(query.data)
    if choice == "menu":
        screen = pause_menu(services, caller.person)
    elif choice == "resume":
        with services.db.transaction() as session:
            people.resume(session, person_id=caller.person_id)
            outbox.resume_deferred(session, person_id=caller.person_id, clock=services.clock)
        screen = simple(services, "pause.resumed")
    elif choice in ("keep", "cancel"):
        screen = simple(services, f"pause.{'kept' if choice == 'keep' else 'cancelled'}")
    else:
        with services.db.transaction() as session:
            person = people.pause(
                session, person_id=caller.person_id, choice=choice, clock=services.clock
            )
        screen = paused_screen(services, person)
    await settle(query)
    await reply(update, screen)


@gate(left_ok=True, onboarding_ok=True)
async def stop_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/stop: leave Tandem, after a confirmation."""
    services = context.services
    assert caller.person is not None
    if caller.person.status == PersonStatus.LEFT:
        await reply(update, simple(services, "stop.already_left"))
        return
    await reply(update, confirm_screen(services, "stop", ("yes", "no")))


def _expired(context: TandemContext, issued: int) -> bool:
    now = context.services.clock.now().timestamp()
    return not 0 <= now - issued <= CONFIRM_WINDOW.total_seconds()


@gate(left_ok=True, onboarding_ok=True)
async def stop_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """Yes or no to leaving."""
    query = update.callback_query
    assert query is not None and query.data is not None and caller.person is not None
    services = context.services
    choice, issued = callbacks.parse_confirm(query.data) or ("", 0)
    await settle(query)
    if choice != "yes":
        await reply(update, simple(services, "stop.stayed"))
        return
    if _expired(context, issued) or caller.person.status == PersonStatus.LEFT:
        await reply(update, Screen(services.texts.render("stop.expired")))
        return
    with services.db.transaction() as session:
        for place in people.cohorts_of(session, person_id=caller.person_id):
            assert place.cohort.id is not None
            notices.notify(
                session,
                person_ids=notices.facilitator_ids(session, cohort_ids=[place.cohort.id]),
                key="notify.partner_left",
                clock=services.clock,
                params={"cohort": place.cohort.name, "name": caller.person.preferred_name or ""},
                about=caller.person_id,
            )
        people.leave(session, person_id=caller.person_id, clock=services.clock)
        planning.cancel_pending(
            session, clock=services.clock, person_id=caller.person_id, reason="left Tandem"
        )
        audit.record(
            session,
            clock=services.clock,
            action="left",
            actor_id=caller.person_id,
            subject_id=caller.person_id,
        )
    await reply(update, Screen(services.texts.render("stop.done")))
    await menus.clear_person(context.bot, caller.chat_id)


async def _send_my_data(update: Update, context: TandemContext, caller: Caller) -> None:
    services = context.services
    with services.db.transaction() as session:
        data = privacy.export_personal_data(
            session, person_id=caller.person_id, clock=services.clock
        )
    payload = json.dumps(data, indent=2, ensure_ascii=False).encode()
    await update.get_bot().send_document(
        chat_id=caller.chat_id,
        document=InputFile(payload, filename="tandem-my-data.json"),
        caption=services.texts.render("mydata.caption"),
        parse_mode="HTML",
    )


@gate(strangers=True, onboarding_ok=True, left_ok=True)
async def mydata_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/mydata: a file with everything Tandem stores about the person."""
    if caller.person is None:
        await reply(update, Screen(context.services.texts.render("mydata.nothing")))
        return
    await _send_my_data(update, context, caller)


@gate(strangers=True, onboarding_ok=True, left_ok=True)
async def forget_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/forget: erase everything about the person, after a confirmation."""
    services = context.services
    if caller.person is None:
        await reply(update, Screen(services.texts.render("forget.nothing")))
        return
    await reply(update, confirm_screen(services, "forget", ("yes", "copy", "no")))


@gate(strangers=True, onboarding_ok=True, left_ok=True)
async def forget_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """Yes, copy-first or no to erasing everything."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    choice, issued = callbacks.parse_confirm(query.data) or ("", 0)
    await settle(query)
    if caller.person is None:
        await reply(update, Screen(services.texts.render("forget.nothing")))
        return
    if choice == "no":
        await reply(update, simple(services, "forget.kept"))
        return
    if _expired(context, issued):
        await reply(update, Screen(services.texts.render("forget.expired")))
        return
    if choice == "copy":
        await _send_my_data(update, context, caller)
        await reply(update, confirm_screen(services, "forget", ("yes", "no")))
        return
    with services.db.transaction() as session:
        privacy.forget(session, person_id=caller.person_id, clock=services.clock)
    services.db.compact_after_erasure()
    await reply(update, Screen(services.texts.render("forget.done")))
    await menus.clear_person(context.bot, caller.chat_id)
