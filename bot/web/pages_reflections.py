"""Reflections on the dashboard: the filtered list, one reflection with Flag, Reply and
"you said, we did", and the exports."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from bot.domain import meetings as meetings_domain
from bot.domain import outcomes, overview, review
from bot.domain.cohorts import cohorts_for
from bot.domain.reflection_search import one, scale_questions, search
from bot.web import filters
from bot.web.auth import RouteCall, staff_route
from bot.web.charts import scale_chart
from bot.web.context import page

PER_PAGE = 25


def _choices(call: RouteCall) -> dict[str, object]:
    """What the filter form offers: the viewer's cohorts and meetings, sets, scales."""
    library = call.dashboard.library
    with call.dashboard.db.reading() as session:
        cohorts = cohorts_for(session, person_id=call.viewer.person_id)
        meetings = overview.meetings(
            session,
            viewer_id=call.viewer.person_id,
            before=call.dashboard.clock.now(),
            limit=200,
            newest_first=True,
            rsvps=False,
        )
    return {
        "cohorts": cohorts,
        "meetings": meetings,
        "prompt_sets": sorted((s.id, s.title) for s in library.prompt_sets.values()),
        "scales": scale_questions(library.prompt_sets),
    }


def _page_number(call: RouteCall) -> int:
    value = call.query("page", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def reflections_list(call: RouteCall) -> Response:
    """GET /dashboard/reflections: shared reflections, filtered and paged."""
    wanted = filters.parse(call.request.query_params, zone=call.viewer.time_zone)
    with call.dashboard.db.reading() as session:
        result = search(
            session,
            viewer_id=call.viewer.person_id,
            wanted=wanted,
            prompt_sets=call.dashboard.library.prompt_sets,
            page=_page_number(call),
            per_page=PER_PAGE,
        )
        partner = (
            overview.partner_in_scope(
                session, viewer_id=call.viewer.person_id, person_id=wanted.person_id
            )
            if wanted.person_id is not None
            else None
        )
    call.audit.detail = f"{wanted.describe()}; {len(result.rows)} of {result.total} shown"
    return page(
        call.request,
        "reflections.html",
        {
            "result": result,
            "wanted": wanted,
            "params": call.request.query_params,
            "kept": filters.kept(call.request.query_params),
            "everyone": {
                k: v for k, v in filters.kept(call.request.query_params).items() if k != "partner"
            },
            "partner": partner,
            "chart": scale_chart,
            **_choices(call),
        },
    )


def reflection_detail(call: RouteCall) -> Response:
    """GET /dashboard/reflections/{id}: one reflection, with its actions."""
    reflection_id = int(call.request.path_params["reflection_id"])
    with call.dashboard.db.reading() as session:
        row = one(
            session,
            viewer_id=call.viewer.person_id,
            reflection_id=reflection_id,
            prompt_sets=call.dashboard.library.prompt_sets,
        )
        recent = overview.meetings(
            session,
            viewer_id=call.viewer.person_id,
            before=call.dashboard.clock.now(),
            limit=12,
            newest_first=True,
            rsvps=False,
        )
    call.audit.subject = row.person_id  # None for an anonymised reflection
    return page(
        call.request,
        "reflection.html",
        {
            "row": row,
            "chart": scale_chart,
            "done": call.query("done"),
            "meetings": recent,
        },
    )


def _back(reflection_id: int, done: str) -> Response:
    return RedirectResponse(f"/dashboard/reflections/{reflection_id}?done={done}", 303)


def reflection_flag(call: RouteCall) -> Response:
    """POST: flag a reflection for follow-up, or clear the flag."""
    reflection_id = int(call.request.path_params["reflection_id"])
    with call.dashboard.db.transaction() as session:
        reflection = review.flag(
            session,
            viewer_id=call.viewer.person_id,
            reflection_id=reflection_id,
            clock=call.dashboard.clock,
        )
    return _back(reflection_id, "flagged" if reflection.flagged_at else "unflagged")


def reflection_reply(call: RouteCall) -> Response:
    """POST: a reply that reaches the partner in Telegram, from the viewer."""
    reflection_id = int(call.request.path_params["reflection_id"])
    with call.dashboard.db.transaction() as session:
        review.reply(
            session,
            viewer_id=call.viewer.person_id,
            reflection_id=reflection_id,
            text=call.field("text"),
            clock=call.dashboard.clock,
        )
    return _back(reflection_id, "replied")


def reflection_outcome(call: RouteCall) -> Response:
    """POST: record what happened ("you said, we did"); the partner is told."""
    reflection_id = int(call.request.path_params["reflection_id"])
    meeting = call.field("meeting")
    with call.dashboard.db.transaction() as session:
        meeting_id = None
        if meeting.isdigit():
            meeting_id = meetings_domain.visible_meeting(
                session, meeting_id=int(meeting), person_id=call.viewer.person_id
            ).id
        outcomes.record_outcome(
            session,
            viewer_id=call.viewer.person_id,
            clock=call.dashboard.clock,
            text=call.field("text"),
            prompt_sets=call.dashboard.library.prompt_sets,
            reflection_id=reflection_id,
            meeting_id=meeting_id,
        )
    return _back(reflection_id, "outcome")


list_route = staff_route(reflections_list, action="dashboard.view_reflections")
detail_route = staff_route(reflection_detail, action="dashboard.view_reflection")
flag_route = staff_route(reflection_flag, action="dashboard.flag")
reply_route = staff_route(reflection_reply, action="dashboard.reply")
outcome_route = staff_route(reflection_outcome, action="dashboard.record_outcome")
