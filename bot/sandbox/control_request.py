"""Reading /control requests and writing their replies: JSON bodies, typed fields, errors."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.sandbox.common import ApiError, JSONDict
from bot.sandbox.world import World

__all__ = ["Endpoint", "field", "guarded", "json_body", "query_number", "reply", "world_of"]

Endpoint = Callable[[Request], Awaitable[Response]]


def world_of(request: Request) -> World:
    """The sandbox world the app serves."""
    world: World = request.app.state.world
    return world


async def json_body(request: Request) -> JSONDict:
    """The request's JSON object ({} when the body is empty); 400 for anything else."""
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


def field(
    body: JSONDict, name: str, kind: type, default: Any = None, required: bool = False
) -> Any:
    """A field of type `kind` (an int will do for a float), or `default`; 400 when wrong."""
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


def query_number(request: Request, name: str, default: float) -> float:
    """A number from the query string; 400 when it is not one."""
    try:
        return float(request.query_params.get(name, default))
    except ValueError:
        raise ApiError(400, f"{name} must be a number") from None


def reply(data: Any, status: int = 200) -> Response:
    """A JSON reply."""
    return JSONResponse(data, status_code=status)


def guarded(endpoint: Endpoint) -> Endpoint:
    """The endpoint, with an ApiError answered as {ok: false, description} and its status."""

    async def run(request: Request) -> Response:
        try:
            return await endpoint(request)
        except ApiError as exc:
            return reply({"ok": False, "description": exc.description}, exc.code)

    run.__name__ = endpoint.__name__
    return run
