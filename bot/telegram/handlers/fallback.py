"""Everything else a person might send: text between conversations, stickers, photos,
voice notes, files, edits, unknown commands and stale buttons. Each gets a kind answer
and a way on; none is met with silence."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Message, Update

from bot.db import Session
from bot.domain import people
from bot.domain.answers import Voice
from bot.models import PersonStatus, Role
from bot.telegram import flows, menus
from bot.telegram.common import Caller, answer_stale, load_caller, next_step
from bot.telegram.flows import Reply, deliver
from bot.telegram.handlers.library import explain_screen
from bot.telegram.handlers.notes import keep_words
from bot.telegram.screens import help_button
from bot.telegram.screens.account import help_screen, left_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Screen, answered_by_typing, reply, rows

log = logging.getLogger(__name__)


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
        answered = False
        if person is not None and person.status in (PersonStatus.ONBOARDING, PersonStatus.ACTIVE):
            outcome = flows.route_text(session, services, caller, text)
            answered = outcome is not None
            if outcome is None and _keeps_notes(caller) and not _looks_up(services, text):
                outcome = Reply.of(keep_words(session, services, caller, text=text))
        elif person is not None and person.status == PersonStatus.LEFT and _keeps_notes(caller):
            # After /stop their words are still theirs: kept, then the way back.
            kept = keep_words(session, services, caller, text=text)
            outcome = Reply.of(kept, left_screen(services, person))
    if outcome is not None:
        if answered:
            await answered_by_typing(update)
        await deliver(update, outcome)
        return
    if person is None:
        await reply(update, help_screen(services, None))
    elif person.status == PersonStatus.LEFT:
        await reply(update, left_screen(services, person))
    elif _looks_up(services, text):
        await reply(update, explain_screen(services, text))
    else:
        await reply(
            update, Screen(services.texts.render("fallback.idle_text"), rows(help_button(services)))
        )


def _keeps_notes(caller: Caller) -> bool:
    """Partners' words outside any question are kept as notes (staff have other tools)."""
    return caller.person is not None and caller.person.role == Role.PARTNER


def _looks_up(services: Services, text: str) -> bool:
    """A word or short phrase from the glossary: explained rather than kept."""
    return len(text.split()) <= 6 and services.library.glossary.lookup(text) is not None


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
        outcome = _media_reply(message, kind, services, caller, session)
    if outcome is not None:
        await deliver(update, outcome)
        return
    await reply(update, next_step(services, caller, f"fallback.{kind}"))


def _media_reply(
    message: Message, kind: str, services: Services, caller: Caller, session: Session
) -> Reply | None:
    """A voice note for a step that takes one; anything else for a step with something to
    say about it (None: nothing is waiting for it)."""
    person = caller.person
    if person is None or person.status != PersonStatus.ACTIVE:
        return None
    media = message.voice or message.audio
    if kind == "voice" and media is not None:
        length = media.duration
        seconds = length.total_seconds() if isinstance(length, timedelta) else length or 0
        voice = Voice(file_id=media.file_id, duration=int(seconds))
        answered = flows.route_voice(session, services, caller, voice)
        if answered is None and _keeps_notes(caller):
            return Reply.of(keep_words(session, services, caller, voice=voice))
        return answered
    label = services.texts.render(f"fallback.kinds.{kind}")
    return flows.route_other(session, services, caller, label)


async def on_edited(update: Update, context: TandemContext) -> None:
    """An edited message: say that the first version stands and how to change things."""
    services = context.services
    with services.db.transaction() as session:
        caller = load_caller(session, update)
    await reply(update, next_step(services, caller, "fallback.edited"))


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
            update, next_step(services, caller, "fallback.unknown_command_short", command=command)
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
    await answer_stale(update, context)


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
