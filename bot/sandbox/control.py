"""Starlette routes for /control: inspect what the bot did, and set faults and limits.

The routes that act as Telegram users are in control_users.py.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.sandbox.common import ApiError, JSONDict
from bot.sandbox.control_request import (
    Endpoint,
    field,
    guarded,
    json_body,
    query_number,
    reply,
    world_of,
)
from bot.sandbox.control_users import USER_ROUTES

MAX_EVENT_WAIT = 60.0


# ---------------------------------------------------------------- bot and world


async def health(request: Request) -> Response:
    """GET /control/health."""
    return reply({"ok": True})


async def bot_info(request: Request) -> Response:
    """GET /control/bot."""
    world = world_of(request)
    webhook = None
    if world.webhook is not None:
        webhook = world.webhook.info(len(world.updates))
        webhook["secret_token"] = world.webhook.secret_token
    return reply(
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
    world_of(request).reset()
    return reply({"ok": True})


async def replay(request: Request) -> Response:
    """POST /control/updates/{update_id}/replay."""
    update_id: int = request.path_params["update_id"]
    try:
        world_of(request).updates.replay(update_id)
    except KeyError:
        raise ApiError(404, f"no update {update_id}") from None
    return reply({"update_id": update_id})


# ---------------------------------------------------------------- what the chat saw


async def chat_messages(request: Request) -> Response:
    """GET /control/chats/{chat_id}/messages."""
    chat = world_of(request).chat(request.path_params["chat_id"])
    return reply([message.snapshot() for message in chat.messages.values()])


async def chat_events(request: Request) -> Response:
    """GET /control/chats/{chat_id}/events?after=SEQ&timeout=SECONDS (long poll)."""
    world = world_of(request)
    chat = world.chat(request.path_params["chat_id"])
    after = int(query_number(request, "after", 0))
    timeout = min(MAX_EVENT_WAIT, max(0.0, query_number(request, "timeout", 0)))
    events = await world.wait_events(chat, after, timeout)
    return reply({"events": events, "last": len(chat.events)})


async def all_events(request: Request) -> Response:
    """GET /control/events?after=N&timeout=SECONDS&limit=K: every chat's events, one feed."""
    world = world_of(request)
    after = int(query_number(request, "after", 0))
    timeout = min(MAX_EVENT_WAIT, max(0.0, query_number(request, "timeout", 0)))
    limit = int(min(10_000, max(1, query_number(request, "limit", 1000))))
    events = await world.wait_feed(after, timeout, limit)
    return reply({"events": events, "last": after + len(events)})


async def file_bytes(request: Request) -> Response:
    """GET /control/files/{file_id}."""
    stored = world_of(request).files.get(request.path_params["file_id"])
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
    return reply(world_of(request).commands_for_chat(int(chat_id)))


async def all_commands(request: Request) -> Response:
    """GET /control/commands/all."""
    listing = []
    for (kind, chat_id, user_id, language), commands in world_of(request).commands.items():
        scope: JSONDict = {"type": kind}
        if chat_id is not None:
            scope["chat_id"] = chat_id
        if user_id is not None:
            scope["user_id"] = user_id
        listing.append({"scope": scope, "language_code": language, "commands": commands})
    return reply(listing)


# ---------------------------------------------------------------- faults, limits, numbers


async def add_fault(request: Request) -> Response:
    """POST /control/faults."""
    body = await json_body(request)
    fault = world_of(request).faults.add(
        field(body, "method", str, required=True),
        chat_id=field(body, "chat_id", int),
        error_code=field(body, "error_code", int),
        description=field(body, "description", str),
        retry_after=field(body, "retry_after", int),
        delay=field(body, "delay", float),
        times=field(body, "times", int, 1),
    )
    return reply({"fault_id": fault.fault_id})


async def list_faults(request: Request) -> Response:
    """GET /control/faults."""
    return reply(world_of(request).faults.to_list())


async def clear_faults(request: Request) -> Response:
    """DELETE /control/faults."""
    world_of(request).faults.clear()
    return reply({"ok": True})


async def set_limits(request: Request) -> Response:
    """POST /control/limits."""
    body = await json_body(request)
    limits = world_of(request).limits
    try:
        limits.configure(
            enforce=field(body, "enforce", bool, required=True),
            global_per_second=field(body, "global_per_second", float, 30.0),
            per_chat_per_second=field(body, "per_chat_per_second", float, 1.0),
            per_chat_burst=field(body, "per_chat_burst", float, 3.0),
        )
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    return reply(limits.to_dict())


async def get_limits(request: Request) -> Response:
    """GET /control/limits."""
    return reply(world_of(request).limits.to_dict())


async def stats(request: Request) -> Response:
    """GET /control/stats."""
    world = world_of(request)
    return reply({"requests": dict(world.requests), "errors": dict(world.errors)})


async def timings(request: Request) -> Response:
    """GET /control/timings."""
    return reply([update.timing() for update in world_of(request).updates.timeline])


_ROUTES: list[tuple[str, Endpoint, str]] = [
    ("/health", health, "GET"),
    ("/bot", bot_info, "GET"),
    ("/reset", reset, "POST"),
    *USER_ROUTES,
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
        Route("/control" + path, guarded(endpoint), methods=[verb])
        for path, endpoint, verb in _ROUTES
    ]
