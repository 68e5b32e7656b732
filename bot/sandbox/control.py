"""Starlette routes for /control: act as Telegram users and inspect what the bot did."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.sandbox.common import ApiError, JSONDict
from bot.sandbox.updates import Update
from bot.sandbox.world import World

Endpoint = Callable[[Request], Awaitable[Response]]
MAX_EVENT_WAIT = 60.0


def _world(request: Request) -> World:
    world: World = request.app.state.world
    return world


async def _body(request: Request) -> JSONDict:
    raw = await request.body()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise ApiError(400, "request body must be JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "request body must be a JSON object")
    return data


def _get(body: JSONDict, name: str, kind: type, default: Any = None, required: bool = False) -> Any:
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(400, f"{name} is required")
        return default
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ApiError(400, f"{name} must be of type {kind.__name__}")
    return value


def _query_number(request: Request, name: str, default: float) -> float:
    try:
        return float(request.query_params.get(name, default))
    except ValueError:
        raise ApiError(400, f"{name} must be a number") from None


def _json(data: Any, status: int = 200) -> Response:
    return JSONResponse(data, status_code=status)


def _guarded(endpoint: Endpoint) -> Endpoint:
    async def run(request: Request) -> Response:
        try:
            return await endpoint(request)
        except ApiError as exc:
            return _json({"ok": False, "description": exc.description}, exc.code)

    run.__name__ = endpoint.__name__
    return run


def _sent(update: Update, message: JSONDict) -> Response:
    return _json({"update_id": update.update_id, "message": message})


# ---------------------------------------------------------------- bot and world


async def health(request: Request) -> Response:
    """GET /control/health."""
    return _json({"ok": True})


async def bot_info(request: Request) -> Response:
    """GET /control/bot."""
    world = _world(request)
    webhook = None
    if world.webhook is not None:
        webhook = world.webhook.info(len(world.updates))
        webhook["secret_token"] = world.webhook.secret_token
    return _json(
        {
            "id": world.bot_id,
            "username": world.bot_user["username"],
            "first_name": world.bot_user["first_name"],
            "token": world.token,
            "webhook": webhook,
        }
    )


async def reset(request: Request) -> Response:
    """POST /control/reset."""
    _world(request).reset()
    return _json({"ok": True})


# ---------------------------------------------------------------- users


async def create_user(request: Request) -> Response:
    """POST /control/users."""
    body = await _body(request)
    user = _world(request).create_user(
        _get(body, "first_name", str, required=True),
        last_name=_get(body, "last_name", str),
        username=_get(body, "username", str),
        language_code=_get(body, "language_code", str, "en"),
        user_id=_get(body, "id", int),
        started=_get(body, "started", bool, False),
    )
    return _json(user.to_dict())


async def create_users(request: Request) -> Response:
    """POST /control/users/bulk {users: [{first_name, id?}], started?}: many users at once."""
    body = await _body(request)
    entries = body.get("users")
    if not isinstance(entries, list) or len(entries) > 100_000:
        raise ApiError(400, "users must be a list (at most 100000)")
    started = _get(body, "started", bool, False)
    world = _world(request)
    made = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise ApiError(400, "each user must be an object")
        made.append(
            world.create_user(
                _get(entry, "first_name", str, required=True),
                user_id=_get(entry, "id", int),
                started=started,
            ).to_dict()
        )
    return _json(made)


async def list_users(request: Request) -> Response:
    """GET /control/users."""
    return _json([user.to_dict() for user in _world(request).users.values()])


def _user_id(request: Request) -> int:
    user_id: int = request.path_params["user_id"]
    return user_id


async def user_text(request: Request) -> Response:
    """POST /control/users/{id}/text."""
    body = await _body(request)
    update, message = _world(request).user_text(
        _user_id(request), _get(body, "text", str, required=True)
    )
    return _sent(update, message.to_dict())


async def user_press(request: Request) -> Response:
    """POST /control/users/{id}/press: by callback data or label."""
    body = await _body(request)
    data, label = _get(body, "data", str), _get(body, "text", str)
    if data is None and label is None:
        raise ApiError(400, "give data or text")
    update, query_id = _world(request).press(
        _user_id(request), message_id=_get(body, "message_id", int), data=data, label=label
    )
    return _json({"update_id": update.update_id, "callback_query_id": query_id})


async def user_forge(request: Request) -> Response:
    """POST /control/users/{id}/forge: callback data no button carried (a tampered client)."""
    body = await _body(request)
    update, query_id = _world(request).forge_press(
        _user_id(request), data=_get(body, "data", str, required=True)
    )
    return _json({"update_id": update.update_id, "callback_query_id": query_id})


async def user_sticker(request: Request) -> Response:
    """POST /control/users/{id}/sticker."""
    body = await _body(request)
    emoji = _get(body, "emoji", str, "👍")
    update, message = _world(request).user_sticker(_user_id(request), emoji)
    return _sent(update, message.to_dict())


async def user_photo(request: Request) -> Response:
    """POST /control/users/{id}/photo."""
    body = await _body(request)
    update, message = _world(request).user_photo(_user_id(request), _get(body, "caption", str))
    return _sent(update, message.to_dict())


async def user_voice(request: Request) -> Response:
    """POST /control/users/{id}/voice."""
    body = await _body(request)
    duration = _get(body, "duration", int, 5)
    update, message = _world(request).user_voice(_user_id(request), duration)
    return _sent(update, message.to_dict())


async def user_document(request: Request) -> Response:
    """POST /control/users/{id}/document (content_base64)."""
    body = await _body(request)
    try:
        content = base64.b64decode(_get(body, "content_base64", str, required=True), validate=True)
    except binascii.Error:
        raise ApiError(400, "content_base64 is not valid base64") from None
    update, message = _world(request).user_document(
        _user_id(request),
        file_name=_get(body, "file_name", str, required=True),
        content=content,
        mime_type=_get(body, "mime_type", str),
        caption=_get(body, "caption", str),
    )
    return _sent(update, message.to_dict())


async def user_edit(request: Request) -> Response:
    """POST /control/users/{id}/edit."""
    body = await _body(request)
    update = _world(request).user_edit(
        _user_id(request),
        _get(body, "message_id", int, required=True),
        _get(body, "text", str, required=True),
    )
    return _json({"update_id": update.update_id})


async def user_block(request: Request) -> Response:
    """POST /control/users/{id}/block."""
    update = _world(request).set_blocked(_user_id(request), blocked=True)
    return _json({"update_id": update.update_id})


async def user_unblock(request: Request) -> Response:
    """POST /control/users/{id}/unblock."""
    update = _world(request).set_blocked(_user_id(request), blocked=False)
    return _json({"update_id": update.update_id})


async def user_deactivate(request: Request) -> Response:
    """POST /control/users/{id}/deactivate."""
    _world(request).deactivate(_user_id(request))
    return _json({"ok": True})


async def replay(request: Request) -> Response:
    """POST /control/updates/{update_id}/replay."""
    update_id: int = request.path_params["update_id"]
    try:
        _world(request).updates.replay(update_id)
    except KeyError:
        raise ApiError(404, f"no update {update_id}") from None
    return _json({"update_id": update_id})


# ---------------------------------------------------------------- what the chat saw


async def chat_messages(request: Request) -> Response:
    """GET /control/chats/{chat_id}/messages."""
    chat = _world(request).chat(request.path_params["chat_id"])
    return _json([message.snapshot() for message in chat.messages.values()])


async def chat_events(request: Request) -> Response:
    """GET /control/chats/{chat_id}/events?after=SEQ&timeout=SECONDS (long poll)."""
    world = _world(request)
    chat = world.chat(request.path_params["chat_id"])
    after = int(_query_number(request, "after", 0))
    timeout = min(MAX_EVENT_WAIT, max(0.0, _query_number(request, "timeout", 0)))
    events = await world.wait_events(chat, after, timeout)
    return _json({"events": events, "last": len(chat.events)})


async def all_events(request: Request) -> Response:
    """GET /control/events?after=N&timeout=SECONDS&limit=K: every chat's events, one feed."""
    world = _world(request)
    after = int(_query_number(request, "after", 0))
    timeout = min(MAX_EVENT_WAIT, max(0.0, _query_number(request, "timeout", 0)))
    limit = int(min(10_000, max(1, _query_number(request, "limit", 1000))))
    events = await world.wait_feed(after, timeout, limit)
    return _json({"events": events, "last": after + len(events)})


async def file_bytes(request: Request) -> Response:
    """GET /control/files/{file_id}."""
    stored = _world(request).files.get(request.path_params["file_id"])
    if stored is None:
        raise ApiError(404, "no such file")
    name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(
        stored.data, media_type=stored.mime_type, headers={"Content-Disposition": disposition}
    )


async def commands_for(request: Request) -> Response:
    """GET /control/commands?chat_id=ID."""
    chat_id = request.query_params.get("chat_id", "")
    if not chat_id.isdigit():
        raise ApiError(400, "chat_id is required")
    return _json(_world(request).commands_for_chat(int(chat_id)))


async def all_commands(request: Request) -> Response:
    """GET /control/commands/all."""
    listing = []
    for (kind, chat_id, user_id, language), commands in _world(request).commands.items():
        scope: JSONDict = {"type": kind}
        if chat_id is not None:
            scope["chat_id"] = chat_id
        if user_id is not None:
            scope["user_id"] = user_id
        listing.append({"scope": scope, "language_code": language, "commands": commands})
    return _json(listing)


# ---------------------------------------------------------------- faults, limits, numbers


async def add_fault(request: Request) -> Response:
    """POST /control/faults."""
    body = await _body(request)
    fault = _world(request).faults.add(
        _get(body, "method", str, required=True),
        chat_id=_get(body, "chat_id", int),
        error_code=_get(body, "error_code", int),
        description=_get(body, "description", str),
        retry_after=_get(body, "retry_after", int),
        delay=_get(body, "delay", float),
        times=_get(body, "times", int, 1),
    )
    return _json({"fault_id": fault.fault_id})


async def list_faults(request: Request) -> Response:
    """GET /control/faults."""
    return _json(_world(request).faults.to_list())


async def clear_faults(request: Request) -> Response:
    """DELETE /control/faults."""
    _world(request).faults.clear()
    return _json({"ok": True})


async def set_limits(request: Request) -> Response:
    """POST /control/limits."""
    body = await _body(request)
    limits = _world(request).limits
    try:
        limits.configure(
            enforce=_get(body, "enforce", bool, required=True),
            global_per_second=_get(body, "global_per_second", float, 30.0),
            per_chat_per_second=_get(body, "per_chat_per_second", float, 1.0),
            per_chat_burst=_get(body, "per_chat_burst", float, 3.0),
        )
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    return _json(limits.to_dict())


async def get_limits(request: Request) -> Response:
    """GET /control/limits."""
    return _json(_world(request).limits.to_dict())


async def stats(request: Request) -> Response:
    """GET /control/stats."""
    world = _world(request)
    return _json({"requests": dict(world.requests), "errors": dict(world.errors)})


async def timings(request: Request) -> Response:
    """GET /control/timings."""
    return _json([update.timing() for update in _world(request).updates.timeline])


_ROUTES: list[tuple[str, Endpoint, str]] = [
    ("/health", health, "GET"),
    ("/bot", bot_info, "GET"),
    ("/reset", reset, "POST"),
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
    ("/updates/{update_id:int}/replay", replay, "POST"),
    ("/chats/{chat_id:int}/messages", chat_messages, "GET"),
    ("/chats/{chat_id:int}/events", chat_events, "GET"),
    ("/events", all_events, "GET"),
    ("/files/{file_id}", file_bytes, "GET"),
    ("/commands", commands_for, "GET"),
    ("/commands/all", all_commands, "GET"),
    ("/faults", add_fault, "POST"),
    ("/faults", list_faults, "GET"),
    ("/faults", clear_faults, "DELETE"),
    ("/limits", set_limits, "POST"),
    ("/limits", get_limits, "GET"),
    ("/stats", stats, "GET"),
    ("/timings", timings, "GET"),
]


def control_routes() -> list[BaseRoute]:
    """The /control routes (prefix included)."""
    return [
        Route("/control" + path, _guarded(endpoint), methods=[verb])
        for path, endpoint, verb in _ROUTES
    ]
