"""The sandbox's in-memory records: users, private chats, messages, files, queries, webhook."""

from __future__ import annotations

import asyncio
import mimetypes
import random
import secrets
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.sandbox.browser_html import entities_to_html
from bot.sandbox.common import JSONDict
from bot.sandbox.updates import Update


@dataclass(slots=True, eq=False)
class User:
    """A Telegram user acting through the control API."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    started: bool = False
    blocked: bool = False
    deactivated: bool = False

    def to_dict(self) -> JSONDict:
        """The Telegram User object."""
        user: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat_dict(self) -> JSONDict:
        """The Telegram Chat object of the private chat with this user."""
        chat: JSONDict = {"id": self.id, "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        chat["type"] = "private"
        return chat


@dataclass(slots=True, eq=False)
class StoredFile:
    """Bytes known to the bot under a file_id."""

    file_id: str
    file_unique_id: str
    data: bytes
    file_name: str | None
    mime_type: str
    file_path: str

    def to_dict(self) -> JSONDict:
        """The Telegram File object (getFile)."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }

    def document(self) -> JSONDict:
        """The Telegram Document object."""
        doc: JSONDict = {}
        if self.file_name:
            doc["file_name"] = self.file_name
        doc.update(
            mime_type=self.mime_type,
            file_id=self.file_id,
            file_unique_id=self.file_unique_id,
            file_size=len(self.data),
        )
        return doc


class _FileKind(NamedTuple):
    id_prefix: str
    folder: str
    extension: str


_FILE_KINDS = {
    "document": _FileKind("BQACAgQAAxkBAA", "documents", ""),
    "photo": _FileKind("AgACAgQAAxkBAA", "photos", ".jpg"),
    "voice": _FileKind("AwACAgQAAxkBAA", "voice", ".oga"),
    "sticker": _FileKind("CAACAgQAAxkBAA", "stickers", ".webp"),
}


def new_stored_file(
    seq: int, data: bytes, *, kind: str, file_name: str | None, mime_type: str | None
) -> StoredFile:
    """A StoredFile with Telegram-looking ids and a file_path like documents/file_3.pdf."""
    prefix, folder, extension = _FILE_KINDS[kind]
    if file_name and "." in file_name:
        extension = "." + file_name.rsplit(".", 1)[1]
    if mime_type is None:
        guessed = mimetypes.guess_type(file_name or f"x{extension}")[0]
        mime_type = guessed or "application/octet-stream"
    return StoredFile(
        file_id=prefix + secrets.token_urlsafe(36),
        file_unique_id="AgAD" + secrets.token_urlsafe(9),
        data=data,
        file_name=file_name,
        mime_type=mime_type,
        file_path=f"{folder}/file_{seq}{extension}",
    )


@dataclass(slots=True, eq=False)
class Message:
    """A message in a private chat, sent by the bot or by the user."""

    message_id: int
    chat_id: int
    from_bot: bool
    sender: JSONDict
    chat: JSONDict
    date: int
    kind: str
    body: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    reply_markup: JSONDict | None = None
    media: JSONDict = field(default_factory=dict)
    extra: JSONDict = field(default_factory=dict)
    file: StoredFile | None = None
    edit_date: int | None = None
    edits: list[JSONDict] = field(default_factory=list)
    deleted: bool = False

    def to_dict(self) -> JSONDict:
        """The Telegram Message object as it is now."""
        msg: JSONDict = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat,
            "date": self.date,
        }
        if self.edit_date is not None:
            msg["edit_date"] = self.edit_date
        if self.kind == "text":
            msg["text"] = self.body or ""
            if self.entities:
                msg["entities"] = self.entities
        else:
            msg.update(self.media)
            if self.body:
                msg["caption"] = self.body
                if self.entities:
                    msg["caption_entities"] = self.entities
        msg.update(self.extra)
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            msg["reply_markup"] = self.reply_markup
        return msg

    def snapshot(self) -> JSONDict:
        """The control API's view of the message (a copy, safe to keep as history)."""
        is_text = self.kind == "text"
        return {
            "message_id": self.message_id,
            "from": "bot" if self.from_bot else "user",
            "kind": self.kind,
            "date": self.date,
            "text": self.body if is_text else None,
            "entities": list(self.entities),
            "caption": None if is_text else self.body,
            "html": entities_to_html(self.body or "", self.entities),
            "reply_markup": self.reply_markup,
            "edit_date": self.edit_date,
            "edits": list(self.edits),
            "deleted": self.deleted,
            "document": self.file.document() if self.kind == "document" and self.file else None,
            "raw": self.to_dict(),
        }

    def remember_version(self) -> None:
        """Push the current content onto the edit history before it changes."""
        self.edits.append(
            {
                "text": self.body,
                "entities": self.entities,
                "reply_markup": self.reply_markup,
                "edit_date": self.edit_date,
            }
        )


@dataclass(slots=True, eq=False)
class Chat:
    """The private chat between the bot and one user (chat id = user id)."""

    user: User
    messages: dict[int, Message] = field(default_factory=dict)
    events: list[JSONDict] = field(default_factory=list)
    awaiting: list[Update] = field(default_factory=list)
    next_message_id: int = 1
    waiter: asyncio.Event | None = None
    menu_button: JSONDict | None = None
    instance: str = field(default_factory=lambda: str(-random.getrandbits(62)))

    @property
    def id(self) -> int:
        """The chat id."""
        return self.user.id

    def wake(self) -> None:
        """Release everyone long-polling this chat's events."""
        if self.waiter is not None:
            self.waiter.set()
            self.waiter = None


@dataclass(slots=True, eq=False)
class CallbackQuery:
    """A button press waiting for answerCallbackQuery."""

    id: str
    chat_id: int
    message_id: int
    update: Update
    answered: bool = False


@dataclass(slots=True)
class WebhookConfig:
    """What setWebhook stored."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None

    def info(self, pending: int) -> JSONDict:
        """The Telegram WebhookInfo object."""
        info: JSONDict = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": pending,
            "max_connections": self.max_connections,
        }
        if self.ip_address:
            info["ip_address"] = self.ip_address
        if self.allowed_updates is not None:
            info["allowed_updates"] = self.allowed_updates
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info
