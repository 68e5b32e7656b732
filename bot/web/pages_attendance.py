"""Attendance on the dashboard (issue 18): the meetings of the viewer's groups with how many
came (confirmed, or expected from RSVPs until then), a form to confirm or correct one
meeting's sheet, and a form to write an endorsement for a partner, which the partner
approves in Telegram before it goes on their record. Every view and action is audited."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from bot.domain import attendance, attendance_lists, record
from bot.domain.overview import cohort_summaries
from bot.web.auth import RouteCall, staff_route
from bot.web.context import page

NOTES = {
    "saved": "Saved. The partners' records now show who came.",
    "endorsed": "Sent. The partner will be asked in Telegram whether to add it to their record.",
}


def _cohort(call: RouteCall) -> int | None:
    """The group asked for (?cohort=ID), or None for every group the viewer runs."""
    chosen = call.query("cohort")
    return int(chosen) if chosen.isdigit() and len(chosen) < 10 else None


def attendance_page(call: RouteCall) -> Response:
    """GET /dashboard/attendance: meetings that have begun, newest first, with counts."""
    chosen = _cohort(call)
    with call.dashboard.db.reading() as session:
        sheets = attendance_lists.recent_sheets(
            session,
            person_id=call.viewer.person_id,
            clock=call.dashboard.clock,
            cohort_id=chosen,
            limit=100,
        )
        cohorts = cohort_summaries(session, viewer_id=call.viewer.person_id)
        groups = record.endorsable(session, viewer_id=call.viewer.person_id)
    names = {c.id: c.name for c in cohorts}
    call.audit.detail = f"attendance, cohort={chosen or 'all'}"
    return page(
        call.request,
        "attendance.html",
        {
            "sheets": sheets,
            "names": names,
            "cohorts": cohorts,
            "chosen": chosen,
            "choices": [(pid, name, g.cohort.name) for g in groups for pid, name in g.partners],
            "done": call.query("done"),
            "notes": NOTES,
        },
    )


def sheet_page(call: RouteCall) -> Response:
    """GET /dashboard/attendance/{meeting}: the sheet as checkboxes, to confirm or correct."""
    meeting_id = int(call.request.path_params["meeting_id"])
    with call.dashboard.db.reading() as session:
        found = attendance_lists.sheet_for(
            session,
            meeting_id=meeting_id,
            person_id=call.viewer.person_id,
            clock=call.dashboard.clock,
        )
    return page(
        call.request,
        "attendance_sheet.html",
        {"sheet": found.sheet, "cohort": found.cohort, "done": call.query("done"), "notes": NOTES},
    )


def sheet_confirm(call: RouteCall) -> Response:
    """POST: the ticked partners came, the others did not (a correction replaces it)."""
    meeting_id = int(call.request.path_params["meeting_id"])
    ticked = call.form.getlist("there") if call.form is not None else []
    there = [int(v) for v in ticked if isinstance(v, str) and v.isdigit() and len(v) < 10]
    with call.dashboard.db.transaction() as session:
        attendance.confirm_attendance(
            session,
            meeting_id=meeting_id,
            person_id=call.viewer.person_id,
            attended=there,
            clock=call.dashboard.clock,
        )
    call.audit.detail = f"{len(there)} came"
    return RedirectResponse(f"/dashboard/attendance/{meeting_id}?done=saved", 303)


def endorse(call: RouteCall) -> Response:
    """POST: an endorsement for a partner of the viewer's groups, sent for their approval."""
    partner = call.field("partner")
    partner_id = int(partner) if partner.isdigit() and len(partner) < 10 else 0
    with call.dashboard.db.transaction() as session:
        written = record.write_endorsement(
            session,
            viewer_id=call.viewer.person_id,
            partner_id=partner_id,
            text=call.field("text"),
            clock=call.dashboard.clock,
        )
    call.audit.subject = written.person_id
    return RedirectResponse("/dashboard/attendance?done=endorsed", 303)


list_route = staff_route(attendance_page, action="dashboard.view_attendance")
sheet_route = staff_route(sheet_page, action="dashboard.view_attendance_sheet")
confirm_route = staff_route(sheet_confirm, action="dashboard.confirm_attendance")
endorse_route = staff_route(endorse, action="dashboard.endorse_partner")
