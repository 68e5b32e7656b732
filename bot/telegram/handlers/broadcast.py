"""/broadcast: one message to many, written, previewed and sent from a phone.

Choose who (buttons) → type the words → see exactly what a partner will see → send now,
send later at a local time, change the words, add versions in other languages
(handlers/broadcast_versions.py, issue 19), or cancel. The checks, the preview and the
sending are the domain's (bot/domain/broadcasts), the same as on the dashboard.
(/broadcasts, the delivery reports, is in handlers/broadcasts.py.)
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from bot.db import Session
from bot.domain import broadcasts, cohorts, conversation, when
from bot.domain.broadcasts import Audience
from bot.domain.when import local_time_label, zone_label
from bot.models import Role
from bot.telegram import callbacks, flows
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, cancel_button, deliver, on_button
from bot.telegram.handlers.broadcast_versions import FLOW, draft_of, draft_reply, stale
from bot.telegram.screens import help_button
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, edit, reply, rows, settle, stacked

PAGE = 20  # partners per page when choosing one
MEETINGS = 6  # recent meetings offered for "not yet reflected"


def _audience_menu(session: Session, services: Services, caller: Caller) -> Screen:
    texts = services.texts
    mine = cohorts.cohorts_for(session, person_id=caller.person_id)
    buttons = [
        Button(
            texts.render("broadcast.to_cohort", cohort=c.name),
            callbacks.BROADCAST_TO(Audience("cohort", c.id or 0).token()),
        )
        for c in mine[:6]
    ]
    # Issue 17: the cohort's board members, or its partners and board members together.
    buttons += [
        Button(
            texts.render(f"broadcast.to_{kind}", cohort=c.name),
            callbacks.BROADCAST_TO(Audience(kind, c.id or 0).token()),
        )
        for c in mine[:3]
        for kind in ("board", "together")
    ]
    buttons += [
        Button(texts.render("broadcast.to_pair"), callbacks.BROADCAST_PICK("pair", 0)),
        Button(texts.render("broadcast.to_person"), callbacks.BROADCAST_PICK("person", 0)),
        Button(texts.render("broadcast.to_unanswered"), callbacks.BROADCAST_PICK("unanswered", 0)),
    ]
    if caller.person is not None and caller.person.role == Role.COORDINATOR:
        everyone = callbacks.BROADCAST_TO(Audience("everyone").token())
        buttons.append(Button(texts.render("broadcast.to_everyone"), everyone))
    buttons.append(cancel_button(services))
    return Screen(texts.render("broadcast.who"), stacked(buttons))


@gate(roles=STAFF)
async def broadcast_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/broadcast: start writing a message to many people."""
    services = context.services
    with services.db.transaction() as session:
        screen = _audience_menu(session, services, caller)
    await reply(update, screen)


@on_button(callbacks.BROADCAST_WHO, roles=STAFF)
async def who_button(tap: Tap) -> None:
    """Back to choosing who the message is for."""
    with tap.services.db.transaction() as session:
        screen = _audience_menu(session, tap.services, tap.caller)
    await tap.query.answer()
    await edit(tap.query, screen)


def label(session: Session, services: Services, audience: Audience) -> str:
    """How an audience is named to the facilitator (and in /broadcasts), as plain text:
    it is stored and escaped again wherever it is shown ("Priya &amp;amp; Kwame", issue 15)."""
    name = broadcasts.describe(session, audience=audience)
    if audience.kind == "person":
        return name
    return html.unescape(
        services.texts.render(
            f"broadcast.label.{audience.kind}", cohort=name, names=name, meeting=name
        )
    )


def _pick_buttons(
    session: Session, services: Services, caller: Caller, what: str, page: int
) -> list[Button]:
    """One pair, one person, or one meeting's non-responders to choose from."""
    texts, viewer = services.texts, caller.person_id
    if what == "pair":
        found = broadcasts.choices(session, viewer_id=viewer, now=services.clock.now(), partners=0)
        return [Button(c.name, callbacks.BROADCAST_TO(c.audience.token())) for c in found.pairs]
    if what == "unanswered":
        zone = caller.person.time_zone if caller.person else "Europe/London"
        now = services.clock.now()
        found = broadcasts.choices(
            session, viewer_id=viewer, now=now, meetings=MEETINGS, partners=0
        )
        return [
            Button(
                f"{c.name} · {local_time_label(c.starts_at or now, zone, now=now)}",
                callbacks.BROADCAST_TO(c.audience.token()),
            )
            for c in found.meetings
        ]
    named, more = broadcasts.partners_page(session, viewer_id=viewer, page=page, size=PAGE)
    buttons = [
        Button(name or "?", callbacks.BROADCAST_TO(Audience("person", pid).token()))
        for pid, name in named
    ]
    if more:
        buttons.append(
            Button(texts.render("broadcast.more"), callbacks.BROADCAST_PICK("person", page + 1))
        )
    return buttons


EMPTY = {"pair": "broadcast.no_pairs", "unanswered": "broadcast.no_meetings"}


@on_button(callbacks.BROADCAST_PICK, roles=STAFF)
async def pick_button(tap: Tap) -> None:
    """The list to pick one pair, one person, or one meeting's non-responders from."""
    services, (what, page) = tap.services, tap.values
    texts = services.texts
    back = Button(texts.render("broadcast.back"), callbacks.BROADCAST_WHO())
    with services.db.transaction() as session:
        buttons = _pick_buttons(session, services, tap.caller, what, page)
    if buttons:
        screen = Screen(texts.render(f"broadcast.pick.{what}"), stacked([*buttons, back]))
    else:
        empty = texts.render(EMPTY.get(what, "broadcast.no_people"))
        screen = Screen(empty, stacked([back, cancel_button(services)]))
    await tap.query.answer()
    await edit(tap.query, screen)


@on_button(callbacks.BROADCAST_TO, roles=STAFF)
async def audience_button(tap: Tap) -> None:
    """An audience chosen: how many it reaches, then what to write."""
    services, caller, (token,) = tap.services, tap.caller, tap.values
    texts = services.texts
    await settle(tap.query)
    audience = Audience.parse(token)
    with services.db.transaction() as session:
        people = broadcasts.recipients(session, viewer_id=caller.person_id, audience=audience)
        named = label(session, services, audience)
        draft = {"audience": audience.token(), "label": named, "count": len(people)}
        if people:
            screen = _ask_words(session, services, caller, draft)
        else:
            screen = Screen(
                texts.render("broadcast.nobody_there", audience=named),
                stacked([Button(texts.render("broadcast.back"), callbacks.BROADCAST_WHO())]),
            )
    await reply(tap.update, screen)


def _ask_words(
    session: Session, services: Services, caller: Caller, draft: dict[str, Any]
) -> Screen:
    draft = {key: value for key, value in draft.items() if key != "text"}
    text = services.texts.render(
        "broadcast.write",
        audience=draft["label"],
        count=draft["count"],
        limit=broadcasts.TEXT_LIMIT,
    )
    return flows.ask(
        session, services, person_id=caller.person_id, flow=FLOW, data=draft, text=text
    )


@on_button(callbacks.BROADCAST_REWRITE, roles=STAFF)
async def rewrite_button(tap: Tap) -> None:
    """Change the words before sending."""
    await settle(tap.query)
    with tap.services.db.transaction() as session:
        draft = draft_of(session, tap.caller, written=False)
        screen = _ask_words(session, tap.services, tap.caller, draft) if draft else None
    if screen is None:
        await stale(tap)
        return
    await reply(tap.update, screen)


def words_text(turn: Turn, text: str) -> Reply:
    """The typed words: checked, and previewed exactly as the first recipient will see them
    (with any versions in other languages, which stay as they were)."""
    return draft_reply(turn.session, turn.services, turn.caller, {**turn.data, "text": text})


@on_button(callbacks.BROADCAST_LATER, roles=STAFF)
async def later_button(tap: Tap) -> None:
    """When to send it: a choice of times, or one typed, in the writer's own time zone."""
    services, caller = tap.services, tap.caller
    assert caller.person is not None
    await settle(tap.query)
    zone = caller.person.time_zone
    now = services.clock.now()
    local_now = now.astimezone(ZoneInfo(zone))
    options = []
    for days, hour in ((1, 9), (1, 18), (2, 9)):
        local = (local_now + timedelta(days=days)).replace(hour=hour, minute=0, second=0)
        moment = when.parse_local(f"{local:%Y-%m-%d %H:%M}", zone=zone, now=now)
        at = callbacks.BROADCAST_AT(int(moment.timestamp()))
        options.append(Button(local_time_label(moment, zone, now=now), at))
    with services.db.transaction() as session:
        draft = draft_of(session, caller, written=True)
        screen = (
            flows.ask(
                session,
                services,
                person_id=caller.person_id,
                flow=FLOW,
                step="when",
                data=draft,
                text=services.texts.render("broadcast.when", zone=zone_label(zone)),
                extra=options,
            )
            if draft
            else None
        )
    if screen is None:
        await stale(tap)
        return
    await reply(tap.update, screen)


def when_text(turn: Turn, text: str) -> Reply:
    """A typed date and time for a scheduled broadcast."""
    assert turn.caller.person is not None
    services = turn.services
    moment = when.parse_local(text, zone=turn.caller.person.time_zone, now=services.clock.now())
    return Reply.of(_create(turn.session, services, turn.caller, turn.data, moment))


async def _send(tap: Tap, moment: datetime | None) -> None:
    services = tap.services
    await settle(tap.query)
    with services.db.transaction() as session:
        draft = draft_of(session, tap.caller, written=True)
        if draft is None:
            screen = Screen(services.texts.render("broadcast.nothing_waiting"))
        else:
            screen = _create(session, services, tap.caller, draft, moment)
    await deliver(tap.update, Reply.of(screen))


@on_button(callbacks.BROADCAST_SEND, roles=STAFF)
async def send_button(tap: Tap) -> None:
    """Send it now."""
    await _send(tap, None)


@on_button(callbacks.BROADCAST_AT, roles=STAFF)
async def at_button(tap: Tap) -> None:
    """Send it at one of the times offered."""
    await _send(tap, datetime.fromtimestamp(tap.values[0], tz=UTC))


def _create(
    session: Session,
    services: Services,
    caller: Caller,
    data: dict[str, Any],
    moment: datetime | None,
) -> Screen:
    """Queue the broadcast (now or at `moment`) for everyone its audience means now."""
    texts = services.texts
    assert caller.person is not None
    broadcast, count = broadcasts.send(
        session,
        viewer_id=caller.person_id,
        audience=Audience.parse(str(data.get("audience", ""))),
        text=str(data.get("text", "")),
        label=str(data.get("label", "")),
        clock=services.clock,
        send_at=moment,
        versions=dict(data.get("versions") or {}),
    )
    conversation.clear_state(session, person_id=caller.person_id)
    report = Button(texts.render("broadcast.buttons.report"), callbacks.BROADCASTS())
    if broadcast.send_at <= services.clock.now():
        text = texts.render("broadcast.sent", count=count)
    else:
        zone = caller.person.time_zone
        text = texts.render(
            "broadcast.scheduled",
            count=count,
            when=local_time_label(broadcast.send_at, zone, now=services.clock.now()),
            zone=zone_label(zone),
        )
    return Screen(text, rows(report, help_button(services)))


flows.register(FLOW, words_text)
flows.register(FLOW, when_text, step="when")
