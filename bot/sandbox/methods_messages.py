"""Bot API methods that send, edit and delete messages, answer queries and serve files."""

from __future__ import annotations

import mimetypes
import posixpath
from typing import Any
from urllib.parse import urlsplit

from bot.sandbox.common import JSONDict, bad_request
from bot.sandbox.entities import format_text
from bot.sandbox.markup import parse_reply_markup
from bot.sandbox.models import Chat, Message, StoredFile
from bot.sandbox.params import Params
from bot.sandbox.registry import ApiCall, api_method
from bot.sandbox.textutil import utf16_len

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
DELETE_WINDOW = 48 * 3600
DOWNLOAD_LIMIT = 20 * 1024 * 1024
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_MARKUP_ERROR = "can't parse reply keyboard markup JSON object"


def _text(params: Params, name: str, entities_name: str) -> tuple[str, list[JSONDict]]:
    raw = params.get_str(name) or ""
    entities = params.get_json(entities_name, "can't parse entities JSON object")
    return format_text(raw, params.get_str("parse_mode"), entities)


def _message_text(params: Params) -> tuple[str, list[JSONDict]]:
    text, entities = _text(params, "text", "entities")
    if not text:
        raise bad_request("message text is empty")
    return text, entities


def _caption(params: Params) -> tuple[str | None, list[JSONDict]]:
    caption, entities = _text(params, "caption", "caption_entities")
    if utf16_len(caption) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return caption or None, entities


def _markup(params: Params, *, inline_only: bool = False) -> JSONDict | None:
    markup = parse_reply_markup(params.get_json("reply_markup", _MARKUP_ERROR))
    if inline_only and markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return markup


def _extras(params: Params, chat: Chat) -> JSONDict:
    extra: JSONDict = {}
    reply: Any = params.get_json("reply_parameters", "can't parse reply parameters JSON object")
    if reply is None and params.get_int("reply_to_message_id"):
        reply = {"message_id": params.get_int("reply_to_message_id")}
    if isinstance(reply, dict) and reply.get("message_id"):
        target = chat.messages.get(int(reply["message_id"]))
        if target is not None and not target.deleted:
            quoted = target.to_dict()
            quoted.pop("reply_to_message", None)
            extra["reply_to_message"] = quoted
        elif not reply.get("allow_sending_without_reply"):
            raise bad_request("message to be replied not found")
    preview = params.get_json("link_preview_options", "can't parse link preview options")
    if isinstance(preview, dict) and preview:
        extra["link_preview_options"] = preview
    elif params.get_bool("disable_web_page_preview"):
        extra["link_preview_options"] = {"is_disabled": True}
    if params.get_bool("protect_content"):
        extra["has_protected_content"] = True
    return extra


@api_method("sendMessage")
async def send_message(call: ApiCall) -> JSONDict:
    """sendMessage."""
    params = call.params
    text, entities = _message_text(params)
    markup = _markup(params)
    chat = call.world.chat_for_bot(params.chat_id())
    if utf16_len(text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    message = call.world.add_message(
        chat,
        from_bot=True,
        kind="text",
        body=text,
        entities=entities,
        reply_markup=markup,
        extra=_extras(params, chat),
    )
    return message.to_dict()


def _document(call: ApiCall) -> StoredFile:
    params, world = call.params, call.world
    upload = params.uploads.get("document")
    raw = params.get_str("document")
    if upload is None and raw and raw.startswith("attach://"):
        upload = params.uploads.get(raw.removeprefix("attach://"))
    if upload is not None:
        if not upload.data:
            raise bad_request("file must be non-empty")
        mime = upload.content_type or None
        return world.store_file(
            upload.data, kind="document", file_name=upload.filename, mime_type=mime
        )
    if not raw:
        raise bad_request("there is no document in the request")
    if raw in world.files:
        return world.files[raw]
    if raw.startswith(("http://", "https://")):
        name = posixpath.basename(urlsplit(raw).path) or "file"
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return world.store_file(b"", kind="document", file_name=name, mime_type=mime)
    raise bad_request("wrong file identifier/HTTP URL specified")


@api_method("sendDocument")
async def send_document(call: ApiCall) -> JSONDict:
    """sendDocument: a multipart upload, a known file_id or an HTTP URL."""
    params = call.params
    caption, entities = _caption(params)
    markup = _markup(params)
    file = _document(call)
    chat = call.world.chat_for_bot(params.chat_id())
    message = call.world.add_message(
        chat,
        from_bot=True,
        kind="document",
        body=caption,
        entities=entities,
        reply_markup=markup,
        media={"document": file.document()},
        file=file,
        extra=_extras(params, chat),
    )
    return message.to_dict()


def _editable(call: ApiCall, missing: str) -> tuple[Chat, Message]:
    params = call.params
    if params.raw("chat_id") is None and params.raw("inline_message_id") is not None:
        raise bad_request("MESSAGE_ID_INVALID")
    chat = call.world.chat_for_bot(params.chat_id())
    message_id = params.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = chat.messages.get(message_id)
    if message is None or message.deleted:
        raise bad_request(missing)
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


def _apply_edit(
    call: ApiCall, chat: Chat, message: Message, body: str | None, entities: list[JSONDict]
) -> JSONDict:
    markup = _markup(call.params, inline_only=True)
    current = (message.body, message.entities, message.reply_markup)
    if (body, entities, markup) == current:
        raise bad_request(_NOT_MODIFIED)
    call.world.edit_message(chat, message, body=body, entities=entities, reply_markup=markup)
    return message.to_dict()


@api_method("editMessageText")
async def edit_message_text(call: ApiCall) -> JSONDict:
    """editMessageText: replaces text and (absent reply_markup = none) the inline keyboard."""
    text, entities = _message_text(call.params)
    chat, message = _editable(call, "message to edit not found")
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    if utf16_len(text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return _apply_edit(call, chat, message, text, entities)


@api_method("editMessageCaption")
async def edit_message_caption(call: ApiCall) -> JSONDict:
    """editMessageCaption."""
    caption, entities = _caption(call.params)
    chat, message = _editable(call, "message to edit not found")
    if message.kind == "text":
        raise bad_request("there is no caption in the message to edit")
    return _apply_edit(call, chat, message, caption, entities)


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(call: ApiCall) -> JSONDict:
    """editMessageReplyMarkup: replaces (or with no reply_markup removes) the keyboard."""
    chat, message = _editable(call, "message to edit not found")
    return _apply_edit(call, chat, message, message.body, message.entities)


@api_method("deleteMessage")
async def delete_message(call: ApiCall) -> bool:
    """deleteMessage: 48 hours, then only "for me", which bots cannot do."""
    params = call.params
    chat = call.world.chats.get(params.chat_id())
    if chat is None:
        raise bad_request("chat not found")
    message = chat.messages.get(params.required_int("message_id"))
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    if call.world.unix_now() - message.date > DELETE_WINDOW:
        raise bad_request("message can't be deleted for everyone")
    call.world.delete_message(chat, message)
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(call: ApiCall) -> bool:
    """answerCallbackQuery: once per query, text up to 200 characters."""
    params = call.params
    text = params.get_str("text")
    if text is not None and utf16_len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    answer = {"text": text, "show_alert": params.get_bool("show_alert")}
    if params.get_str("url"):
        answer["url"] = params.get_str("url")
    call.world.answer_callback(params.get_str("callback_query_id") or "", answer)
    return True


@api_method("sendChatAction")
async def send_chat_action(call: ApiCall) -> bool:
    """sendChatAction: recorded in the chat's event log."""
    params = call.params
    action = params.get_str("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat = call.world.chat_for_bot(params.chat_id())
    call.world.log(chat, "chat_action", action=action)
    return True


@api_method("getFile")
async def get_file(call: ApiCall) -> JSONDict:
    """getFile: the bytes are then served under /file/bot<token>/<file_path>."""
    stored = call.world.files.get(call.params.get_str("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.data) > DOWNLOAD_LIMIT:
        raise bad_request("file is too big")
    return stored.to_dict()
