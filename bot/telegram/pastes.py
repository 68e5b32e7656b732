"""Long pastes, joined again: Telegram splits a message over 4,096 characters into several,
sent one straight after another. The parts are one answer, so they are handled as one.

A long text message (JOIN_FROM characters or more) may have a next part: the processor
waits up to JOIN_WAIT seconds for the person's next update and, while it is the next part
(text from the same chat, sent within JOIN_WITHIN seconds), joins it on."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Message, Update

JOIN_FROM = 3000  # characters: Telegram cuts pastes into parts of up to 4,096
JOIN_WAIT = 1.5  # seconds to wait for the next part to arrive
JOIN_WITHIN = 10  # seconds between one part being sent and the next


def may_continue(update: Update) -> Message | None:
    """The message, if it is long text that a next part may follow."""
    message = update.message
    if message is None or message.text is None or message.chat.type != "private":
        return None
    return message if len(message.text) >= JOIN_FROM else None


def is_next_part(previous: Message, update: Update) -> bool:
    """Whether `update` continues the paste that `previous` is part of."""
    message = update.message
    return (
        message is not None
        and message.text is not None
        and not message.text.startswith("/")
        and message.chat.id == previous.chat.id
        and abs((message.date - previous.date).total_seconds()) <= JOIN_WITHIN
    )


def joined(first: Update, parts: Sequence[Message]) -> Update:
    """The first part's update, carrying the whole text (formatting marks are dropped)."""
    assert first.message is not None and first.message.text is not None
    text = first.message.text
    for part in parts:
        assert part.text is not None
        # A cut at a sentence's end was between lines; elsewhere it was at a space.
        between = "\n" if text.rstrip().endswith((".", "!", "?", ":", '"', "”")) else " "
        text = f"{text.rstrip()}{between}{part.text.lstrip()}"
    data = first.to_dict()
    data["message"]["text"] = text
    data["message"].pop("entities", None)
    return Update.de_json(data, first.get_bot())
