"""Dashboard: agenda items from partners (issue 17). The same decisions as /agenda in chat:
accept for a meeting, join with another item, "not this time" with a required reason, and
after the meeting what happened. Every view and decision is audited by its route."""

from __future__ import annotations

from collections.abc import Callable

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


def _decided(
    call: RouteCall, done: str, decide: Callable[..., object], **chosen: object
) -> Response:
    """Make one decision on the item the path names, as the viewer; back to the list."""
    with call.dashboard.db.transaction() as session:
        decide(
            session,
            viewer_id=call.viewer.person_id,
            item_id=_item_id(call),
            clock=call.dashboard.clock,
            **chosen,
        )
    return RedirectResponse(f"{AGENDA}?done={done}", 303)


def accept(call: RouteCall) -> Response:
    """POST /dashboard/agenda/{id}/accept: on the chosen meeting's agenda; the partner is told."""
    return _decided(call, "accepted", agenda.accept, meeting_id=_number(call, "meeting"))


def merge(call: RouteCall) -> Response:
    """POST /dashboard/agenda/{id}/merge: joined with the chosen item; the partner is told."""
    return _decided(call, "merged", agenda.merge, into_id=_number(call, "into"))


def decline(call: RouteCall) -> Response:
    """POST /dashboard/agenda/{id}/decline: "not this time", refused without a reason."""
    return _decided(call, "declined", agenda.decline, reason=call.field("reason"))


def outcome(call: RouteCall) -> Response:
    """POST /dashboard/agenda/{id}/outcome: what happened, told to proposer and supporters."""
    return _decided(call, "outcome", agenda.record_outcome, text=call.field("text"))


list_route = staff_route(agenda_page, action="dashboard.view_agenda")
accept_route = staff_route(accept, action="dashboard.agenda_accept")
merge_route = staff_route(merge, action="dashboard.agenda_merge")
decline_route = staff_route(decline, action="dashboard.agenda_decline")
outcome_route = staff_route(outcome, action="dashboard.agenda_outcome")
