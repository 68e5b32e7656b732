"""/language, and the language buttons in /settings and on onboarding's first screen."""

from __future__ import annotations

from telegram import Update

from bot.domain import people
from bot.domain.errors import InvalidInput
from bot.library import languages
from bot.models import Person, PersonStatus
from bot.telegram import callbacks, menus
from bot.telegram.common import Caller, gate
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens.language import changed_screen, language_name, language_screen
from bot.telegram.screens.onboarding import current_screen
from bot.telegram.services import TandemContext
from bot.telegram.ui import reply, settle

MENU = "menu"


@gate(onboarding_ok=True, left_ok=True, board_ok=True)
async def language_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/language: the languages Tandem writes in, one tap to choose."""
    await reply(update, language_screen(context.services))


@on_button(callbacks.LANGUAGE, onboarding_ok=True, left_ok=True, board_ok=True)
async def language_button(tap: Tap) -> None:
    """A language tapped: write in it from this message on (or show the list)."""
    services, caller, (code,) = tap.services, tap.caller, tap.values
    if code == MENU:
        await settle(tap.query)
        await reply(tap.update, language_screen(services))
        return
    person: Person | None = None
    with services.db.transaction() as session:
        try:
            chosen = people.set_language(
                session,
                person_id=caller.person_id,
                language=code,
                known=services.texts.known_languages(),
            )
        except InvalidInput:
            screen = language_screen(services).with_text_before(
                services.texts.render("errors.language.unknown")
            )
        else:
            person = chosen
            languages.use(code)
            if person.status == PersonStatus.ONBOARDING:
                screen = current_screen(session, services, person, caller.first_name)
                name = language_name(services)
                screen = screen.with_text_before(
                    services.texts.render("language.changed_short", language=name)
                )
            else:
                screen = changed_screen(services)
    await settle(tap.query)
    await reply(tap.update, screen)
    if person is not None:
        await menus.sync_person(tap.context.bot, services, person)
