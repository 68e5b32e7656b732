"""Everything else a person might send: text between conversations, stickers, photos,
voice notes, files, edits, unknown commands and stale buttons. Each gets a kind answer
and a way on; none is met with silence."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session
from telegram import Message, Update
from telegram.error import BadRequest

from bot.domain import conversation, people
from bot.domain.answers import Voice
from bot.models import PersonStatus
from bot.telegram import menus
from bot.telegram.common import Caller, load_caller, plain
from bot.telegram.handlers import (
    broadcast,
    library,
    meetings_admin,
    pairs,
    questions,
    reflect,
    review,
)
from bot.telegram.handlers.onboarding import Outcome, deliver, text_answer
from bot.telegram.screens import help_button
from bot.telegram.screens.account import help_screen
from bot.telegram.screens.onboarding import current_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Screen, reply, rows

log = logging.getLogger(__name__)


def _next_step(services: Services, caller: Caller, note_key: str, **context: object) -> Screen:
    """A note followed by wherever the person is: their current step, or help."""
    texts = services.texts
    note = texts.render(note_key, **context)
    person = caller.person
    if person is None:
        return Screen(f"{note}\n\n{texts.render('help.stranger')}")
    if person.status == PersonStatus.LEFT:
        return Screen(f"{note}\n\n{texts.render('start.left')}")
    with services.db.transaction() as session:
        screen = current_screen(session, services, person, caller.first_name)
    return screen.with_text_before(note)


TextFlow = Callable[[Session, Services, Caller, dict[str, object], str], Outcome]

# Conversations that take typed text, by flow name (onboarding and settings are the default).
TEXT_FLOWS: dict[str, TextFlow] = {
    library.QUESTION_FLOW: lambda s, sv, c, d, t: library.question_answer(s, sv, c, d, text=t),
    reflect.FLOW: lambda s, sv, c, d, t: reflect.reflection_answer(s, sv, c, d, text=t),
    questions.ANSWER_FLOW: questions.answer_text,
    review.REPLY_FLOW: review.reply_text,
    review.OUTCOME_FLOW: review.outcome_text,
    broadcast.FLOW: lambda s, sv, c, d, t: (
        broadcast.when_text(s, sv, c, d, t)
        if d.get("step") == "when"
        else broadcast.words_text(s, sv, c, d, t)
    ),
    broadcast.EDIT_FLOW: broadcast.correction_text,
    meetings_admin.NEW_FLOW: meetings_admin.new_meeting_text,
    meetings_admin.MOVE_FLOW: meetings_admin.move_text,
    pairs.RELAY_FLOW: pairs.relay_text,
    pairs.REPORT_FLOW: pairs.report_text,
}


def route_text(session: Session, services: Services, caller: Caller, text: str) -> Outcome | None:
    """Typed text to whichever conversation is waiting for it (None: none is)."""
    state = conversation.get_state(session, person_id=caller.person_id)
    if state is None:
        return None
    flow = TEXT_FLOWS.get(state.flow)
    if flow is not None:
        return flow(session, services, caller, state.data, text)
    return text_answer(session, services, caller, text)


async def on_text(update: Update, context: TandemContext) -> None:
    """Typed text: an answer to whatever is waiting, a word to explain, or a pointer on."""
    services = context.services
    message = update.effective_message
    assert message is not None
    text = message.text or ""
    with services.db.transaction() as session:
        caller = load_caller(session, update)
        person = caller.person
        outcome = None
        if person is not None and person.status in (PersonStatus.ONBOARDING, PersonStatus.ACTIVE):
            outcome = route_text(session, services, caller, text)
    if outcome is not None:
        await deliver(update, context, outcome)
        return
    if person is None:
        await reply(update, help_screen(services, None))
    elif person.status == PersonStatus.LEFT:
        await reply(update, Screen(services.texts.render("start.left")))
    elif len(text.split()) <= 6 and services.library.glossary.lookup(text) is not None:
        await reply(update, library.explain_screen(services, text))
    else:
        await reply(
            update, Screen(services.texts.render("fallback.idle_text"), rows(help_button(services)))
        )


MEDIA_KINDS = (
    ("sticker", "sticker"),
    ("photo", "photo"),
    ("voice", "voice"),
    ("audio", "voice"),
    ("video_note", "video"),
    ("video", "video"),
    ("animation", "video"),
    ("document", "document"),
    ("location", "location"),
    ("contact", "contact"),
)


def media_kind(message: Message) -> str:
    """Which kind of non-text message this is (for choosing the answer)."""
    for attribute, kind in MEDIA_KINDS:
        if getattr(message, attribute, None):
            return kind
    return "other"


async def on_media(update: Update, context: TandemContext) -> None:
    """Voice notes answer what is waiting for one; stickers, photos and files get a kind
    explanation and the way on."""
    services = context.services
    message = update.effective_message
    assert message is not None
    kind = media_kind(message)
    with services.db.transaction() as session:
        caller = load_caller(session, update)
        outcome = _media_outcome(session, services, caller, message, kind)
    if outcome is not None:
        await deliver(update, context, outcome)
        return
    await reply(update, _next_step(services, caller, f"fallback.{kind}"))


def _media_outcome(
    session: Session, services: Services, caller: Caller, message: Message, kind: str
) -> Outcome | None:
    person = caller.person
    if person is None or person.status != PersonStatus.ACTIVE:
        return None
    state = conversation.get_state(session, person_id=caller.person_id)
    if state is None or state.flow not in (reflect.FLOW, library.QUESTION_FLOW):
        return None
    if kind == "voice" and (message.voice or message.audio):
        media = message.voice or message.audio
        assert media is not None
        length = media.duration
        seconds = length.total_seconds() if isinstance(length, timedelta) else length or 0
        voice = Voice(file_id=media.file_id, duration=int(seconds))
        if state.flow == library.QUESTION_FLOW:
            return library.question_answer(session, services, caller, state.data, voice=voice)
        return reflect.reflection_answer(session, services, caller, state.data, voice=voice)
    if state.flow == reflect.FLOW:
        label = services.texts.render(f"fallback.kinds.{kind}")
        return reflect.reflection_not_text(session, services, caller, state.data, label)
    return None


async def on_edited(update: Update, context: TandemContext) -> None:
    """An edited message: say that the first version stands and how to change things."""
    services = context.services
    with services.db.transaction() as session:
        caller = load_caller(session, update)
    await reply(update, _next_step(services, caller, "fallback.edited"))


async def on_unknown_command(update: Update, context: TandemContext) -> None:
    """A command Tandem does not know (or not for this person's role)."""
    services = context.services
    message = update.effective_message
    assert message is not None
    command = (message.text or "/").split()[0].split("@")[0]
    with services.db.transaction() as session:
        caller = load_caller(session, update)
    person = caller.person
    if person is None or person.status != PersonStatus.ACTIVE:
        await reply(
            update, _next_step(services, caller, "fallback.unknown_command_short", command=command)
        )
        return
    known = "\n".join(f"/{name}" for name, _ in menus.commands_for(person.role))
    await reply(
        update,
        Screen(
            services.texts.render("fallback.unknown_command", command=command, commands=known),
            rows(help_button(services)),
        ),
    )


async def on_stale_button(update: Update, context: TandemContext) -> None:
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
    await reply(update, _next_step(services, caller, "fallback.stale_here"))


async def on_group_message(update: Update, context: TandemContext) -> None:
    """Tandem works one-to-one; in a group it says so once per message and does nothing else."""
    await reply(update, Screen(context.services.texts.render("fallback.private_only")))


async def on_my_chat_member(update: Update, context: TandemContext) -> None:
    """The person blocked or unblocked the bot: stop or restart sending to them."""
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    services = context.services
    status = change.new_chat_member.status
    with services.db.transaction() as session:
        if status in ("kicked", "left"):
            people.mark_unreachable(
                session,
                telegram_user_id=change.from_user.id,
                reason="blocked the bot",
                clock=services.clock,
            )
        elif status == "member":
            people.mark_reachable(session, telegram_user_id=change.from_user.id)
