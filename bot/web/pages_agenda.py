"""Dashboard: agenda items from partners (issue 17). The same decisions as /agenda in chat:
accept for a meeting, join with another item, "not this time" with a required reason, and
after the meeting what happened. Every view and decision is audited by its route."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from bot.domain import agenda
from bot.web.auth import RouteCall, staff_route
from bot.web.context import page

AGENDA = "/dashboard/agenda"


def _item_id(call: RouteCall) -> int:
    return int(call.request.path_params["item_id"])


def _number(call: RouteCall, name: str) -> int:
    """A chosen id from a form's select (0 when missing or not a number: found nowhere)."""
    value = call.field(name)
    return int(value) if value.isdigit() and len(value) < 10 else 0


def agenda_page(call: RouteCall) -> Response:
    """GET /dashboard/agenda: live items of the viewer's cohorts, with their decisions."""
    with call.dashboard.db.reading() as session:
        found = agenda.desk(session, viewer_id=call.viewer.person_id, clock=call.dashboard.clock)
    call.audit.detail = f"{len(found)} shown"
    return page(call.request, "agenda.html", {"found": found, "done": call.query("done")})


def accept(call: RouteCall) -> Response:
    """POST /dashboard/agenda/{id}/accept: on the chosen meeting's agenda; the partner is told."""
    with call.dashboard.db.transaction() as session:
        agenda.accept(
            session,
            viewer_id=call.viewer.person_id,
            item_id=_item_id(call),
            meeting_id=_number(call, "meeting"),
            clock=call.dashboard.clock,
        )
    return RedirectResponse(f"{AGENDA}?done=accepted", 303)


def merge(call: RouteCall) -> Response:
    """POST /dashboard/agenda/{id}/merge: joined with the chosen item; the partner is told."""
    with call.dashboard.db.transaction() as session:
        agenda.merge(
            session,
            viewer_id=call.viewer.person_id,
            item_id=_item_id(call),
            into_id=_number(call, "into"),
            clock=call.dashboard.clock,
        )
    return RedirectResponse(f"{AGENDA}?done=merged", 303)


def decline(call: RouteCall) -> Response:
    """POST /dashboard/agenda/{id}/decline: "not this time", refused without a reason."""
    with call.dashboard.db.transaction() as session:
        agenda.decline(
            session,
            viewer_id=call.viewer.person_id,
            item_id=_item_id(call),
            reason=call.field("reason"),
            clock=call.dashboard.clock,
        )
    return RedirectResponse(f"{AGENDA}?done=declined", 303)


def outcome(call: RouteCall) -> Response:
    """POST /dashboard/agenda/{id}/outcome: what happened, told to proposer and supporters."""
    with call.dashboard.db.transaction() as session:
        agenda.record_outcome(
            session,
            viewer_id=call.viewer.person_id,
            item_id=_item_id(call),
            text=call.field("text"),
            clock=call.dashboard.clock,
        )
    return RedirectResponse(f"{AGENDA}?done=outcome", 303)


list_route = staff_route(agenda_page, action="dashboard.view_agenda")
accept_route = staff_route(accept, action="dashboard.agenda_accept")
merge_route = staff_route(merge, action="dashboard.agenda_merge")
decline_route = staff_route(decline, action="dashboard.agenda_decline")
outcome_route = staff_route(outcome, action="dashboard.agenda_outcome")
