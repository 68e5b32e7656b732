"""Screens (text + buttons) and the few ways they reach a chat."""

from __future__ import annotations

import asyncio
import html
import logging
import weakref
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import (
    Bot,
    CallbackQuery,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.library.markdown import split_message, visible_length

log = logging.getLogger(__name__)

Keyboard = dict[str, Any]  # an InlineKeyboardMarkup as the Bot API's JSON
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit
MESSAGE_LIMIT = 4096  # characters of visible text, Telegram's limit


@dataclass(frozen=True)
class Button:
    """One inline button: a label and either callback data or a URL."""

    label: str
    data: str | None = None
    url: str | None = None

    def json(self) -> dict[str, str]:
        """The button as the Bot API's InlineKeyboardButton object."""
        if self.url is not None:
            return {"text": self.label, "url": self.url}
        return {"text": self.label, "callback_data": self.data or ""}

    def __post_init__(self) -> None:
        # Labels are plain text on Telegram: a label rendered from an HTML template (with a
        # name such as "Amina & Bill" in it) must not show "&amp;".
        object.__setattr__(self, "label", html.unescape(self.label))
        if self.data is not None and len(self.data.encode()) > CALLBACK_DATA_LIMIT:
            raise ValueError(f"callback data over {CALLBACK_DATA_LIMIT} bytes: {self.data!r}")


@dataclass(frozen=True)
class Screen:
    """A message to show: HTML text and rows of buttons."""

    text: str
    rows: tuple[tuple[Button, ...], ...] = ()

    def markup(self) -> Keyboard | None:
        """The inline keyboard, if the screen has buttons, as the Bot API's JSON.

        Built as plain JSON, not PTB's InlineKeyboardMarkup: making and serialising a PTB
        object for every button of every reply was a tenth of the bot's CPU (issue 16).
        """
        if not self.rows:
            return None
        return {"inline_keyboard": [[button.json() for button in row] for row in self.rows]}

    def with_text_before(self, text: str) -> Screen:
        """The same screen with a paragraph in front (for a note such as an error)."""
        return Screen(text=f"{text}\n\n{self.text}" if text else self.text, rows=self.rows)


def rows(*lines: Sequence[Button] | Button) -> tuple[tuple[Button, ...], ...]:
    """Button rows from a mix of single buttons (one per row) and sequences (one row)."""
    return tuple((line,) if isinstance(line, Button) else tuple(line) for line in lines)


def stacked(buttons: Iterable[Button]) -> tuple[tuple[Button, ...], ...]:
    """One button per row (the easiest to tap on a phone)."""
    return tuple((button,) for button in buttons)


_NO_PREVIEW = {"is_disabled": True}  # LinkPreviewOptions, as JSON


# Telegram's method names are case-insensitive ("All methods in the Bot API are
# case-insensitive", core.telegram.org/bots/api#making-requests). Called by these spellings,
# which are not PTB's own method names, `do_api_request` hands back Telegram's answer as it
# came instead of building a whole `Message` from it: Tandem keeps only the id of what it
# sends (and nothing of what it edits), and building the Message cost more CPU than anything
# else in a send or an edit (bench/updates.py).
SEND_MESSAGE = "sendmessage"
EDIT_TEXT = "editmessagetext"
EDIT_BUTTONS = "editmessagereplymarkup"


async def send(bot: Bot, chat_id: int, screen: Screen, **pacing: Any) -> int:
    """Send a screen to a chat; text over Telegram's limit goes as several messages, split
    between paragraphs, with the buttons under the last. The id of the last message sent.
    `pacing` goes to the rate limiter (the outbox's sends are bulk)."""
    # Markup only adds characters, so text this short cannot be over the limit.
    short = len(screen.text) <= MESSAGE_LIMIT
    chunks = [screen.text] if short else split_message(screen.text, MESSAGE_LIMIT)
    sent: Any = None
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        sent = await bot.do_api_request(
            SEND_MESSAGE,
            api_kwargs={
                "chat_id": chat_id,
                "text": chunk,
                "parse_mode": ParseMode.HTML,
                "reply_markup": screen.markup() if last else None,
                "link_preview_options": _NO_PREVIEW,
            },
            **pacing,
        )
    assert isinstance(sent, dict)
    message_id: int = sent["message_id"]
    return message_id


async def edit_message(
    bot: Bot,
    chat_id: int,
    message_id: int,
    text: str,
    markup: Keyboard | None = None,
    **pacing: Any,
) -> None:
    """Change the words (and buttons: none unless given) of a message Tandem sent."""
    await bot.do_api_request(
        EDIT_TEXT,
        api_kwargs={
            "chat_id": chat_id,
            "message_id": message_id,
            "text": text,
            "parse_mode": ParseMode.HTML,
            "reply_markup": markup,
            "link_preview_options": _NO_PREVIEW,
        },
        **pacing,
    )


# The last message with buttons sent in reply to each person, by bot (`id`, dropped with
# the bot): a typed answer takes the buttons off the question it answered.
_ASKED: dict[int, dict[int, int]] = {}
# The update whose answer is complete: a safeguarding signpost was sent in answer to it, and
# nothing else may follow it in that turn (issue 15). PTB hands one update to its handlers in
# turn within one task, so a handler that runs later for the same update sees the mark; the
# update id keeps it from ever holding back an answer to another update.
_ANSWERED: ContextVar[int | None] = ContextVar("tandem_answered_update", default=None)


def answer_only_with_this(update: Update) -> None:
    """Say nothing more in answer to this update: what was sent is its whole answer (a
    safeguarding signpost). Handlers still act on it; `reply` sends nothing for it."""
    _ANSWERED.set(update.update_id)


def is_answered(update: Update) -> bool:
    """Whether this update's answer is complete (see `answer_only_with_this`)."""
    return _ANSWERED.get() == update.update_id


async def reply(update: Update, screen: Screen) -> int | None:
    """Send a screen to the chat an update came from (unless its answer is complete); the id
    of the message sent."""
    chat = update.effective_chat
    if chat is None or is_answered(update):
        return None
    bot = update.get_bot()
    sent = await send(bot, chat.id, screen)
    if screen.rows:
        if id(bot) not in _ASKED:
            _ASKED[id(bot)] = {}
            weakref.finalize(bot, _ASKED.pop, id(bot), None)
        _ASKED[id(bot)][chat.id] = sent
    return sent


async def answered_by_typing(update: Update) -> None:
    """A typed answer came: the question it answered loses its buttons (as a tapped one
    does), so they cannot be tapped as well. Kept in memory: after a restart, an old
    button is met as out of date instead."""
    chat, bot = update.effective_chat, update.get_bot()
    message_id = _ASKED.get(id(bot), {}).pop(chat.id, None) if chat else None
    if chat is None or message_id is None:
        return
    try:
        await bot.do_api_request(
            EDIT_BUTTONS, api_kwargs={"chat_id": chat.id, "message_id": message_id}
        )
    except BadRequest:  # already without buttons, or gone: nothing to take off
        log.debug("no buttons to take off message %s", message_id)


async def settle(
    query: CallbackQuery,
    toast: str | None = None,
    *,
    shown: str | None = None,
    below: Screen | None = None,
) -> None:
    """Acknowledge a button tap and confirm it in place, as Telegram's own bots do: the tapped
    message keeps its words, gains a line saying what was chosen ("✓ I agree") and loses
    its buttons, so old choices cannot be tapped twice.

    `shown` is what that line says (default: the tapped button's label); "" only takes the
    buttons away (for taps that are not a choice, such as Next or Back). `below` is said
    under the confirmation, with its own buttons (a time zone said back, with "Change time
    zone"): an edit, where a new message would spend the chat's budget with Telegram.
    """
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        await query.answer(text=toast)
        return
    # The answer (which stops the button's spinner) and the confirmation go at once: one
    # round trip to Telegram instead of two before the next screen is sent.
    outcomes = await asyncio.gather(
        query.answer(text=toast), _confirm(query, message, shown, below), return_exceptions=True
    )
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


async def _confirm(
    query: CallbackQuery, message: Message, shown: str | None, below: Screen | None
) -> None:
    """Edit the tapped message: its buttons go, and a line says what was chosen."""
    chosen = _tapped_label(message, query.data) if shown is None else shown
    confirmed = _confirmed_text(message, chosen)
    bot, where = query.get_bot(), (message.chat.id, message.message_id)
    try:
        if below is not None:
            text = f"{confirmed or message.text_html}\n\n{below.text}"
            await edit_message(bot, *where, text, below.markup())
        elif confirmed is None:  # no reply_markup: its buttons go
            await bot.do_api_request(
                EDIT_BUTTONS, api_kwargs={"chat_id": where[0], "message_id": where[1]}
            )
        else:
            await edit_message(bot, *where, confirmed)
    except BadRequest as exc:
        # Already confirmed (a double tap): nothing to do.
        if "not modified" not in str(exc).lower():
            raise


def _tapped_label(message: Message, data: str | None) -> str:
    """The label of the button whose data was tapped ("" if it is not on the message)."""
    markup = message.reply_markup
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            if button.callback_data == data:
                return button.text
    return ""


def _confirmed_text(message: Message, chosen: str) -> str | None:
    """The message's words with "✓ chosen" under them (None: only take the buttons off, when
    there is nothing to say or no room for it)."""
    if not chosen or message.text is None:
        return None
    line = f"<b>✓ {html.escape(chosen)}</b>"
    if len(message.text) + len(chosen) + 4 > MESSAGE_LIMIT:
        return None
    return f"{message.text_html}\n\n{line}"


async def edit(query: CallbackQuery, screen: Screen) -> None:
    """Show `screen` in place of the tapped message (paging, ticking choices); a screen too
    long for one message is sent as new messages instead."""
    if len(screen.text) > MESSAGE_LIMIT and visible_length(screen.text) > MESSAGE_LIMIT:
        await settle(query)
        if isinstance(query.message, Message):
            await send(query.get_bot(), query.message.chat.id, screen)
        return
    if not isinstance(query.message, Message):
        return  # an inline message: Tandem sends none
    message = query.message
    try:
        await edit_message(
            query.get_bot(), message.chat.id, message.message_id, screen.text, screen.markup()
        )
    except BadRequest as exc:
        # The same screen again (a double tap): Telegram refuses a no-op edit; nothing to do.
        if "not modified" not in str(exc).lower():
            raise
