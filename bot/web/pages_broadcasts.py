"""Broadcasts on the dashboard: compose (audience, words, when), preview exactly as a partner
will see it, send or schedule through the outbox, and the delivery report with correct and
withdraw. The same domain rules as /broadcast in chat."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from markupsafe import Markup
from starlette.responses import RedirectResponse, Response

from bot.domain import broadcasts, when
from bot.domain.broadcasts import Audience, Choices
from bot.domain.errors import InvalidInput
from bot.library import languages
from bot.library.languages import ENGLISH
from bot.web.auth import RouteCall, message_for, staff_route
from bot.web.context import Dashboard, page

Options = list[tuple[str, list[tuple[str, str]]]]


def _options(found: Choices) -> Options:
    """Every audience the viewer may choose, grouped: (heading, [(token, label)])."""
    groups: Options = []
    if found.everyone:
        groups.append(
            ("Everyone", [(Audience("everyone").token(), "Every partner in every group")])
        )
    groups.append(
        ("Groups", [(c.audience.token(), f"Everyone in {c.name}") for c in found.cohorts])
    )
    groups.append(  # issue 17: audiences by role
        (
            "Board members",
            [
                (Audience(kind, c.audience.target).token(), f"{words} {c.name}")
                for c in found.cohorts
                for kind, words in (
                    ("board", "Board members of"),
                    ("together", "Partners and board members of"),
                )
            ],
        )
    )
    groups.append(
        (
            "Not yet reflected on a meeting",
            [
                (c.audience.token(), f"{c.name}, {c.starts_at:%d %b %Y}")
                for c in found.meetings
                if c.starts_at is not None
            ],
        )
    )
    groups.append(("Pairs", [(c.audience.token(), c.name) for c in found.pairs]))
    if found.partners is not None:
        groups.append(("One partner", [(c.audience.token(), c.name) for c in found.partners]))
    return [(heading, options) for heading, options in groups if options]


def _audiences(call: RouteCall) -> Options:
    with call.dashboard.db.reading() as session:
        found = broadcasts.choices(
            session, viewer_id=call.viewer.person_id, now=call.dashboard.clock.now()
        )
    return _options(found)


def _label(options: Options, token: str) -> str:
    """What the chosen audience is called, for the report."""
    for _, choices in options:
        for value, label in choices:
            if value == token:
                return label
    return token


def broadcasts_list(call: RouteCall) -> Response:
    """GET /dashboard/broadcasts: recent broadcasts with their delivery counts."""
    with call.dashboard.db.reading() as session:
        reports = broadcasts.recent_reports(session, viewer_id=call.viewer.person_id, limit=50)
    return page(call.request, "broadcasts.html", {"reports": reports})


def _languages(call: RouteCall) -> dict[str, str]:
    """The languages a version can be written in (issue 19): each Tandem speaks but English,
    by code, with its own name."""
    spoken = call.dashboard.texts.languages
    return {code: language.name for code, language in spoken.items() if code != ENGLISH}


def _typed_versions(call: RouteCall) -> dict[str, str]:
    """The versions posted (a box left empty is no version), by language code."""
    typed = {code: call.field(f"version_{code}").strip() for code in _languages(call)}
    return {code: text for code, text in typed.items() if text}


def _form(call: RouteCall, **context: Any) -> dict[str, Any]:
    """What the compose form shows."""
    return {
        "audiences": _audiences(call),
        "languages": _languages(call),
        "versions": {},
        "placeholders": broadcasts.PLACEHOLDERS,
        "limit": broadcasts.TEXT_LIMIT,
        "preview": None,
        "error": None,
        "changed": False,
        **context,
    }


def compose(call: RouteCall) -> Response:
    """GET /dashboard/broadcasts/new: the compose form."""
    context = _form(call, audience=call.query("audience"), text="", send_at="")
    return page(call.request, "broadcast_new.html", context)


def draft_check(
    *, audience: str, text: str, send_at: str, versions: dict[str, str] | None = None
) -> str:
    """A fingerprint of what a preview showed (who, the words in each language, when): the
    send form carries it, and a send whose draft no longer matches shows a new preview
    instead of sending."""
    shown = json.dumps(
        [audience, text, send_at, *sorted((versions or {}).items())], ensure_ascii=False
    )
    return hashlib.sha256(shown.encode()).hexdigest()


def _draft(call: RouteCall, options: Options) -> dict[str, Any]:
    """The posted draft, checked by the domain: recipients, the words rendered for the first
    one exactly as they will get them, and when."""
    dashboard = call.dashboard
    audience = Audience.parse(call.field("audience"))
    with dashboard.db.reading() as session:
        draft = broadcasts.preview(
            session,
            viewer_id=call.viewer.person_id,
            audience=audience,
            text=call.field("text"),
            clock=dashboard.clock,
        )
        readers = broadcasts.readers(session, people=draft.people)
    send_at = call.field("send_at").strip()
    moment = (
        when.parse_local(
            send_at.replace("T", " "), zone=call.viewer.time_zone, now=dashboard.clock.now()
        )
        if send_at
        else None
    )
    versions, names = _checked_versions(call, draft.people), _languages(call)
    first = broadcasts.first_copy(draft, versions)
    shown = _in_language(dashboard, draft.language, call.viewer.name, _with_note(dashboard, first))
    typed = {version.language: version.text for version in versions}
    return {
        "audience": audience.token(),
        "label": _label(options, audience.token()),
        "people": draft.people,
        "text": draft.text,
        "send_at": send_at,
        "moment": moment,
        "versions": typed,
        "check": draft_check(
            audience=audience.token(), text=draft.text, send_at=send_at, versions=typed
        ),
        "preview": shown,
        # Issue 19: who reads a language with no version (they get the note), and each
        # version as its first reader will get it.
        "without": [
            (name, readers[code])
            for code, name in names.items()
            if readers.get(code) and code not in typed
        ],
        "shown_versions": [
            (
                names[version.language],
                version,
                _in_language(dashboard, version.language, call.viewer.name, version.words),
            )
            for version in versions
        ],
    }


def _in_language(dashboard: Dashboard, code: str, author: str, words: str | Markup) -> Markup:
    """A copy as the partner gets it: the message template in their language (issue 19)."""
    with languages.speaking(code):
        shown = dashboard.texts.render("outbox.broadcast", author=author, text=words)
    # The Telegram HTML the partner will get, already escaped by the message template.
    return Markup(shown)  # noqa: S704


def _with_note(dashboard: Dashboard, copy: broadcasts.Wording) -> str | Markup:
    """A copy's words, after the note that they were written in English when it has one
    (as the outbox's broadcast screen puts it), for the message template to escape."""
    if not copy.note:
        return copy.text
    return Markup("{}\n\n{}").format(dashboard.texts.markup("broadcast.original_note"), copy.text)


def _checked_versions(call: RouteCall, people: list[int]) -> list[broadcasts.Version]:
    """Each typed version checked by the domain like the original; a problem names the
    language it is in."""
    dashboard, names = call.dashboard, _languages(call)
    checked = []
    with dashboard.db.reading() as session:
        for code, text in _typed_versions(call).items():
            try:
                checked += broadcasts.check_versions(
                    session, people=people, versions={code: text}, now=dashboard.clock.now()
                )
            except InvalidInput as problem:
                raise VersionProblem(names[code], problem) from None
    return checked


class VersionProblem(InvalidInput):
    """A version in another language cannot be sent (the form says which)."""

    def __init__(self, language: str, problem: InvalidInput) -> None:
        super().__init__(problem.key, str(problem), **problem.params)
        self.language = language


def _preview_page(call: RouteCall, *, changed: bool = False) -> Response:
    """The form with the posted draft previewed, or with what to fix."""
    context = _form(
        call,
        audience=call.field("audience"),
        text=call.field("text"),
        send_at=call.field("send_at"),
        changed=changed,
    )
    context["versions"] = _typed_versions(call)
    try:
        context["preview"] = _draft(call, context["audiences"])
    except InvalidInput as problem:
        context["error"] = message_for(call.dashboard, problem)
        if isinstance(problem, VersionProblem):
            context["error"] = f"In the {problem.language} version: {context['error']}"
    status = 400 if context["error"] else 409 if changed else 200
    return page(call.request, "broadcast_new.html", context, status_code=status)


def preview(call: RouteCall) -> Response:
    """POST /dashboard/broadcasts/preview: the message as the first partner will see it, or
    the form again with what was typed and what to fix."""
    return _preview_page(call)


def send(call: RouteCall) -> Response:
    """POST /dashboard/broadcasts/send: queue it in the outbox, now or at its local time, if
    it is what the preview showed; otherwise a new preview to check first."""
    options = _audiences(call)
    try:
        draft = _draft(call, options)
    except InvalidInput:
        return _preview_page(call)
    if not hmac.compare_digest(call.field("check"), draft["check"]):
        call.audit.detail = "changed since the preview"
        return _preview_page(call, changed=True)
    with call.dashboard.db.transaction() as session:
        broadcast, _ = broadcasts.send(
            session,
            viewer_id=call.viewer.person_id,
            audience=Audience.parse(draft["audience"]),
            text=draft["text"],
            label=draft["label"],
            clock=call.dashboard.clock,
            send_at=draft["moment"],
            versions=draft["versions"],
        )
    return RedirectResponse(f"/dashboard/broadcasts/{broadcast.id}?done=queued", 303)


def _report(call: RouteCall, broadcast_id: int, *, status: int = 200, **extra: Any) -> Response:
    """A broadcast's page: its delivery report, correct and withdraw (and `extra`)."""
    with call.dashboard.db.reading() as session:
        broadcast = broadcasts.visible(
            session, viewer_id=call.viewer.person_id, broadcast_id=broadcast_id
        )
        report = broadcasts.report(session, broadcast=broadcast)
    values = {"report": report, "done": call.query("done"), "correction": None, "error": None}
    values["typed"] = None
    return page(call.request, "broadcast.html", values | extra, status_code=status)


def report_page(call: RouteCall) -> Response:
    """GET /dashboard/broadcasts/{id}: its delivery report, correct and withdraw."""
    return _report(call, int(call.request.path_params["broadcast_id"]))


def correction_check(*, broadcast_id: int, text: str) -> str:
    """The fingerprint of a previewed correction (see `draft_check`)."""
    return draft_check(audience=f"correction.{broadcast_id}", text=text, send_at="")


def correct(call: RouteCall) -> Response:
    """POST: new words, first previewed as a partner will see them; once the preview's own
    form sends them back unchanged, sent copies are edited in partners' chats."""
    broadcast_id = int(call.request.path_params["broadcast_id"])
    dashboard = call.dashboard
    try:
        with dashboard.db.reading() as session:
            draft = broadcasts.preview_correction(
                session,
                viewer_id=call.viewer.person_id,
                broadcast_id=broadcast_id,
                text=call.field("text"),
                clock=dashboard.clock,
            )
    except InvalidInput as problem:
        error = message_for(dashboard, problem)
        return _report(call, broadcast_id, status=400, error=error, typed=call.field("text"))
    check = correction_check(broadcast_id=broadcast_id, text=draft.text)
    if not hmac.compare_digest(call.field("check"), check):
        call.audit.detail = "previewed"
        shown = dashboard.texts.render("outbox.broadcast", author=draft.author, text=draft.words)
        # The Telegram HTML the partner will get, already escaped by the message template.
        correction = {"draft": draft, "check": check, "preview": Markup(shown)}  # noqa: S704
        names = _languages(call)  # issue 19: the versions a correction replaces
        correction["dropped"] = ", ".join(names.get(code, code) for code in draft.dropped)
        return _report(call, broadcast_id, correction=correction)
    with dashboard.db.transaction() as session:
        broadcasts.correct(
            session,
            viewer_id=call.viewer.person_id,
            broadcast_id=broadcast_id,
            text=draft.text,
            clock=dashboard.clock,
        )
    return RedirectResponse(f"/dashboard/broadcasts/{broadcast_id}?done=corrected", 303)


def withdraw(call: RouteCall) -> Response:
    """POST: take it back; sent copies are deleted from partners' chats."""
    broadcast_id = int(call.request.path_params["broadcast_id"])
    with call.dashboard.db.transaction() as session:
        broadcasts.withdraw(
            session,
            viewer_id=call.viewer.person_id,
            broadcast_id=broadcast_id,
            clock=call.dashboard.clock,
        )
    return RedirectResponse(f"/dashboard/broadcasts/{broadcast_id}?done=withdrawn", 303)


list_route = staff_route(broadcasts_list, action="dashboard.view_broadcasts")
compose_route = staff_route(compose, action="dashboard.view_compose")
preview_route = staff_route(preview, action="dashboard.preview_broadcast")
send_route = staff_route(send, action="dashboard.send_broadcast")
report_route = staff_route(report_page, action="dashboard.view_broadcast")
correct_route = staff_route(correct, action="dashboard.correct_broadcast")
withdraw_route = staff_route(withdraw, action="dashboard.withdraw_broadcast")
