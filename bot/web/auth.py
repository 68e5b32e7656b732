"""Who may see a dashboard page: sign-in by link, sessions, CSRF, and refusals in one place.

Every dashboard route is wrapped by `staff_route`, which (in the thread pool) finds the
viewer from the session cookie, refuses strangers (401), partners and, where the route says
so, facilitators (403), checks the CSRF token on every POST, and turns the domain's refusals
into pages: NotFound is 404 whether the thing is missing or another cohort's, so stepping ids
in a URL reveals nothing.
"""

from __future__ import annotations

import dataclasses
import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.domain import weblogin
from bot.domain.errors import InvalidInput, NotAllowed, NotFound, TandemError
from bot.domain.weblogin import Viewer
from bot.models import Role
from bot.web.context import CSRF_FIELD, SESSION_COOKIE, Dashboard, dashboard_of, page

log = logging.getLogger(__name__)

FORM_LIMITS = {"max_files": 0, "max_fields": 200}


@dataclass
class AuditNote:
    """What a route adds to its audit event: a detail (never anyone's words or search terms)
    and the person it was about, if it names them."""

    detail: str | None = None
    subject: int | None = None


@dataclass(frozen=True)
class RouteCall:
    """One request to a dashboard route, with who is asking and what they posted."""

    request: Request
    dashboard: Dashboard
    viewer: Viewer
    form: FormData | None
    audit: AuditNote = dataclasses.field(default_factory=AuditNote)

    def field(self, name: str, default: str = "") -> str:
        """A posted field as text (absent or a file: the default)."""
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else default

    def query(self, name: str, default: str = "") -> str:
        """A query-string value."""
        return self.request.query_params.get(name, default)


Handler = Callable[[RouteCall], Response]


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    """A plain page saying what went wrong and what to do next."""
    return page(request, "error.html", {"title": title, "message": message}, status_code=status)


def message_for(dashboard: Dashboard, error: TandemError) -> str:
    """The words for an error a person can fix (the same texts as in chat)."""
    key = f"errors.{error.key}"
    return (
        html.unescape(dashboard.texts.render(key, **error.params))
        if dashboard.texts.has(key)
        else str(error)
    )


def _translate(request: Request, error: TandemError) -> Response:
    if isinstance(error, NotFound):
        return error_page(
            request,
            404,
            "Not found",
            "We can't find that, or it isn't something you can see. "
            "Go back to the overview to carry on.",
        )
    if isinstance(error, NotAllowed):
        return error_page(request, 403, "Not allowed", "Your role can't do that here.")
    message = message_for(dashboard_of(request), error)
    status = 400 if isinstance(error, InvalidInput) else 409
    return error_page(request, status, "Please check and try again", message)


def _signed_out(request: Request) -> Response:
    response = error_page(
        request,
        401,
        "Please sign in",
        "To sign in, send /dashboard to Tandem in Telegram and open the link it sends you. "
        "Links work once, for 15 minutes.",
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _guarded(
    request: Request,
    form: FormData | None,
    handler: Handler,
    coordinator: bool,
    action: str | None,
) -> Any:
    dashboard = dashboard_of(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    with dashboard.db.transaction() as session:
        viewer = weblogin.viewer_for(session, token=token, clock=dashboard.clock)
    if viewer is None:
        return _signed_out(request)
    request.scope["tandem.viewer"] = viewer
    request.scope["tandem.csrf"] = weblogin.csrf_token(token)
    if viewer.role not in (Role.FACILITATOR, Role.COORDINATOR):  # partners, board members
        return error_page(
            request, 403, "Not for partners", "The dashboard is for facilitators and coordinators."
        )
    if coordinator and not viewer.is_coordinator:
        return error_page(request, 403, "Coordinators only", "Only coordinators can see this page.")
    if request.method == "POST":
        submitted = form.get(CSRF_FIELD) if form is not None else None
        if not isinstance(submitted, str) or not weblogin.csrf_ok(token, submitted):
            return error_page(
                request,
                403,
                "This form has expired",
                "For your safety we could not accept that form. Go back, reload the page and "
                "try again.",
            )
    call = RouteCall(request, dashboard, viewer, form)
    try:
        response = handler(call)
    except TandemError as error:
        response = _translate(request, error)
    if action is not None:
        _record(call, action, response.status_code)
    return response


def _record(call: RouteCall, action: str, status: int) -> None:
    """Every staff view and action on the dashboard, in one place: who, what, which (the ids
    in the address), when, and whether it was refused; never anyone's words."""
    named = ", ".join(f"{k.removesuffix('_id')} {v}" for k, v in call.request.path_params.items())
    detail = "; ".join(part for part in (named, call.audit.detail) if part)
    if status >= 400:
        detail = f"refused ({status}){'; ' + detail if detail else ''}"
    call.dashboard.record(call.viewer, action, detail=detail or None, subject=call.audit.subject)


def staff_route(
    handler: Handler, *, action: str | None, coordinator: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint for facilitators and coordinators (or coordinators only), audited as
    `action` (None only where the domain records the event itself, as signing out)."""

    async def endpoint(request: Request) -> Response:
        form = await request.form(**FORM_LIMITS) if request.method == "POST" else None
        response: Response = await run_in_threadpool(
            _guarded, request, form, handler, coordinator, action
        )
        return response

    endpoint.__name__ = handler.__name__
    return endpoint


def _same_origin(request: Request, dashboard: Dashboard) -> bool:
    """A login POST must come from our own confirm page (or a client that sends no Origin):
    as this server sees itself, or at the public address a proxy serves it from."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    ours = {request.url.netloc, urlsplit(dashboard.public_url()).netloc}
    return urlsplit(origin).netloc in ours


def _secure(request: Request, dashboard: Dashboard) -> bool:
    return request.url.scheme == "https" or dashboard.public_url().startswith("https://")


def _confirm(request: Request) -> Response:
    dashboard = dashboard_of(request)
    token = str(request.path_params["token"])
    try:
        with dashboard.db.reading() as session:
            person = weblogin.check_link(session, token=token, clock=dashboard.clock)
            name = person.preferred_name or ""
    except TandemError as error:
        return _link_refused(request, error)
    return page(request, "login.html", {"name": name, "token": token})


def _redeem(request: Request) -> Response:
    dashboard = dashboard_of(request)
    token = str(request.path_params["token"])
    if not _same_origin(request, dashboard):
        return error_page(request, 403, "Not allowed", "Please open your sign-in link again.")
    try:
        with dashboard.db.transaction() as session:
            started = weblogin.redeem_link(session, token=token, clock=dashboard.clock)
    except TandemError as error:
        return _link_refused(request, error)
    response = RedirectResponse("/dashboard", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        started.token,
        httponly=True,
        samesite="lax",
        secure=_secure(request, dashboard),
        path="/",
    )
    return response


def _link_refused(request: Request, error: TandemError) -> Response:
    reasons = {
        "dashboard.link_used": "This sign-in link has already been used.",
        "dashboard.link_expired": "This sign-in link has expired (links last 15 minutes).",
    }
    reason = reasons.get(error.key, "This sign-in link doesn't work.")
    return error_page(
        request,
        400,
        "Sign-in link not valid",
        f"{reason} Send /dashboard to Tandem in Telegram for a new one.",
    )


async def login(request: Request) -> Response:
    """GET: a confirm page (link scanners stop here); POST: use the link up and sign in."""
    handler = _redeem if request.method == "POST" else _confirm
    response: Response = await run_in_threadpool(handler, request)
    return response


def _logout(call: RouteCall) -> Response:
    token = call.request.cookies.get(SESSION_COOKIE, "")
    with call.dashboard.db.transaction() as session:
        weblogin.end_session(session, token=token, clock=call.dashboard.clock)
    call.request.scope.pop("tandem.viewer", None)
    response = page(call.request, "signed_out.html", {})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


logout = staff_route(_logout, action=None)  # weblogin.end_session records it
