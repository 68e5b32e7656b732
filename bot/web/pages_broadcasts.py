"""Broadcasts on the dashboard: compose (audience, words, when), preview exactly as a partner
will see it, send or schedule through the outbox, and the delivery report with correct and
withdraw. The same domain rules as /broadcast in chat."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from bot.domain import broadcasts, overview, when
from bot.domain.broadcasts import Audience
from bot.domain.cohorts import cohorts_for
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.pairs import pairs_in
from bot.domain.weblogin import Viewer
from bot.models import Person
from bot.telegram.screens.outbox import broadcast_values
from bot.web.auth import RouteCall, message_for, staff_route
from bot.web.context import Dashboard, page

Options = list[tuple[str, list[tuple[str, str]]]]
MANY = 500  # more than this many partners: choose by group instead


def _audiences(session: Session, viewer: Viewer, now: Any) -> Options:
    """Every audience the viewer may choose, grouped: (heading, [(token, label)])."""
    groups = []
    if viewer.is_coordinator:
        groups.append(
            ("Everyone", [(Audience("everyone", 0).token(), "Every partner in every group")])
        )
    cohorts = cohorts_for(session, person_id=viewer.person_id)
    groups.append(
        (
            "Groups",
            [(Audience("cohort", c.id or 0).token(), f"Everyone in {c.name}") for c in cohorts],
        )
    )
    held = [
        s.meeting
        for s in overview.meetings(
            session, viewer_id=viewer.person_id, before=now, limit=24, newest_first=True
        )
    ][:24]
    groups.append(
        (
            "Not yet reflected on a meeting",
            [
                (Audience("unanswered", m.id or 0).token(), f"{m.title}, {m.starts_at:%d %b %Y}")
                for m in held
            ],
        )
    )
    pairs = pairs_in(session, cohort_ids=[c.id or 0 for c in cohorts])
    groups.append(("Pairs", [(Audience("pair", p.pair.id or 0).token(), p.names) for p in pairs]))
    partners = broadcasts.partners_named(session, viewer_id=viewer.person_id)
    if len(partners) <= MANY:
        groups.append(
            ("One partner", [(Audience("person", pid).token(), name) for pid, name in partners])
        )
    return [(heading, options) for heading, options in groups if options]


def _label(options: Options, token: str) -> str:
    """What the chosen audience is called, for the report."""
    for _, choices in options:
        for value, label in choices:
            if value == token:
                return label
    return token


def broadcasts_list(call: RouteCall) -> Response:
    """GET /dashboard/broadcasts: recent broadcasts with their delivery counts."""
    viewer = call.viewer
    with call.dashboard.db.reading() as session:
        found = broadcasts.recent(
            session, author_id=None if viewer.is_coordinator else viewer.person_id, limit=50
        )
        reports = [broadcasts.report(session, broadcast=b) for b in found]
    return page(call.request, "broadcasts.html", {"reports": reports})


def compose(call: RouteCall) -> Response:
    """GET /dashboard/broadcasts/new: the compose form."""
    with call.dashboard.db.reading() as session:
        audiences = _audiences(session, call.viewer, call.dashboard.clock.now())
    return page(
        call.request,
        "broadcast_new.html",
        {
            "audiences": audiences,
            "audience": call.query("audience"),
            "text": "",
            "send_at": "",
            "placeholders": broadcasts.PLACEHOLDERS,
            "limit": broadcasts.TEXT_LIMIT,
            "preview": None,
            "error": None,
        },
    )


def _draft(call: RouteCall, session: Session) -> dict[str, Any]:
    """The posted draft, checked: recipients, words rendered for the first one, and when."""
    dashboard: Dashboard = call.dashboard
    audience = Audience.parse(call.field("audience"))
    people = broadcasts.recipients(session, viewer_id=call.viewer.person_id, audience=audience)
    if not people:
        raise InvalidInput("broadcast.nobody")
    now = dashboard.clock.now()
    first = session.get(Person, people[0])
    if first is None:
        raise NotFound("broadcast.person_not_found")
    extra = {
        "next_meeting": broadcasts.next_meetings(session, person_ids=[people[0]], now=now).get(
            people[0]
        ),
        "cohort": broadcasts.cohort_names(session, person_ids=[people[0]]).get(people[0], ""),
    }
    values = broadcast_values(first, extra)
    text = broadcasts.check_text(call.field("text"), values)
    send_at = call.field("send_at").strip()
    moment = (
        when.parse_local(send_at.replace("T", " "), zone=call.viewer.time_zone, now=now)
        if send_at
        else None
    )
    shown = dashboard.texts.render(
        "outbox.broadcast", author=call.viewer.name, text=broadcasts.render_text(text, values)
    )
    return {
        "audience": audience.token(),
        "label": _label(_audiences(session, call.viewer, now), audience.token()),
        "people": people,
        "text": text,
        "send_at": send_at,
        "moment": moment,
        # The Telegram HTML the partner will get, already escaped by the message template.
        "preview": Markup(shown),  # noqa: S704
    }


def preview(call: RouteCall) -> Response:
    """POST /dashboard/broadcasts/preview: the message as the first partner will see it, or
    the form again with what was typed and what to fix."""
    error = None
    with call.dashboard.db.reading() as session:
        audiences = _audiences(session, call.viewer, call.dashboard.clock.now())
        try:
            draft: dict[str, Any] | None = _draft(call, session)
        except InvalidInput as problem:
            draft, error = None, message_for(call.dashboard, problem)
    return page(
        call.request,
        "broadcast_new.html",
        {
            "audiences": audiences,
            "audience": call.field("audience"),
            "text": call.field("text"),
            "send_at": call.field("send_at"),
            "placeholders": broadcasts.PLACEHOLDERS,
            "limit": broadcasts.TEXT_LIMIT,
            "preview": draft,
            "error": error,
        },
        status_code=400 if error else 200,
    )


def send(call: RouteCall) -> Response:
    """POST /dashboard/broadcasts/send: queue it in the outbox, now or at its local time."""
    with call.dashboard.db.transaction() as session:
        draft = _draft(call, session)
        broadcast, _ = broadcasts.create_broadcast(
            session,
            text=draft["text"],
            person_ids=draft["people"],
            clock=call.dashboard.clock,
            author_id=call.viewer.person_id,
            send_at=draft["moment"],
            audience=draft["label"],
        )
    return RedirectResponse(f"/dashboard/broadcasts/{broadcast.id}?done=queued", 303)


def report_page(call: RouteCall) -> Response:
    """GET /dashboard/broadcasts/{id}: its delivery report, correct and withdraw."""
    broadcast_id = int(call.request.path_params["broadcast_id"])
    with call.dashboard.db.reading() as session:
        broadcast = broadcasts.visible(
            session, viewer_id=call.viewer.person_id, broadcast_id=broadcast_id
        )
        report = broadcasts.report(session, broadcast=broadcast)
    return page(call.request, "broadcast.html", {"report": report, "done": call.query("done")})


def correct(call: RouteCall) -> Response:
    """POST: new words; sent copies are edited in partners' chats."""
    broadcast_id = int(call.request.path_params["broadcast_id"])
    with call.dashboard.db.transaction() as session:
        broadcasts.visible(session, viewer_id=call.viewer.person_id, broadcast_id=broadcast_id)
        broadcasts.correct(
            session, broadcast_id=broadcast_id, text=call.field("text"), clock=call.dashboard.clock
        )
    return RedirectResponse(f"/dashboard/broadcasts/{broadcast_id}?done=corrected", 303)


def withdraw(call: RouteCall) -> Response:
    """POST: take it back; sent copies are deleted from partners' chats."""
    broadcast_id = int(call.request.path_params["broadcast_id"])
    with call.dashboard.db.transaction() as session:
        broadcasts.visible(session, viewer_id=call.viewer.person_id, broadcast_id=broadcast_id)
        broadcasts.withdraw(session, broadcast_id=broadcast_id, clock=call.dashboard.clock)
    return RedirectResponse(f"/dashboard/broadcasts/{broadcast_id}?done=withdrawn", 303)


list_route = staff_route(broadcasts_list)
compose_route = staff_route(compose)
preview_route = staff_route(preview)
send_route = staff_route(send)
report_route = staff_route(report_page)
correct_route = staff_route(correct)
withdraw_route = staff_route(withdraw)
