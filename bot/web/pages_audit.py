"""The audit log, for coordinators: who viewed, exported or changed what, and when; filtered
by what, who and dates, and exported as CSV (the export is audited too)."""

from __future__ import annotations

from collections.abc import Iterator

from starlette.responses import Response, StreamingResponse

from bot.domain import audit
from bot.domain.audit import AuditFilter
from bot.web import filters
from bot.web.auth import RouteCall, staff_route
from bot.web.context import local_time, page
from bot.web.exports import csv_stream, disposition

PER_PAGE = 50
HEADER = ("when", "who", "what", "about", "details")


def audit_page(call: RouteCall) -> Response:
    """GET /dashboard/audit: who viewed, exported or changed what, when (coordinators)."""
    wanted = filters.audit(call.request.query_params, zone=call.viewer.time_zone)
    number = call.query("page", "1")
    current = int(number) if number.isdigit() and len(number) < 7 else 1
    with call.dashboard.db.reading() as session:
        rows, total = audit.audit_log(session, wanted=wanted, page=current, per_page=PER_PAGE)
        actions = audit.audit_actions(session)
        people = audit.audit_actors(session)
    kept = {k: call.query(k) for k in ("action", "person", "from", "to") if call.query(k)}
    return page(
        call.request,
        "audit.html",
        {
            "rows": rows,
            "total": total,
            "current": current,
            "pages": max(1, -(-total // PER_PAGE)),
            "kept": kept,
            "actions": actions,
            "people": people,
        },
    )


def _lines(call: RouteCall, wanted: AuditFilter) -> Iterator[list[object]]:
    zone = call.viewer.time_zone
    with call.dashboard.db.reading() as session:
        for rows in audit.audit_batches(session, wanted=wanted):
            for row in rows:
                yield [
                    local_time(row.event.at, zone, "%Y-%m-%d %H:%M:%S"),
                    row.actor or "(erased)",
                    row.event.action,
                    row.subject,
                    row.event.detail or "",
                ]


def audit_export(call: RouteCall) -> Response:
    """GET /dashboard/audit/export.csv: the filtered log as CSV, oldest first."""
    wanted = filters.audit(call.request.query_params, zone=call.viewer.time_zone)
    call.audit.detail = "audit log csv; " + ", ".join(
        f"{k}={call.query(k)}" for k in ("action", "person", "from", "to") if call.query(k)
    )
    return StreamingResponse(
        csv_stream(HEADER, _lines(call, wanted)),
        media_type="text/csv; charset=utf-8",
        headers=disposition("tandem-audit-log.csv"),
    )


audit_route = staff_route(audit_page, action="dashboard.view_audit", coordinator=True)
export_route = staff_route(audit_export, action="dashboard.export_audit", coordinator=True)
