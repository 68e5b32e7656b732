"""Conversations in chat: the one mechanism every feature uses.

A conversation is a flow name and a step, kept in the database (bot/domain/conversation),
so a restart resumes at the same step. This module holds:

- `Reply`: what to show the person after something they did (screens, and a toast for a
  tap), and `deliver`, which sends it;
- the registry of flows that take typed text (and voice notes, and other kinds of
  message): each feature registers its steps with `register`, and `route_text`,
  `route_voice` and `route_other` hand a message to whichever step is waiting;
- `ask`, which starts waiting for typed text and says what to type, with a Cancel button;
- `on_button`, which turns a named button kind (bot/telegram/callbacks.py) into a PTB
  handler: it loads the caller, checks the role, reads the button's values, and answers
  an unreadable button as an out-of-date one.

Refusals (a domain `TandemError`) are not caught here or in handlers: they reach the one
error handler (handlers/errors.py), which logs first and then answers kindly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import CallbackQuery, Update

from bot.db import Session
from bot.domain import conversation
from bot.domain.answers import Voice
from bot.models import Role
from bot.telegram import callbacks
from bot.telegram.callbacks import Kind
from bot.telegram.common import Access, Caller, admit, answer_stale
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, stacked


@dataclass
class Reply:
    """What to show after something the person did, to that person."""

    screens: list[Screen] = field(default_factory=list)
    toast: str | None = None
    # Said under the tapped message's confirmation, with its own buttons (see ui.settle).
    below: Screen | None = None

    @classmethod
    def of(cls, *screens: Screen, toast: str | None = None) -> Reply:
        """A reply of these screens."""
        return cls(list(screens), toast)


async def deliver(update: Update, answer: Reply) -> None:
    """Send a reply's screens to the person (notices to others go through the outbox)."""
    for screen in answer.screens:
        await reply(update, screen)


@dataclass(frozen=True)
class Turn:
    """A message arriving in a conversation, inside its transaction."""

    session: Session
    services: Services
    caller: Caller
    step: str
    data: dict[str, Any]


TextStep = Callable[[Turn, str], Reply | None]  # None: not an answer; treated as idle text
VoiceStep = Callable[[Turn, Voice], Reply]
OtherStep = Callable[[Turn, str], Reply]  # a sticker, photo...: its kind, in words


@dataclass(frozen=True)
class Flow:
    """How one conversation takes what people send while it waits."""

    name: str
    text: TextStep
    voice: VoiceStep | None = None
    other: OtherStep | None = None
    # Cancel leaves these alone: they have their own ways out (Finish later, Settings...).
    keeps_on_cancel: bool = False
    # What is typed here is the person's alone until they choose who may read it (a
    # reflection): a safeguarding alert about it never quotes it.
    private: bool = False


_FLOWS: dict[tuple[str, str | None], Flow] = {}


def register(
    name: str,
    text: TextStep,
    *,
    step: str | None = None,
    voice: VoiceStep | None = None,
    other: OtherStep | None = None,
    keeps_on_cancel: bool = False,
    private: bool = False,
) -> None:
    """Say which function takes typed text (and voice, other messages) in flow `name`, at
    one `step` or (None) at any step without its own."""
    _FLOWS[(name, step)] = Flow(name, text, voice, other, keeps_on_cancel, private)


def flow_for(name: str, step: str) -> Flow | None:
    """The registered flow for this conversation state, if any."""
    return _FLOWS.get((name, step)) or _FLOWS.get((name, None))


def _turn(session: Session, services: Services, caller: Caller) -> tuple[Turn, Flow] | None:
    state = conversation.get_state(session, person_id=caller.person_id)
    if state is None:
        return None
    found = flow_for(state.flow, state.step)
    if found is None:
        return None
    return Turn(session, services, caller, state.step, dict(state.data)), found


def waiting_is_private(session: Session, *, person_id: int) -> bool:
    """Whether what the person types now is for them alone (a reflection being written)."""
    state = conversation.get_state(session, person_id=person_id)
    found = flow_for(state.flow, state.step) if state else None
    return found is not None and found.private


def route_text(session: Session, services: Services, caller: Caller, text: str) -> Reply | None:
    """Typed text to whichever step is waiting for it (None: nothing is)."""
    found = _turn(session, services, caller)
    return found[1].text(found[0], text) if found else None


def route_voice(session: Session, services: Services, caller: Caller, voice: Voice) -> Reply | None:
    """A voice note to the step waiting, if that step takes voice notes."""
    found = _turn(session, services, caller)
    if found is None or found[1].voice is None:
        return None
    return found[1].voice(found[0], voice)


def route_other(session: Session, services: Services, caller: Caller, kind: str) -> Reply | None:
    """A sticker, photo or file to the step waiting, if that step has something to say."""
    found = _turn(session, services, caller)
    if found is None or found[1].other is None:
        return None
    return found[1].other(found[0], kind)


def cancel_button(services: Services) -> Button:
    """Stops whatever the person is typing."""
    return Button(services.texts.render("buttons.cancel"), callbacks.CANCEL())


def ask(
    session: Session,
    services: Services,
    *,
    person_id: int,
    flow: str,
    text: str,
    data: dict[str, Any] | None = None,
    step: str = "text",
    extra: Sequence[Button] = (),
) -> Screen:
    """Wait for typed text in `flow` at `step`; the screen that says what to type."""
    conversation.set_state(
        session, person_id=person_id, flow=flow, step=step, clock=services.clock, data=data
    )
    return Screen(text, stacked([*extra, cancel_button(services)]))


def cancel(session: Session, *, person_id: int) -> None:
    """Stop whatever is being typed, unless the flow has its own way out."""
    state = conversation.get_state(session, person_id=person_id)
    if state is None:
        return
    found = flow_for(state.flow, state.step)
    if found is None or not found.keeps_on_cancel:
        conversation.clear_state(session, person_id=person_id)


# Buttons


@dataclass(frozen=True)
class Tap:
    """A tap on one of Tandem's buttons, read: who tapped, and the button's values."""

    update: Update
    context: TandemContext
    caller: Caller
    query: CallbackQuery
    values: tuple[Any, ...]

    @property
    def services(self) -> Services:
        """The application's services."""
        return self.context.services


PtbCallback = Callable[[Update, TandemContext], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class ButtonRoute:
    """A handler for one kind of button, ready for app.py to register."""

    kind: Kind
    run: PtbCallback
    access: Access


def on_button(
    kind: Kind,
    *,
    roles: frozenset[Role] | None = None,
    strangers: bool = False,
    onboarding_ok: bool = False,
    left_ok: bool = False,
    board_ok: bool = False,
) -> Callable[[Callable[[Tap], Coroutine[Any, Any, None]]], ButtonRoute]:
    """The handler for buttons of `kind`, for the people it is for (others are told why)."""
    access = Access(roles, strangers, onboarding_ok, left_ok, board_ok)
    audited = f"chat.{callbacks.name_of(kind).lower()}"

    def decorate(handler: Callable[[Tap], Coroutine[Any, Any, None]]) -> ButtonRoute:
        @functools.wraps(handler)
        async def run(update: Update, context: TandemContext) -> None:
            query = update.callback_query
            assert query is not None and query.data is not None
            values = kind.parse(query.data)
            if values is None:
                await answer_stale(update, context)
                return
            caller, refused = admit(
                update, context.services, access, action=audited, detail=_named(kind, values)
            )
            if refused is not None:
                await query.answer()
                await reply(update, refused)
                return
            await handler(Tap(update, context, caller, query, values))

        return ButtonRoute(kind, run, access)

    return decorate


def _named(kind: Kind, values: tuple[Any, ...]) -> str:
    """What a button names, for the audit log: its numbers and choices, never free text."""
    return ", ".join(
        str(value) for value, field in zip(values, kind.fields, strict=True) if field is not str
    )
