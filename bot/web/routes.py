"""Every dashboard URL in one table, and the headers every page is served with."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web import (
    auth,
    exports,
    pages_agenda,
    pages_attendance,
    pages_audit,
    pages_board,
    pages_bookings,
    pages_broadcasts,
    pages_champions,
    pages_claims,
    pages_claims_finance,
    pages_desk,
    pages_measures,
    pages_reflections,
    pages_safeguarding,
    pages_summary,
)
from bot.web.context import STATIC

GET, POST = ["GET"], ["POST"]

# No scripts at all; styles and images only from here. Pages cannot be framed, and no
# Referer leaves for another site (a sign-in URL carries its token). "same-origin" rather
# than "no-referrer": with no-referrer, browsers send `Origin: null` on our own form posts.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Adds HEADERS to every dashboard and sign-in response, and keeps them out of caches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(("/dashboard", "/login", "/logout", "/static")):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not path.startswith("/static"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


async def root(_: Request) -> Response:
    """/ goes to the dashboard (which asks strangers to sign in)."""
    return RedirectResponse("/dashboard", status_code=303)


def dashboard_routes() -> list[BaseRoute]:
    """The dashboard's routes, in the order a reader would look for them."""
    reflections = "/dashboard/reflections"
    broadcasts = "/dashboard/broadcasts"
    agenda = "/dashboard/agenda"
    claims = "/dashboard/claims"
    return [
        Route("/", root, methods=GET),
        Route("/login/{token:str}", auth.login, methods=["GET", "POST"]),
        Route("/logout", auth.logout, methods=POST),
        Route("/dashboard", pages_desk.home_route, methods=GET),
        Route(reflections, pages_reflections.list_route, methods=GET),
        Route(f"{reflections}/export.csv", exports.csv_route, methods=GET),
        Route(f"{reflections}/export.xlsx", exports.xlsx_route, methods=GET),
        Route(f"{reflections}/{{reflection_id:int}}", pages_reflections.detail_route, methods=GET),
        Route(
            f"{reflections}/{{reflection_id:int}}/flag", pages_reflections.flag_route, methods=POST
        ),
        Route(
            f"{reflections}/{{reflection_id:int}}/reply",
            pages_reflections.reply_route,
            methods=POST,
        ),
        Route(
            f"{reflections}/{{reflection_id:int}}/outcome",
            pages_reflections.outcome_route,
            methods=POST,
        ),
        Route("/dashboard/partners/{person_id:int}", pages_desk.partner_route, methods=GET),
        Route("/dashboard/participation", pages_desk.participation_route, methods=GET),
        Route("/dashboard/questions", pages_desk.questions_route, methods=GET),
        Route(
            "/dashboard/questions/{question_id:int}/answer",
            pages_desk.answer_route,
            methods=POST,
        ),
        Route(
            "/dashboard/questions/{question_id:int}/outcome",
            pages_desk.question_outcome_route,
            methods=POST,
        ),
        Route(broadcasts, pages_broadcasts.list_route, methods=GET),
        Route(f"{broadcasts}/new", pages_broadcasts.compose_route, methods=GET),
        Route(f"{broadcasts}/preview", pages_broadcasts.preview_route, methods=POST),
        Route(f"{broadcasts}/send", pages_broadcasts.send_route, methods=POST),
        Route(f"{broadcasts}/{{broadcast_id:int}}", pages_broadcasts.report_route, methods=GET),
        Route(
            f"{broadcasts}/{{broadcast_id:int}}/correct",
            pages_broadcasts.correct_route,
            methods=POST,
        ),
        Route(
            f"{broadcasts}/{{broadcast_id:int}}/withdraw",
            pages_broadcasts.withdraw_route,
            methods=POST,
        ),
        Route("/dashboard/meetings", pages_desk.meetings_route, methods=GET),
        Route(  # issue 17 part 4: the meeting loop closes
            "/dashboard/meetings/{meeting_id:int}/summary",
            pages_summary.summary_route,
            methods=GET,
        ),
        Route("/dashboard/outcomes", pages_desk.outcomes_route, methods=GET),
        Route("/dashboard/learnings", pages_board.learnings_route, methods=GET),  # issue 17
        Route("/dashboard/safeguarding", pages_safeguarding.list_route, methods=GET),
        Route(
            "/dashboard/safeguarding/{concern_id:int}/acknowledge",
            pages_safeguarding.acknowledge_route,
            methods=POST,
        ),
        # Agenda items from partners (issue 17)
        Route(agenda, pages_agenda.list_route, methods=GET),
        Route(f"{agenda}/{{item_id:int}}/accept", pages_agenda.accept_route, methods=POST),
        Route(f"{agenda}/{{item_id:int}}/merge", pages_agenda.merge_route, methods=POST),
        Route(f"{agenda}/{{item_id:int}}/decline", pages_agenda.decline_route, methods=POST),
        Route(f"{agenda}/{{item_id:int}}/outcome", pages_agenda.outcome_route, methods=POST),
        # What matters to us (issue 17)
        Route("/dashboard/measures", pages_measures.list_route, methods=GET),
        Route("/dashboard/measures/export.csv", pages_measures.csv_route, methods=GET),
        Route("/dashboard/measures/export.xlsx", pages_measures.xlsx_route, methods=GET),
        Route("/dashboard/measures/summary", pages_measures.summary_route, methods=GET),
        # Attendance, and endorsing a partner for their record (issue 18)
        Route("/dashboard/attendance", pages_attendance.list_route, methods=GET),
        Route("/dashboard/attendance/endorse", pages_attendance.endorse_route, methods=POST),
        Route("/dashboard/attendance/{meeting_id:int}", pages_attendance.sheet_route, methods=GET),
        Route(
            "/dashboard/attendance/{meeting_id:int}",
            pages_attendance.confirm_route,
            methods=POST,
        ),
        # One-to-one briefings (issue 18)
        Route("/dashboard/bookings", pages_bookings.list_route, methods=GET),
        Route("/dashboard/bookings/slots", pages_bookings.add_route, methods=POST),
        Route(
            "/dashboard/bookings/slots/{slot_id:int}/cancel",
            pages_bookings.cancel_route,
            methods=POST,
        ),
        # Champions and mentoring (issue 18)
        Route("/dashboard/champions", pages_champions.list_route, methods=GET),
        Route("/dashboard/champions/ask", pages_champions.ask_route, methods=POST),
        Route(
            "/dashboard/champions/{champion_id:int}/offer",
            pages_champions.offer_route,
            methods=POST,
        ),
        Route(
            "/dashboard/champions/{champion_id:int}/end", pages_champions.end_route, methods=POST
        ),
        # Involvement payments and expenses (issue 18)
        Route(claims, pages_claims.list_route, methods=GET),
        Route(f"{claims}/export.csv", pages_claims_finance.csv_route, methods=GET),
        Route(f"{claims}/export.xlsx", pages_claims_finance.xlsx_route, methods=GET),
        Route(f"{claims}/rules", pages_claims_finance.rules_route, methods=GET),
        Route(
            f"{claims}/rules/{{cohort_id:int}}",
            pages_claims_finance.save_rules_route,
            methods=POST,
        ),
        Route(f"{claims}/{{claim_id:int}}", pages_claims.detail_route, methods=GET),
        Route(
            f"{claims}/{{claim_id:int}}/receipts/{{expense_id:int}}",
            pages_claims.receipt_route,
            methods=GET,
        ),
        Route(f"{claims}/{{claim_id:int}}/approve", pages_claims.approve_route, methods=POST),
        Route(f"{claims}/{{claim_id:int}}/query", pages_claims.query_route, methods=POST),
        Route(f"{claims}/{{claim_id:int}}/reject", pages_claims.reject_route, methods=POST),
        Route(f"{claims}/{{claim_id:int}}/paid", pages_claims.paid_route, methods=POST),
        Route("/dashboard/audit", pages_audit.audit_route, methods=GET),
        Route("/dashboard/audit/export.csv", pages_audit.export_route, methods=GET),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
