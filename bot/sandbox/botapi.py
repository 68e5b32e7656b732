"""Starlette routes for /bot<token>/<method> and /file/bot<token>/<path>."""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

# The method modules register their handlers in METHODS when imported.
from bot.sandbox import methods_bot, methods_messages  # noqa: F401
from bot.sandbox.common import ApiError
from bot.sandbox.params import Params
from bot.sandbox.registry import METHODS, ApiCall, ApiReply, Handler
from bot.sandbox.world import World

logger = logging.getLogger(__name__)

_NOT_FOUND = ApiError(404, "Not Found")
_UNAUTHORIZED = ApiError(401, "Unauthorized")
# Calls that count as the bot reacting to an update in their chat (see /control/timings).
_REACTION_PREFIXES = ("send", "edit", "deletemessage")


def error_response(error: ApiError) -> Response:
    """The Bot API error envelope with HTTP status = error_code."""
    return JSONResponse(error.to_dict(), status_code=error.code)


def _ok(result: Any) -> Response:
    if isinstance(result, ApiReply):
        return JSONResponse(
            {"ok": True, "result": result.result, "description": result.description}
        )
    return JSONResponse({"ok": True, "result": result})


async def bot_api(request: Request) -> Response:
    """Serve one Bot API call."""
    world: World = request.app.state.world
    if request.path_params["token"] != world.token:
        return error_response(_UNAUTHORIZED)
    name = request.path_params["method"]
    entry = METHODS.get(name.lower())
    method = entry[0] if entry is not None else name
    world.requests[method] += 1
    try:
        if entry is None:
            logger.warning("sandbox: Bot API method %s is not emulated", name)
            raise ApiError(404, "Not Found")
        params = await Params.from_request(request)
        call = ApiCall(world, params, method, request.app.state.webhooks)
        result = await _dispatch(call, entry[1])
    except ApiError as exc:
        world.errors[method] += 1
        return error_response(exc)
    return _ok(result)


async def _dispatch(call: ApiCall, handler: Handler) -> Any:
    world = call.world
    chat_id = call.params.peek_chat_id()
    lowered = call.method.lower()
    if chat_id is not None and lowered.startswith(_REACTION_PREFIXES):
        world.note_reaction(chat_id)
    fault = world.faults.take(call.method, chat_id)
    if fault is not None:
        if fault.delay:
            await world.pause(fault.delay)
        error = fault.error()
        if error is not None:
            raise error
    if lowered.startswith("send") and lowered != "sendchataction":
        world.limits.acquire(chat_id)
    return await handler(call)


async def bot_file(request: Request) -> Response:
    """Serve a file's bytes by its file_path, as Telegram's file endpoint does."""
    world: World = request.app.state.world
    if request.path_params["token"] != world.token:
        return error_response(_UNAUTHORIZED)
    stored = world.files_by_path.get(request.path_params["path"])
    if stored is None:
        return error_response(_NOT_FOUND)
    return Response(stored.data, media_type=stored.mime_type)


async def not_found(request: Request) -> Response:
    """Anything else answers like Telegram's front end."""
    return error_response(_NOT_FOUND)


def bot_api_routes() -> list[BaseRoute]:
    """The Bot API routes."""
    return [
        Route("/bot{token}/{method}", bot_api, methods=["GET", "POST"]),
        Route("/file/bot{token}/{path:path}", bot_file, methods=["GET"]),
    ]
