"""A meeting's summary on the dashboard (issue 17 part 4): the items partners asked for,
the measures' scores since the cohort's previous meeting, and what the board learned."""

from __future__ import annotations

from starlette.responses import Response

from bot.domain.meeting_summary import summary_for_meeting
from bot.web.auth import RouteCall, staff_route
from bot.web.context import page


def summary_page(call: RouteCall) -> Response:
    """GET /dashboard/meetings/{id}/summary: one meeting of the viewer's cohorts, summed up."""
    meeting_id = int(call.request.path_params["meeting_id"])
    with call.dashboard.db.reading() as session:
        summary = summary_for_meeting(
            session, viewer_id=call.viewer.person_id, meeting_id=meeting_id
        )
    return page(call.request, "meeting_summary.html", {"summary": summary})


summary_route = staff_route(summary_page, action="dashboard.view_meeting_summary")
