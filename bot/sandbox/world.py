"""The sandbox world: bot-side state (WorldState) plus everything users do to the bot."""

from __future__ import annotations

import random

from bot.sandbox.common import ApiError, JSONDict
from bot.sandbox.directory import empty_directory
from bot.sandbox.entities import format_text
from bot.sandbox.markup import find_button, inline_buttons
from bot.sandbox.models import CallbackQuery, Chat, Message, StoredFile
from bot.sandbox.state import FIRST_USER_ID, CommandKey, WorldState
from bot.sandbox.updates import Update

__all__ = ["FIRST_USER_ID", "CommandKey", "World"]

_PHOTO_SIZES = ((90, 67), (320, 240), (1280, 960))


def _placeholder(kind: str, size: int = 64) -> bytes:
    return (f"sandbox {kind} placeholder ".encode() * (size // 16 + 1))[:size]


class World(WorldState):
    """All sandbox state; every mutation goes through a method of World or WorldState."""

    def __init__(self, token: str, username: str, first_name: str = "Tandem") -> None:
        super().__init__(token, username, first_name)
        # Who the web chat lists and which invite it offers (see directory.py).
        self.directory: JSONDict = empty_directory()

    def reset(self) -> None:
        """Forget what WorldState.reset forgets, and the web chat's directory."""
        super().reset()
        self.directory = empty_directory()

    def _acting_chat(self, user_id: int) -> Chat:
        chat = self.chat(user_id)
        if chat.user.deactivated:
            raise ApiError(409, f"user {user_id} is deactivated")
        return chat

    def user_sends(
        self,
        user_id: int,
        kind: str,
        *,
        body: str | None = None,
        entities: list[JSONDict] | None = None,
        media: JSONDict | None = None,
        file: StoredFile | None = None,
    ) -> tuple[Update, Message]:
        """A message from the user; it opens the chat (and unblocks, like a client restart)."""
        chat = self._acting_chat(user_id)
        if chat.user.blocked:
            self.set_blocked(user_id, blocked=False)
        chat.user.started = True
        message = self.add_message(
            chat,
            from_bot=False,
            kind=kind,
            body=body,
            entities=entities,
            media=media,
            file=file,
        )
        update = self.enqueue("message", message.to_dict(), chat.id)
        self.log(chat, "user_message", message=message.snapshot())
        return update, message

    def user_text(self, user_id: int, text: str) -> tuple[Update, Message]:
        """A text message; commands, mentions, hashtags and URLs get their entities."""
        body, entities = format_text(text, None, None)
        if not body:
            raise ApiError(400, "message text is empty")
        return self.user_sends(user_id, "text", body=body, entities=entities)

    def _caption(self, caption: str | None) -> tuple[str | None, list[JSONDict]]:
        if not caption:
            return None, []
        body, entities = format_text(caption, None, None)
        return body or None, entities

    def user_sticker(self, user_id: int, emoji: str) -> tuple[Update, Message]:
        """A regular 512x512 sticker."""
        file = self.store_file(_placeholder("sticker"), kind="sticker", mime_type="image/webp")
        sticker = {
            "width": 512,
            "height": 512,
            "emoji": emoji,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_size": len(file.data),
        }
        return self.user_sends(user_id, "sticker", media={"sticker": sticker}, file=file)

    def user_photo(self, user_id: int, caption: str | None) -> tuple[Update, Message]:
        """A photo in three PhotoSizes, smallest first."""
        sizes = []
        file = None
        for width, height in _PHOTO_SIZES:
            file = self.store_file(
                _placeholder("photo", width), kind="photo", mime_type="image/jpeg"
            )
            sizes.append(
                {
                    "file_id": file.file_id,
                    "file_unique_id": file.file_unique_id,
                    "file_size": len(file.data),
                    "width": width,
                    "height": height,
                }
            )
        body, entities = self._caption(caption)
        return self.user_sends(
            user_id, "photo", body=body, entities=entities, media={"photo": sizes}, file=file
        )

    def user_voice(self, user_id: int, duration: int) -> tuple[Update, Message]:
        """A voice note (OGG/Opus)."""
        file = self.store_file(_placeholder("voice"), kind="voice", mime_type="audio/ogg")
        voice = {
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_size": len(file.data),
        }
        return self.user_sends(user_id, "voice", media={"voice": voice}, file=file)

    def user_document(
        self,
        user_id: int,
        *,
        file_name: str,
        content: bytes,
        mime_type: str | None,
        caption: str | None,
    ) -> tuple[Update, Message]:
        """A file sent as a document."""
        file = self.store_file(content, kind="document", file_name=file_name, mime_type=mime_type)
        body, entities = self._caption(caption)
        media = {"document": file.document()}
        return self.user_sends(
            user_id, "document", body=body, entities=entities, media=media, file=file
        )

    def user_edit(self, user_id: int, message_id: int, text: str) -> Update:
        """The user edits one of their own text messages: an edited_message update."""
        chat = self._acting_chat(user_id)
        message = chat.messages.get(message_id)
        if message is None or message.deleted or message.from_bot:
            raise ApiError(404, f"user {user_id} has no message {message_id}")
        if message.kind != "text":
            raise ApiError(400, "only text messages can be edited")
        body, entities = format_text(text, None, None)
        if not body:
            raise ApiError(400, "message text is empty")
        message.remember_version()
        message.body, message.entities, message.edit_date = body, entities, self.unix_now()
        update = self.enqueue("edited_message", message.to_dict(), chat.id)
        self.log(chat, "user_edit", message=message.snapshot())
        return update

    def set_blocked(self, user_id: int, *, blocked: bool) -> Update:
        """Block or unblock the bot: a my_chat_member update ("kicked" / "member")."""
        chat = self.chat(user_id)
        user = chat.user
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        user.blocked = blocked
        payload = {
            "chat": user.chat_dict(),
            "from": user.to_dict(),
            "date": self.unix_now(),
            "old_chat_member": self._member(old),
            "new_chat_member": self._member(new),
        }
        update = self.enqueue("my_chat_member", payload, chat.id)
        self.log(chat, "user_block" if blocked else "user_unblock")
        return update

    def _member(self, status: str) -> JSONDict:
        member: JSONDict = {"user": self.bot_user, "status": status}
        if status == "kicked":
            member["until_date"] = 0
        return member

    def deactivate(self, user_id: int) -> None:
        """The user deletes their account; Telegram tells the bot nothing."""
        self.chat(user_id).user.deactivated = True

    def press(
        self, user_id: int, *, message_id: int | None, data: str | None, label: str | None
    ) -> tuple[Update, str]:
        """The user taps an inline button: a callback_query update."""
        chat = self._acting_chat(user_id)
        message, button = self._find_pressable(chat, message_id, data, label)
        if "callback_data" not in button:
            raise ApiError(400, f"button {button['text']!r} is not a callback button")
        query_id = str(random.getrandbits(63))
        payload = {
            "id": query_id,
            "from": chat.user.to_dict(),
            "message": message.to_dict(),
            "chat_instance": chat.instance,
            "data": button["callback_data"],
        }
        update = self.enqueue("callback_query", payload, chat.id)
        self.callback_queries[query_id] = CallbackQuery(
            query_id, chat.id, message.message_id, update
        )
        self.log(
            chat,
            "user_press",
            message_id=message.message_id,
            data=button["callback_data"],
            text=button["text"],
            callback_query_id=query_id,
        )
        return update, query_id

    def forge_press(self, user_id: int, *, data: str) -> tuple[Update, str]:
        """A tampered client sends callback data that no button carried, on the chat's
        newest bot message (Telegram passes such data on; bots must not trust it)."""
        chat = self._acting_chat(user_id)
        messages = [m for m in reversed(chat.messages.values()) if m.from_bot and not m.deleted]
        if not messages:
            raise ApiError(400, "there is no bot message to attach the forged press to")
        message = messages[0]
        query_id = str(random.getrandbits(63))
        payload = {
            "id": query_id,
            "from": chat.user.to_dict(),
            "message": message.to_dict(),
            "chat_instance": chat.instance,
            "data": data,
        }
        update = self.enqueue("callback_query", payload, chat.id)
        self.callback_queries[query_id] = CallbackQuery(
            query_id, chat.id, message.message_id, update
        )
        self.log(
            chat,
            "user_press",
            message_id=message.message_id,
            data=data,
            text="(forged)",
            callback_query_id=query_id,
        )
        return update, query_id

    def _find_pressable(
        self, chat: Chat, message_id: int | None, data: str | None, label: str | None
    ) -> tuple[Message, JSONDict]:
        if message_id is not None:
            found = chat.messages.get(message_id)
            candidates = [found] if found is not None else []
        else:
            candidates = list(reversed(chat.messages.values()))
        for message in candidates:
            if message.from_bot and not message.deleted:
                button = find_button(message.reply_markup, data, label)
                if button is not None:
                    return message, button
        wanted = " or ".join(repr(v) for v in dict.fromkeys((data, label)) if v is not None)
        where = f"message {message_id}" if message_id is not None else "any bot message"
        labels = [b["text"] for m in candidates[:1] for b in inline_buttons(m.reply_markup)]
        hint = f" (buttons there: {labels})" if message_id is not None else ""
        raise ApiError(404, f"no inline button {wanted} on {where} in chat {chat.id}{hint}")
