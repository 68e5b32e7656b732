"""Shared handler plumbing: who is writing, role gates, and the error translator."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from telegram import Update

from bot.domain import conversation, people
from bot.models import Person, PersonStatus, Role
from bot.telegram.screens import help_button
from bot.telegram.screens.onboarding import current_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, rows, stacked

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


def load_caller(session: Session, update: Update) -> Caller:
    """The caller of an update, with their person record if they joined."""
    user_id, chat_id, first_name = identify(update)
    person = people.find_by_telegram(session, telegram_user_id=user_id)
    return Caller(user_id=user_id, chat_id=chat_id, first_name=first_name, person=person)


def plain(text: str) -> str:
    """Template output without HTML entities, for a toast or the command line."""
    return html.unescape(text)


Handler = Callable[[Update, TandemContext, Caller], Coroutine[Any, Any, None]]


def gate(
    *,
    roles: frozenset[Role] | None = None,
    strangers: bool = False,
    onboarding_ok: bool = False,
    left_ok: bool = False,
) -> Callable[[Handler], Callable[[Update, TandemContext], Coroutine[Any, Any, None]]]:
    """Load the caller and let the handler run only for the people it is for.

    Everyone else gets a kind answer saying why and what to do instead.
    """

    def decorate(handler: Handler) -> Callable[[Update, TandemContext], Coroutine[Any, Any, None]]:
        @functools.wraps(handler)
        async def run(update: Update, context: TandemContext) -> None:
            services = context.services
            with services.db.transaction() as session:
                caller = load_caller(session, update)
                refusal = _refusal(
                    session, services, caller, roles, strangers, onboarding_ok, left_ok
                )
            if refusal is not None:
                await reply(update, refusal)
                return
            await handler(update, context, caller)

        return run

    return decorate


def _refusal(
    session: Session,
    services: Services,
    caller: Caller,
    roles: frozenset[Role] | None,
    strangers: bool,
    onboarding_ok: bool,
    left_ok: bool,
) -> Screen | None:
    texts, person = services.texts, caller.person
    if person is None:
        return None if strangers else Screen(texts.render("help.stranger"))
    if person.status == PersonStatus.LEFT and not left_ok:
        return Screen(texts.render("start.left"))
    if person.status == PersonStatus.ONBOARDING and not onboarding_ok:
        screen = current_screen(session, services, person, caller.first_name)
        return screen.with_text_before(texts.render("onboarding.finish_first"))
    if roles is not None and person.role not in roles:
        key = "errors.partners_only" if Role.PARTNER in roles else "errors.not_allowed"
        return Screen(texts.render(key), rows(help_button(services)))
    return None


STAFF = frozenset({Role.FACILITATOR, Role.COORDINATOR})


def cancel_button(services: Services) -> Button:
    """Stops whatever the person is typing (q:cancel)."""
    return Button(services.texts.render("buttons.cancel"), "q:cancel")


async def ask_for_text(
    update: Update,
    services: Services,
    *,
    person_id: int,
    flow: str,
    data: dict[str, Any],
    text: str,
    step: str = "text",
    extra: Sequence[Button] = (),
) -> None:
    """Wait for typed text in `flow` (see fallback.TEXT_FLOWS) and say what to type."""
    with services.db.transaction() as session:
        conversation.set_state(
            session, person_id=person_id, flow=flow, step=step, clock=services.clock, data=data
        )
    await reply(update, Screen(text, stacked([*extra, cancel_button(services)])))
