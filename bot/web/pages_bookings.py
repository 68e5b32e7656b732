"""One-to-ones on the dashboard (issue 18): the times of the groups a viewer may host for,
upcoming or past, with who booked each; add a time; cancel one (its partner is told kindly
in Telegram). The same rules as /book in chat; every view and change is audited."""

from __future__ import annotations

from datetime import date, time

from starlette.responses import RedirectResponse, Response

from bot.domain import bookings
from bot.domain.errors import InvalidInput
from bot.web.auth import RouteCall, staff_route
from bot.web.context import page

BOOKINGS = "/dashboard/bookings"


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


def bookings_page(call: RouteCall) -> Response:
    """GET /dashboard/bookings: slots and bookings, by group, upcoming (or past)."""
    cohort, past = _number(call.query("cohort")), call.query("when") == "past"
    with call.dashboard.db.reading() as session:
        found = bookings.desk(
            session,
            viewer_id=call.viewer.person_id,
            clock=call.dashboard.clock,
            cohort_id=cohort,
            past=past,
        )
    call.audit.detail = f"bookings, cohort={cohort or 'all'}, {'past' if past else 'upcoming'}"
    return page(
        call.request,
        "bookings.html",
        {
            "desk": found,
            "chosen": cohort,
            "past": past,
            "done": call.query("done"),
            "lengths": (15, 30, 45, 60, 90, 120),
        },
    )


def _when(call: RouteCall) -> tuple[date, time]:
    """The day and time typed in the form (the host's own time zone)."""
    try:
        return date.fromisoformat(call.field("day")), time.fromisoformat(call.field("time"))
    except ValueError:
        raise InvalidInput(
            "when.unclear", typed=f"{call.field('day')} {call.field('time')}"
        ) from None


def add_slot(call: RouteCall) -> Response:
    """POST /dashboard/bookings/slots: a new time for a group, hosted by the viewer."""
    day, at = _when(call)
    with call.dashboard.db.transaction() as session:
        slot = bookings.publish(
            session,
            host_id=call.viewer.person_id,
            cohort_id=_number(call.field("cohort")) or 0,
            day=day,
            at=at,
            minutes=_number(call.field("minutes")) or 0,
            where=call.field("where"),
            clock=call.dashboard.clock,
        )
    call.audit.detail, call.audit.subject = f"slot {slot.id} for cohort {slot.cohort_id}", None
    return RedirectResponse(f"{BOOKINGS}?done=added", 303)


def cancel_slot(call: RouteCall) -> Response:
    """POST /dashboard/bookings/slots/{id}/cancel: the partner who booked it is told."""
    with call.dashboard.db.transaction() as session:
        done = bookings.cancel_slot(
            session,
            viewer_id=call.viewer.person_id,
            slot_id=int(call.request.path_params["slot_id"]),
            clock=call.dashboard.clock,
        )
    return RedirectResponse(f"{BOOKINGS}?done={'told' if done.partner_told else 'cancelled'}", 303)


list_route = staff_route(bookings_page, action="dashboard.view_bookings")
add_route = staff_route(add_slot, action="dashboard.booking_slot_add")
cancel_route = staff_route(cancel_slot, action="dashboard.booking_slot_cancel")
