"""Command menus per role, registered with setMyCommands scopes so partners never see
facilitator commands."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import BadRequest, Forbidden

from bot.domain import people
from bot.library import languages
from bot.models import Person, Role
from bot.telegram.services import Services

log = logging.getLogger(__name__)

# Bump when any list below changes: people whose menu is older get it re-sent at start-up.
MENU_VERSION = 8  # issue 19: /language, and each menu in the person's language

STRANGER_COMMANDS = (("start", "menu.start"), ("help", "menu.help"))
EVERYONE_COMMANDS = (
    ("help", "menu.help"),
    ("library", "menu.library"),
    ("explain", "menu.explain"),
    ("calendar", "menu.calendar"),
    ("settings", "menu.settings"),
    ("language", "menu.language"),
    ("pause", "menu.pause"),
    ("mydata", "menu.mydata"),
    ("stop", "menu.stop"),
    ("forget", "menu.forget"),
)
STAFF_COMMANDS = (
    ("meetings", "menu.meetings_staff"),
    ("newmeeting", "menu.newmeeting"),
    ("questions", "menu.questions"),
    ("review", "menu.review"),
    ("broadcast", "menu.broadcast"),
    ("broadcasts", "menu.broadcasts"),
    ("pairs", "menu.pairs"),
    ("invite", "menu.invite"),
    ("dashboard", "menu.dashboard"),
    ("agenda", "agenda_staff.menu.agenda"),
    ("measures", "menu.measures_staff"),  # issue 17
    ("attendance", "attendance_staff.menu"),  # issue 18
    ("book", "bookings.menu.staff"),  # issue 18: one-to-one briefings they host
    ("champions", "champions.menu.staff"),  # issue 18
)
ROLE_COMMANDS: dict[Role, tuple[tuple[str, str], ...]] = {
    Role.PARTNER: (
        ("reflect", "menu.reflect"),
        ("journal", "menu.journal"),
        ("meetings", "menu.meetings"),
        ("ask", "menu.ask"),
        ("pair", "menu.pair"),
        ("propose", "agenda.menu.propose"),
        ("agenda", "agenda.menu.agenda"),
        ("measures", "menu.measures"),  # issue 17
        ("record", "record.menu"),  # issue 18
        ("book", "bookings.menu.partner"),  # issue 18: one-to-one briefings
        ("champions", "champions.menu.partner"),  # issue 18
        ("claim", "claims.menu.claim"),  # issue 18
    ),
    Role.FACILITATOR: STAFF_COMMANDS,
    Role.COORDINATOR: STAFF_COMMANDS,
    Role.BOARD: (),  # issue 17: their own account only (see BOARD_COMMANDS)
}
# Board members use only their own account; their learning starts from each digest's button.
BOARD_COMMANDS = frozenset({"help", "settings", "language", "pause", "mydata", "stop", "forget"})


def commands_for(role: Role) -> tuple[tuple[str, str], ...]:
    """(command, description text key) pairs for a role, in menu order."""
    if role == Role.BOARD:
        return tuple(pair for pair in EVERYONE_COMMANDS if pair[0] in BOARD_COMMANDS)
    return ROLE_COMMANDS[role] + EVERYONE_COMMANDS


def known_commands() -> frozenset[str]:
    """Every command Tandem answers, for any role."""
    names = {name for name, _ in STRANGER_COMMANDS + EVERYONE_COMMANDS}
    for extra in ROLE_COMMANDS.values():
        names.update(name for name, _ in extra)
    return frozenset(names | {"resume"})


def _bot_commands(services: Services, pairs: tuple[tuple[str, str], ...]) -> list[BotCommand]:
    return [BotCommand(name, services.texts.render(key)) for name, key in pairs]


async def set_default_menu(bot: Bot, services: Services) -> None:
    """The menu for anyone who has not joined: start and help; in English by default, and
    in each other language Tandem speaks for apps set to it (Telegram's own convention)."""
    for code in services.texts.languages:
        with languages.speaking(code):
            await bot.set_my_commands(
                _bot_commands(services, STRANGER_COMMANDS),
                scope=BotCommandScopeDefault(),
                language_code=None if code == languages.ENGLISH else code,
            )


async def sync_person(bot: Bot, services: Services, person: Person) -> None:
    """Give one person the menu for their role."""
    if person.chat_id is None or person.id is None:
        return
    try:
        with languages.speaking(person.language):  # their menu, in the language they chose
            commands = _bot_commands(services, commands_for(person.role))
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(person.chat_id))
    except (Forbidden, BadRequest):
        log.info("could not set the menu for person %s", person.id, exc_info=True)
        return
    with services.db.transaction() as session:
        people.menu_sent(session, person_id=person.id, version=MENU_VERSION)


async def clear_person(bot: Bot, chat_id: int) -> None:
    """Put a chat back on the strangers' menu (after leaving or erasing)."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
    except (Forbidden, BadRequest):
        log.info("could not clear the menu of chat %s", chat_id, exc_info=True)


async def sync_stale_menus(bot: Bot, services: Services) -> int:
    """Re-send menus to everyone whose menu predates MENU_VERSION; returns how many."""
    with services.db.transaction() as session:
        stale = people.menu_outdated(session, version=MENU_VERSION)
    for person in stale:
        await sync_person(bot, services, person)
    return len(stale)
