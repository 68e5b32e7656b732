"""The /control routes that act as Telegram users: create them, and write, tap and block."""

from __future__ import annotations

import base64
import binascii

from starlette.requests import Request
from starlette.responses import Response

from bot.sandbox.common import ApiError, JSONDict
from bot.sandbox.control_request import Endpoint, field, json_body, reply, world_of
from bot.sandbox.updates import Update

__all__ = ["USER_ROUTES"]


def _sent(update: Update, message: JSONDict) -> Response:
    return reply({"update_id": update.update_id, "message": message})


async def create_user(request: Request) -> Response:
    """POST /control/users."""
    body = await json_body(request)
    user = world_of(request).create_user(
        field(body, "first_name", str, required=True),
        last_name=field(body, "last_name", str),
        username=field(body, "username", str),
        language_code=field(body, "language_code", str, "en"),
        user_id=field(body, "id", int),
        started=field(body, "started", bool, False),
    )
    return reply(user.to_dict())


async def create_users(request: Request) -> Response:
    """POST /control/users/bulk {users: [{first_name, id?}], started?}: many users at once."""
    body = await json_body(request)
    entries = body.get("users")
    if not isinstance(entries, list) or len(entries) > 100_000:
        raise ApiError(400, "users must be a list (at most 100000)")
    started = field(body, "started", bool, False)
    world = world_of(request)
    made = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ApiError(400, "each user must be an object")
        made.append(
            world.create_user(
                field(entry, "first_name", str, required=True),
                user_id=field(entry, "id", int),
                started=started,
            ).to_dict()
        )
    return reply(made)


async def list_users(request: Request) -> Response:
    """GET /control/users."""
    return reply([user.to_dict() for user in world_of(request).users.values()])


def _user_id(request: Request) -> int:
    user_id: int = request.path_params["user_id"]
    return user_id


async def user_text(request: Request) -> Response:
    """POST /control/users/{id}/text."""
    body = await json_body(request)
    update, message = world_of(request).user_text(
        _user_id(request), field(body, "text", str, required=True)
    )
    return _sent(update, message.to_dict())


async def user_press(request: Request) -> Response:
    """POST /control/users/{id}/press: by callback data or label."""
    body = await json_body(request)
    data, label = field(body, "data", str), field(body, "text", str)
    if data is None and label is None:
        raise ApiError(400, "give data or text")
    update, query_id = world_of(request).press(
        _user_id(request), message_id=field(body, "message_id", int), data=data, label=label
    )
    return reply({"update_id": update.update_id, "callback_query_id": query_id})


async def user_forge(request: Request) -> Response:
    """POST /control/users/{id}/forge: callback data no button carried (a tampered client)."""
    body = await json_body(request)
    update, query_id = world_of(request).forge_press(
        _user_id(request), data=field(body, "data", str, required=True)
    )
    return reply({"update_id": update.update_id, "callback_query_id": query_id})


async def user_sticker(request: Request) -> Response:
    """POST /control/users/{id}/sticker."""
    body = await json_body(request)
    emoji = field(body, "emoji", str, "👍")
    update, message = world_of(request).user_sticker(_user_id(request), emoji)
    return _sent(update, message.to_dict())


async def user_photo(request: Request) -> Response:
    """POST /control/users/{id}/photo."""
    body = await json_body(request)
    update, message = world_of(request).user_photo(_user_id(request), field(body, "caption", str))
    return _sent(update, message.to_dict())


async def user_voice(request: Request) -> Response:
    """POST /control/users/{id}/voice."""
    body = await json_body(request)
    duration = field(body, "duration", int, 5)
    update, message = world_of(request).user_voice(_user_id(request), duration)
    return _sent(update, message.to_dict())


async def user_document(request: Request) -> Response:
    """POST /control/users/{id}/document (content_base64)."""
    body = await json_body(request)
    try:
        content = base64.b64decode(field(body, "content_base64", str, required=True), validate=True)
    except binascii.Error:
        raise ApiError(400, "content_base64 is not valid base64") from None
    update, message = world_of(request).user_document(
        _user_id(request),
        file_name=field(body, "file_name", str, required=True),
        content=content,
        mime_type=field(body, "mime_type", str),
        caption=field(body, "caption", str),
    )
    return _sent(update, message.to_dict())


async def user_edit(request: Request) -> Response:
    """POST /control/users/{id}/edit."""
    body = await json_body(request)
    update = world_of(request).user_edit(
        _user_id(request),
        field(body, "message_id", int, required=True),
        field(body, "text", str, required=True),
    )
    return reply({"update_id": update.update_id})


async def user_block(request: Request) -> Response:
    """POST /control/users/{id}/block."""
    update = world_of(request).set_blocked(_user_id(request), blocked=True)
    return reply({"update_id": update.update_id})


async def user_unblock(request: Request) -> Response:
    """POST /control/users/{id}/unblock."""
    update = world_of(request).set_blocked(_user_id(request), blocked=False)
    return reply({"update_id": update.update_id})


async def user_deactivate(request: Request) -> Response:
    """POST /control/users/{id}/deactivate."""
    world_of(request).deactivate(_user_id(request))
    return reply({"ok": True})


USER_ROUTES: list[tuple[str, Endpoint, str]] = [
    ("/users/bulk", create_users, "POST"),
    ("/users", create_user, "POST"),
    ("/users", list_users, "GET"),
    ("/users/{user_id:int}/text", user_text, "POST"),
    ("/users/{user_id:int}/press", user_press, "POST"),
    ("/users/{user_id:int}/forge", user_forge, "POST"),
    ("/users/{user_id:int}/sticker", user_sticker, "POST"),
    ("/users/{user_id:int}/photo", user_photo, "POST"),
    ("/users/{user_id:int}/voice", user_voice, "POST"),
    ("/users/{user_id:int}/document", user_document, "POST"),
    ("/users/{user_id:int}/edit", user_edit, "POST"),
    ("/users/{user_id:int}/block", user_block, "POST"),
    ("/users/{user_id:int}/unblock", user_unblock, "POST"),
    ("/users/{user_id:int}/deactivate", user_deactivate, "POST"),
]
