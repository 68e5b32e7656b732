"""Safeguarding alerts on the dashboard: who raised concern, whether anyone has seen it and
contacted them, and buttons to say so (the same as the alert's own buttons in chat)."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from bot.domain import concerns
from bot.web.auth import RouteCall, staff_route
from bot.web.context import page


def safeguarding_page(call: RouteCall) -> Response:
    """GET /dashboard/safeguarding: alerts about partners of the viewer's cohorts."""
    with call.dashboard.db.reading() as session:
        found = concerns.concerns_for(session, viewer_id=call.viewer.person_id)
    call.audit.detail = f"{len(found)} shown"
    return page(call.request, "safeguarding.html", {"found": found, "done": call.query("done")})


def acknowledge(call: RouteCall) -> Response:
    """POST /dashboard/safeguarding/{id}/acknowledge: seen (or, with contacted, contacted)."""
    concern_id = int(call.request.path_params["concern_id"])
    contacted = call.field("contacted") == "1"
    with call.dashboard.db.transaction() as session:
        concern = concerns.acknowledge(
            session,
            viewer_id=call.viewer.person_id,
            concern_id=concern_id,
            contacted=contacted,
            clock=call.dashboard.clock,
        )
    call.audit.subject = concern.person_id
    call.audit.detail = "contacted" if contacted else "seen"
    return RedirectResponse("/dashboard/safeguarding?done=1", 303)


list_route = staff_route(safeguarding_page, action="dashboard.view_safeguarding")
acknowledge_route = staff_route(acknowledge, action="dashboard.acknowledge_concern")
