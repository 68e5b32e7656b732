"""Dashboard: champions (issue 18). Each cohort the viewer runs: its champions with their
mentees (first names, start and end dates, status), open invitations, new partners without a
mentor, and every partner with how long they have been in and the meetings they attended.
The same actions as /champions in chat: ask a partner, end a champion's role, offer a
champion to a new partner as their mentor. Every view and action is audited by its route."""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import RedirectResponse, Response

from bot.domain import champions
from bot.web.auth import RouteCall, staff_route
from bot.web.context import page

CHAMPIONS = "/dashboard/champions"


def _number(call: RouteCall, name: str) -> int:
    """A chosen id from a form (0 when missing or not a number: found nowhere)."""
    value = call.field(name)
    return int(value) if value.isdigit() and len(value) < 10 else 0


def _champion_id(call: RouteCall) -> int:
    return int(call.request.path_params["champion_id"])


def champions_page(call: RouteCall) -> Response:
    """GET /dashboard/champions: champions, mentees and partners of the viewer's cohorts."""
    clock = call.dashboard.clock
    with call.dashboard.db.reading() as session:
        groups = champions.desk(session, viewer_id=call.viewer.person_id, clock=clock)
    call.audit.detail = f"champions of {len(groups)} cohort(s)"
    return page(
        call.request,
        "champions.html",
        {"groups": groups, "done": call.query("done"), "now": clock.now()},
    )


def _acted(call: RouteCall, done: str, act: Callable[..., object], **chosen: object) -> Response:
    """Do one action as the viewer; back to the page, saying what was done."""
    with call.dashboard.db.transaction() as session:
        act(session, viewer_id=call.viewer.person_id, clock=call.dashboard.clock, **chosen)
    return RedirectResponse(f"{CHAMPIONS}?done={done}", 303)


def ask(call: RouteCall) -> Response:
    """POST /dashboard/champions/ask: ask a partner to be a champion; they are told in chat."""
    person_id = _number(call, "person")
    call.audit.subject = person_id or None
    return _acted(
        call, "asked", champions.ask, cohort_id=_number(call, "cohort"), person_id=person_id
    )


def end(call: RouteCall) -> Response:
    """POST /dashboard/champions/{id}/end: end a champion's role; they and mentees are told."""
    return _acted(call, "ended", champions.end_champion, champion_id=_champion_id(call))


def offer(call: RouteCall) -> Response:
    """POST /dashboard/champions/{id}/offer: offer this champion to a new partner as a mentor."""
    mentee_id = _number(call, "mentee")
    call.audit.subject = mentee_id or None
    return _acted(
        call, "offered", champions.offer, champion_id=_champion_id(call), mentee_id=mentee_id
    )


list_route = staff_route(champions_page, action="dashboard.view_champions")
ask_route = staff_route(ask, action="dashboard.champion_ask")
end_route = staff_route(end, action="dashboard.champion_end")
offer_route = staff_route(offer, action="dashboard.mentor_offer")
