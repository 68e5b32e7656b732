"""The Starlette app served by `tandem run`: health check, calendar feeds, the Telegram
webhook and the coordinators' dashboard."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.db import Database, DatabaseUnavailable
from bot.domain import calendar
from bot.domain.clock import Clock
from bot.metrics import render as render_metrics
from bot.web.context import Dashboard
from bot.web.routes import SecurityHeaders, dashboard_routes

log = logging.getLogger(__name__)

UpdateFeed = Callable[[dict[str, Any]], Awaitable[None]]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
MAX_UPDATE_BYTES = 1_000_000


def _health(db: Database, mode: str) -> Callable[[Request], Awaitable[Response]]:
    async def healthz(_: Request) -> Response:
        try:
            db.check()
        except DatabaseUnavailable as exc:
            return JSONResponse({"ok": False, "database": str(exc)}, status_code=503)
        return JSONResponse({"ok": True, "database": "ok", "telegram": mode})

    return healthz


def _webhook(
    secret: str | None, feed: UpdateFeed | None
) -> Callable[[Request], Awaitable[Response]]:
    async def webhook(request: Request) -> Response:
        # Telegram repeats a delivery until it gets a 2xx, so only a bad secret or body is
        # refused; everything else is queued and acknowledged at once.
        if secret and not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return Response(status_code=413)
        try:
            data = json.loads(body)
        except ValueError:
            return Response(status_code=400)
        if not isinstance(data, dict) or feed is None:
            return Response(status_code=400)
        await feed(data)
        return Response(status_code=200)

    return webhook


def _calendar(db: Database, clock: Clock) -> Callable[[Request], Awaitable[Response]]:
    async def calendar_feed(request: Request) -> Response:
        token = str(request.path_params["token"])
        with db.transaction() as session:
            body = calendar.feed_for_token(session, token=token, clock=clock)
        if body is None:
            return Response("Unknown calendar link.", status_code=404)
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={"Cache-Control": "private, max-age=300"},
        )

    return calendar_feed


def _metrics(db: Database, clock: Clock) -> Callable[[Request], Response]:
    def metrics(_: Request) -> Response:  # in Starlette's thread pool: it reads the database
        # Counts and times only: no person's name or words (see bot/metrics.py).
        return Response(render_metrics(db, clock), media_type=CONTENT_TYPE_LATEST)

    return metrics


def create_web_app(
    *,
    db: Database,
    clock: Clock,
    mode: str,
    webhook_path: str | None = None,
    webhook_secret: str | None = None,
    feed: UpdateFeed | None = None,
    dashboard: Dashboard | None = None,
) -> Starlette:
    """The web app; the webhook route exists only in webhook mode, the dashboard's only
    when it is given."""
    routes = [
        Route("/healthz", _health(db, mode), methods=["GET"]),
        Route("/metrics", _metrics(db, clock), methods=["GET"]),
        Route("/calendar/{token:str}.ics", _calendar(db, clock), methods=["GET"]),
    ]
    if webhook_path:
        routes.append(Route(webhook_path, _webhook(webhook_secret, feed), methods=["POST"]))
    if dashboard is None:
        return Starlette(routes=routes)
    app = Starlette(
        routes=routes + dashboard_routes(),
        middleware=[Middleware(SecurityHeaders)],
    )
    app.state.dashboard = dashboard
    return app
