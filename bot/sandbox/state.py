"""The core of the in-memory Telegram: the bot, users, chats, messages, events, files, commands.

How updates reach the bot (getUpdates, delivery timings) is in delivery.py.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from contextlib import suppress

from bot.sandbox.common import ApiError, JSONDict, bad_request, forbidden, monotonic, unix_now
from bot.sandbox.delivery import UpdateDelivery
from bot.sandbox.limits import FaultSet, RateLimiter
from bot.sandbox.models import CallbackQuery, Chat, Message, StoredFile, User, new_stored_file

__all__ = ["FIRST_USER_ID", "CommandKey", "WorldState"]

CommandKey = tuple[str, int | None, int | None, str]
FIRST_USER_ID = 1000001


class WorldState(UpdateDelivery):
    """Bot-side state and its mutations; World adds what users do."""

    def __init__(self, token: str, username: str, first_name: str = "Tandem") -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("token must look like '<bot id>:<secret>'")
        super().__init__()
        self.token = token
        self.bot_user: JSONDict = {
            "id": int(bot_id),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.faults = FaultSet()
        # Seconds added to the real time in message dates: a demo running on its own clock.
        self.clock_offset = 0.0
        self.limits = RateLimiter()
        self.bot_settings: JSONDict = {"description": "", "short_description": ""}
        self.default_menu_button: JSONDict = {"type": "commands"}
        self.closing = False
        self._close_event: asyncio.Event | None = None
        self._file_seq = 0
        self._next_user_id = FIRST_USER_ID
        self.users: dict[int, User] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.commands: dict[CommandKey, list[JSONDict]] = {}
        self.requests: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        # Every chat's events in one feed (global seq), for watchers of many chats at once.
        self.feed: list[JSONDict] = []
        self._feed_waiter: asyncio.Event | None = None

    def unix_now(self) -> int:
        """Telegram's `date` now: wall-clock seconds, moved by `clock_offset`."""
        return unix_now() + round(self.clock_offset)

    @property
    def bot_id(self) -> int:
        """The bot's user id (the token's numeric prefix)."""
        return int(self.bot_user["id"])

    def reset(self) -> None:
        """Forget users, chats, updates, files, faults, commands and statistics."""
        for chat in self.chats.values():
            chat.wake()
        for collection in (
            self.users,
            self.chats,
            self.files,
            self.files_by_path,
            self.callback_queries,
            self.commands,
            self.requests,
            self.errors,
            self.feed,
        ):
            collection.clear()
        self.updates.clear()
        self.faults.clear()
        self.limits.reset()
        self._next_user_id = FIRST_USER_ID

    def open(self) -> None:
        """Accept long polls again (after close)."""
        self.closing = False
        self._close_event = None

    def close(self) -> None:
        """Release every long poll and pause at once: the server is stopping."""
        self.closing = True
        if self._close_event is not None:
            self._close_event.set()
        self.release_poll()
        for chat in self.chats.values():
            chat.wake()
        if self._feed_waiter is not None:
            self._feed_waiter.set()
            self._feed_waiter = None

    async def pause(self, seconds: float) -> None:
        """Sleep for an injected delay, cut short when the server stops."""
        if self.closing or seconds <= 0:
            return
        if self._close_event is None:
            self._close_event = asyncio.Event()
        with suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._close_event.wait()

    # ------------------------------------------------------------------ users and chats

    def create_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
        started: bool = False,
    ) -> User:
        """Add a user and the private chat with the bot (not yet started, unless `started`:
        someone who pressed Start earlier, as a seeded population has)."""
        if user_id is None:
            while self._next_user_id in self.users:
                self._next_user_id += 1
            user_id = self._next_user_id
            self._next_user_id += 1
        elif user_id <= 0 or user_id in self.users or user_id == self.bot_id:
            raise ApiError(409, f"user id {user_id} is taken or invalid")
        user = User(user_id, first_name, last_name, username, language_code)
        user.started = started
        self.users[user_id] = user
        self.chats[user_id] = Chat(user)
        return user

    def chat(self, chat_id: int) -> Chat:
        """The chat for the control API (404 when unknown)."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ApiError(404, f"no user or chat with id {chat_id}")
        return chat

    def chat_for_bot(self, chat_id: int) -> Chat:
        """The chat for a Bot API call, with Telegram's errors when the bot may not write."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat.user.deactivated:
            raise forbidden("user is deactivated")
        if chat.user.blocked:
            raise forbidden("bot was blocked by the user")
        if not chat.user.started:
            raise forbidden("bot can't initiate conversation with a user")
        return chat

    # ------------------------------------------------------------------ messages and events

    def add_message(
        self,
        chat: Chat,
        *,
        from_bot: bool,
        kind: str,
        body: str | None,
        entities: list[JSONDict] | None = None,
        reply_markup: JSONDict | None = None,
        media: JSONDict | None = None,
        extra: JSONDict | None = None,
        file: StoredFile | None = None,
    ) -> Message:
        """Store a new message in `chat` (a bot message is also logged as an event)."""
        message = Message(
            message_id=chat.next_message_id,
            chat_id=chat.id,
            from_bot=from_bot,
            sender=self.bot_user if from_bot else chat.user.to_dict(),
            chat=chat.user.chat_dict(),
            date=self.unix_now(),
            kind=kind,
            body=body,
            entities=entities or [],
            reply_markup=reply_markup,
            media=media or {},
            extra=extra or {},
            file=file,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        if from_bot:
            self.log(chat, "message", message=message.snapshot())
        return message

    def edit_message(
        self,
        chat: Chat,
        message: Message,
        *,
        body: str | None,
        entities: list[JSONDict],
        reply_markup: JSONDict | None,
    ) -> None:
        """Replace a bot message's content, keeping the previous version in its history."""
        message.remember_version()
        message.body, message.entities, message.reply_markup = body, entities, reply_markup
        message.edit_date = self.unix_now()
        self.log(chat, "edit", message=message.snapshot())

    def delete_message(self, chat: Chat, message: Message) -> None:
        """Mark a message deleted (it stays in the transcript)."""
        message.deleted = True
        self.log(chat, "delete", message=message.snapshot())

    def log(self, chat: Chat, kind: str, **fields: object) -> JSONDict:
        """Append an event to the chat's log and wake its long polls."""
        event: JSONDict = {"seq": len(chat.events) + 1, "type": kind, "at": time.time()}
        event.update(fields)
        chat.events.append(event)
        chat.wake()
        self.feed.append({"feed_seq": len(self.feed) + 1, "chat_id": chat.id, **event})
        if self._feed_waiter is not None:
            self._feed_waiter.set()
            self._feed_waiter = None
        return event

    async def wait_events(self, chat: Chat, after: int, wait: float) -> list[JSONDict]:
        """Events after `after`, waiting up to `wait` seconds for the first one."""
        after = max(0, after)
        if len(chat.events) <= after and wait > 0 and not self.closing:
            if chat.waiter is None:
                chat.waiter = asyncio.Event()
            waiter = chat.waiter
            with suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await waiter.wait()
        return chat.events[after:]

    async def wait_feed(self, after: int, wait: float, limit: int) -> list[JSONDict]:
        """Events of every chat after feed position `after`, waiting up to `wait` seconds."""
        after = max(0, after)
        if len(self.feed) <= after and wait > 0 and not self.closing:
            if self._feed_waiter is None:
                self._feed_waiter = asyncio.Event()
            waiter = self._feed_waiter
            with suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await waiter.wait()
        return self.feed[after : after + limit]

    # ------------------------------------------------------------------ callback queries

    def answer_callback(self, query_id: str, answer: JSONDict) -> None:
        """answerCallbackQuery: each query may be answered once."""
        query = self.callback_queries.get(query_id)
        if query is None or query.answered:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        query.answered = True
        update = query.update
        if update.delivered_at is not None and update.first_reaction_at is None:
            update.first_reaction_at = monotonic()
        chat = self.chats.get(query.chat_id)
        if chat is not None:
            if update in chat.awaiting:
                chat.awaiting.remove(update)
            self.log(
                chat, "callback_answer", callback_answer={"callback_query_id": query_id, **answer}
            )

    # ------------------------------------------------------------------ files

    def store_file(
        self, data: bytes, *, kind: str, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        """Keep bytes under a fresh file_id and file_path."""
        self._file_seq += 1
        stored = new_stored_file(
            self._file_seq, data, kind=kind, file_name=file_name, mime_type=mime_type
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    # ------------------------------------------------------------------ commands

    def set_commands(self, key: CommandKey, commands: list[JSONDict]) -> None:
        """setMyCommands (an empty list deletes, as in Telegram)."""
        if commands:
            self.commands[key] = commands
        else:
            self.commands.pop(key, None)

    def commands_for_chat(self, chat_id: int) -> list[JSONDict]:
        """The menu a user sees: chat scope, all_private_chats, default; language first."""
        chat = self.chat(chat_id)
        language = chat.user.language_code or ""
        for scope, scope_chat in (
            ("chat", chat_id),
            ("all_private_chats", None),
            ("default", None),
        ):
            for lang in (language, ""):
                found = self.commands.get((scope, scope_chat, None, lang))
                if found:
                    return found
        return []
