"""What board members learned from lay partners, meeting by meeting (issue 17)."""

from __future__ import annotations

from starlette.responses import Response

from bot.domain import board
from bot.web.auth import RouteCall, staff_route
from bot.web.context import page


def learnings_page(call: RouteCall) -> Response:
    """GET /dashboard/learnings: board members' learnings per meeting, by role only."""
    with call.dashboard.db.reading() as session:
        found = board.learnings_seen_by(session, viewer_id=call.viewer.person_id)
    meetings: dict[int, dict[str, object]] = {}
    for learning, meeting, reactions in found:
        entry = meetings.setdefault(meeting.id or 0, {"meeting": meeting, "learnings": []})
        entry["learnings"].append((learning, reactions))  # type: ignore[attr-defined]
    return page(call.request, "learnings.html", {"board_meetings": list(meetings.values())})


learnings_route = staff_route(learnings_page, action="dashboard.view_learnings")
