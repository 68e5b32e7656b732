"""The web chat: a phone-like page to try the bot in a browser, and its directory routes.

The page (static/chat.html, chat.css, chat.js) is plain HTML, CSS and JavaScript that talks
only to this sandbox's /control API, so it works on a machine with no internet.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.sandbox.common import ApiError
from bot.sandbox.directory import parse_directory
from bot.sandbox.world import World

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE = "chat.html"
ASSETS = {
    "chat.css": "text/css; charset=utf-8",
    "chat.js": "text/javascript; charset=utf-8",
}
# Everything the page needs comes from this origin; the policy makes that a guarantee.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _static(name: str, media_type: str) -> Response:
    headers = dict(_HEADERS)
    if name == PAGE:
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return FileResponse(STATIC_DIR / name, media_type=media_type, headers=headers)


async def page(request: Request) -> Response:
    """GET / and /chat: the web chat page."""
    return _static(PAGE, "text/html; charset=utf-8")


async def asset(request: Request) -> Response:
    """GET /chat/static/{name}: the page's stylesheet and script (nothing else)."""
    name = request.path_params["name"]
    media_type = ASSETS.get(name)
    if media_type is None:
        return JSONResponse({"ok": False, "description": f"no static file {name!r}"}, 404)
    return _static(name, media_type)


def _error(exc: ApiError) -> Response:
    return JSONResponse({"ok": False, "description": exc.description}, status_code=exc.code)


async def get_directory(request: Request) -> Response:
    """GET /control/directory: what the demo registered (empty until it does)."""
    world: World = request.app.state.world
    return JSONResponse(world.directory)


async def set_directory(request: Request) -> Response:
    """POST /control/directory: register the people, invite and hints the page shows."""
    world: World = request.app.state.world
    try:
        data = json.loads(await request.body())
    except ValueError:
        return _error(ApiError(400, "request body must be JSON"))
    try:
        world.directory = parse_directory(data)
    except ApiError as exc:
        return _error(exc)
    return JSONResponse(world.directory)


def webchat_routes() -> list[BaseRoute]:
    """The page, its static files and the directory routes."""
    return [
        Route("/", page, methods=["GET"]),
        Route("/chat", page, methods=["GET"]),
        Route("/chat/static/{name}", asset, methods=["GET"]),
        Route("/control/directory", get_directory, methods=["GET"]),
        Route("/control/directory", set_directory, methods=["POST"]),
    ]
