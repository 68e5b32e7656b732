"""What every dashboard route needs: the database, clock, content, templates and the viewer.

Routes are plain (synchronous) functions, so Starlette runs them in its thread pool: a page's
queries never stall the bot's event loop. Reads use `db.reading()` (no write lock on SQLite);
audit events are written in their own short transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.db import Database
from bot.domain import audit
from bot.domain.clock import Clock
from bot.domain.weblogin import Viewer
from bot.library.catalogue import Library
from bot.library.messages import Texts, finish, mark_sentence_end

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "tandem_session"
CSRF_FIELD = "csrf"


def local_time(moment: datetime | None, zone: str, fmt: str = "%a %-d %b %Y, %H:%M") -> str:
    """A UTC time in the viewer's own zone ("Thu 3 Dec 2026, 14:00")."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(zone)).strftime(fmt)


def percent(value: float) -> str:
    """0.666 -> "67%"."""
    return f"{round(value * 100)}%"


def make_templates() -> Environment:
    """Jinja2 for the dashboard: autoescaped, strict about missing values."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=mark_sentence_end,  # "Grace O." then "." reads "Grace O." (see finish)
    )
    environment.filters["percent"] = percent
    # Compile every template now: a broken one stops start-up, not a page view later.
    for name in environment.list_templates():
        environment.get_template(name)
    return environment


@dataclass
class Dashboard:
    """The dashboard's collaborators, built once by the composition root."""

    db: Database
    clock: Clock
    texts: Texts
    library: Library
    # The address partners and staff reach us at (known once the bot has started).
    public_url: Callable[[], str]
    templates: Environment

    def record(
        self, viewer: Viewer, action: str, *, detail: str | None = None, subject: int | None = None
    ) -> None:
        """One audit event, in its own transaction."""
        with self.db.transaction() as session:
            audit.record(
                session,
                clock=self.clock,
                action=action,
                actor_id=viewer.person_id,
                subject_id=subject,
                detail=detail[:500] if detail else None,
            )


def dashboard_of(request: Request) -> Dashboard:
    """The Dashboard this app was built with."""
    found: Dashboard = request.app.state.dashboard
    return found


def page(
    request: Request,
    template: str,
    values: Mapping[str, Any],
    *,
    status_code: int = 200,
    viewer: Viewer | None = None,
) -> HTMLResponse:
    """Render a page with what every page needs (viewer, nav, CSRF token, time helpers)."""
    dashboard = dashboard_of(request)
    viewer = viewer or request.scope.get("tandem.viewer")
    zone = viewer.time_zone if viewer else "Europe/London"

    def when(moment: datetime | None, fmt: str = "%a %-d %b %Y, %H:%M") -> str:
        return local_time(moment, zone, fmt)

    def link(path: str, **query: Any) -> str:
        kept = {k: v for k, v in query.items() if v not in (None, "", False)}
        return f"{path}?{urlencode(kept)}" if kept else path

    body = dashboard.templates.get_template(template).render(
        request=request,
        viewer=viewer,
        csrf=request.scope.get("tandem.csrf", ""),
        csrf_field=CSRF_FIELD,
        when=when,
        link=link,
        path=request.url.path,
        **values,
    )
    return HTMLResponse(finish(body), status_code=status_code)
