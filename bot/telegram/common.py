"""Shared handler plumbing: who is writing, role gates, and out-of-date buttons."""

from __future__ import annotations

import contextlib
import functools
import html
import logging
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import BadRequest

from bot.db import Session
from bot.domain import audit, people
from bot.library import languages
from bot.library.languages import ENGLISH, telegram_language
from bot.models import Person, PersonStatus, Role
from bot.telegram.screens import help_button
from bot.telegram.screens.account import left_screen
from bot.telegram.screens.onboarding import current_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Screen, reply, rows

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caller:
    """The Telegram user behind an update and, if they joined, their person record."""

    user_id: int
    chat_id: int
    first_name: str
    person: Person | None

    @property
    def person_id(self) -> int:
        """The person's id (only for callers who joined)."""
        assert self.person is not None and self.person.id is not None
        return self.person.id


def identify(update: Update) -> tuple[int, int, str]:
    """Telegram user id, chat id and first name of the update's sender."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        raise LookupError("update without a user or chat")
    return user.id, chat.id, user.first_name or ""


# The caller the update guard read in its own transaction, for the update it read it for:
# the first handler to ask for the caller takes it instead of asking the database again.
# PTB runs one update's handlers in turn within one task, so this is that update's own; it
# is taken once, so a handler that changed the person (say, enrolled them) reads them anew.
_GUARDED: ContextVar[tuple[int, Caller] | None] = ContextVar("tandem_guarded", default=None)


def remember_caller(session: Session, update: Update, known: frozenset[str]) -> None:
    """Read the update's caller now, in the guard's transaction, for its first handler, and
    write to them in their language for the whole update."""
    caller = _read_caller(session, update)
    _GUARDED.set((update.update_id, caller))
    telegram_code = update.effective_user.language_code if update.effective_user else None
    languages.note_telegram(telegram_code)
    languages.use(caller_language(caller, telegram_code, known))


def caller_language(caller: Caller, telegram_code: str | None, known: frozenset[str]) -> str:
    """The language to write to someone in: their own once chosen, else Telegram's when
    Tandem speaks it, else English."""
    person = caller.person
    if person is not None and person.language in known:
        return person.language or ENGLISH
    return telegram_language(telegram_code, known) or ENGLISH


def _take_remembered(update: Update) -> Caller | None:
    remembered = _GUARDED.get()
    if remembered is None:
        return None
    _GUARDED.set(None)
    update_id, caller = remembered
    return caller if update_id == update.update_id else None


def load_caller(session: Session, update: Update) -> Caller:
    """The caller of an update, with their person record if they joined."""
    return _take_remembered(update) or _read_caller(session, update)


def _read_caller(session: Session, update: Update) -> Caller:
    user_id, chat_id, first_name = identify(update)
    person = people.find_by_telegram(session, telegram_user_id=user_id)
    return Caller(user_id=user_id, chat_id=chat_id, first_name=first_name, person=person)


def plain(text: str) -> str:
    """Template output without HTML entities, for a toast or the command line."""
    return html.unescape(text)


Handler = Callable[[Update, TandemContext, Caller], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class Access:
    """Who a command or button is for: some roles (None: any), and whether people who have
    not joined, are still joining, or have left may use it. Board members (issue 17) may use
    only what names their role or says `board_ok` (their own account): anything added later
    is refused to them until it says so."""

    roles: frozenset[Role] | None = None
    strangers: bool = False
    onboarding_ok: bool = False
    left_ok: bool = False
    board_ok: bool = False


def admit(
    update: Update, services: Services, access: Access, *, action: str, detail: str = ""
) -> tuple[Caller, Screen | None]:
    """The caller of an update, and why they may not go on (None: they may). Every command
    and button a member of staff may use is audited here, in one place: who, which command
    or button, the ids it names, when (never anyone's words)."""
    caller = _take_remembered(update)
    if caller is not None and not _needs_database(caller, access):
        return caller, refusal(None, services, caller, access)
    with services.db.transaction() as session:
        caller = caller or _read_caller(session, update)
        refused = refusal(session, services, caller, access)
        person = caller.person
        if refused is None and person is not None and person.role in STAFF:
            audit.record(
                session,
                clock=services.clock,
                action=action,
                actor_id=person.id,
                detail=detail[:500] or None,
            )
        return caller, refused


def gate(
    *,
    roles: frozenset[Role] | None = None,
    strangers: bool = False,
    onboarding_ok: bool = False,
    left_ok: bool = False,
    board_ok: bool = False,
) -> Callable[[Handler], Callable[[Update, TandemContext], Coroutine[Any, Any, None]]]:
    """Load the caller and let a command's handler run only for the people it is for.

    Everyone else gets a kind answer saying why and what to do instead.
    """
    access = Access(roles, strangers, onboarding_ok, left_ok, board_ok)

    def decorate(handler: Handler) -> Callable[[Update, TandemContext], Coroutine[Any, Any, None]]:
        @functools.wraps(handler)
        async def run(update: Update, context: TandemContext) -> None:
            command = _command_of(update)
            caller, refused = admit(update, context.services, access, action=f"chat.{command}")
            if refused is not None:
                await reply(update, refused)
                return
            await handler(update, context, caller)

        return run

    return decorate


def _command_of(update: Update) -> str:
    """ "/broadcast" from "/broadcast@tandem_bot ..." (the words after it are not kept)."""
    text = update.effective_message.text if update.effective_message else None
    return (text or "/").split()[0].split("@")[0][:40]


def _needs_database(caller: Caller, access: Access) -> bool:
    """Whether admitting the caller writes (a member of staff's audit record) or reads (the
    step someone still joining has reached)."""
    person = caller.person
    if person is None:
        return False
    return person.role in STAFF or (
        person.status == PersonStatus.ONBOARDING and not access.onboarding_ok
    )


def refusal(
    session: Session | None, services: Services, caller: Caller, access: Access
) -> Screen | None:
    """Why this caller may not use a command or button (None: they may). The session is
    needed only for someone still joining (see `_needs_database`)."""
    texts, person = services.texts, caller.person
    if person is None:
        return None if access.strangers else Screen(texts.render("help.stranger"))
    if person.status == PersonStatus.LEFT and not access.left_ok:
        return left_screen(services, person)
    if person.status == PersonStatus.ONBOARDING and not access.onboarding_ok:
        assert session is not None
        screen = current_screen(session, services, person, caller.first_name)
        return screen.with_text_before(texts.render("onboarding.finish_first"))
    if person.role == Role.BOARD and not _for_board(access):
        return Screen(texts.render("errors.not_for_board"), rows(help_button(services)))
    if access.roles is not None and person.role not in access.roles:
        key = "errors.partners_only" if Role.PARTNER in access.roles else "errors.not_allowed"
        if access.roles == BOARD:  # issue 17
            key = "errors.board_only"
        return Screen(texts.render(key), rows(help_button(services)))
    return None


def _for_board(access: Access) -> bool:
    """Whether board members may use a command or button (issue 17)."""
    return access.board_ok or (access.roles is not None and Role.BOARD in access.roles)


STAFF = frozenset({Role.FACILITATOR, Role.COORDINATOR})
PARTNERS = frozenset({Role.PARTNER})
BOARD = frozenset({Role.BOARD})  # issue 17


def next_step(services: Services, caller: Caller, note_key: str, **context: object) -> Screen:
    """A note followed by wherever the person is: their current step, or help."""
    texts = services.texts
    note = texts.render(note_key, **context)
    person = caller.person
    if person is None:
        return Screen(f"{note}\n\n{texts.render('help.stranger')}")
    if person.status == PersonStatus.LEFT:
        return left_screen(services, person).with_text_before(note)
    with services.db.transaction() as session:
        screen = current_screen(session, services, person, caller.first_name)
    return screen.with_text_before(note)


async def answer_stale(update: Update, context: TandemContext) -> None:
    """A button whose message is out of date or whose data we no longer understand."""
    services = context.services
    query = update.callback_query
    assert query is not None
    # The press may have been answered already (a handler that failed on the data after
    # acknowledging it); the next step below is what matters.
    with contextlib.suppress(BadRequest):
        await query.answer(plain(services.texts.render("fallback.stale_toast")))
    with services.db.transaction() as session:
        caller = load_caller(session, update)
    await reply(update, next_step(services, caller, "fallback.stale_here"))
