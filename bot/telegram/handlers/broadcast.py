"""/broadcast and /broadcasts: one message to many, written, previewed and sent from a phone.

/broadcast: choose who (buttons) → type the words → see exactly what a partner will see →
send now, send later at a local time, change the words, or cancel. Everything goes through
the outbox. /broadcasts: the recent ones with their delivery counts; correct or withdraw a
sent one for 48 hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select
from telegram import Update

from bot.domain import broadcasts, cohorts, conversation, pairs, when
from bot.domain.broadcasts import Audience
from bot.domain.errors import NotFound, TandemError
from bot.models import Broadcast, Cohort, Meeting, Membership, Person, PersonStatus, Role
from bot.telegram.common import STAFF, Caller, ask_for_text, cancel_button, gate
from bot.telegram.handlers.onboarding import Outcome
from bot.telegram.screens import error_screen, help_button
from bot.telegram.screens.account import local_time_label, zone_label
from bot.telegram.screens.outbox import broadcast_screen, broadcast_values
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, edit, reply, rows, settle, stacked

FLOW = "broadcast"
EDIT_FLOW = "broadcast_edit"
PAGE = 20


def _audience_menu(session: Session, services: Services, caller: Caller) -> Screen:
    texts = services.texts
    mine = cohorts.cohorts_for(session, person_id=caller.person_id)
    buttons = [
        Button(texts.render("broadcast.to_cohort", cohort=c.name), f"bc:a:cohort.{c.id}")
        for c in mine[:6]
    ]
    buttons += [
        Button(texts.render("broadcast.to_pair"), "bc:pick:pair"),
        Button(texts.render("broadcast.to_person"), "bc:pick:person:0"),
        Button(texts.render("broadcast.to_unanswered"), "bc:pick:unanswered"),
    ]
    if caller.person is not None and caller.person.role == Role.COORDINATOR:
        buttons.append(Button(texts.render("broadcast.to_everyone"), "bc:a:everyone.0"))
    buttons.append(cancel_button(services))
    return Screen(texts.render("broadcast.who"), stacked(buttons))


@gate(roles=STAFF)
async def broadcast_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/broadcast: start writing a message to many people."""
    services = context.services
    with services.db.transaction() as session:
        screen = _audience_menu(session, services, caller)
    await reply(update, screen)


def _label(session: Session, services: Services, audience: Audience) -> str:
    """How an audience is named to the facilitator (and in /broadcasts)."""
    texts, kind, target = services.texts, audience.kind, audience.target
    if kind == "cohort":
        cohort = session.get(Cohort, target)
        return texts.render("broadcast.label.cohort", cohort=cohort.name if cohort else "")
    if kind == "pair":
        view = pairs.view_of(session, pair_id=target)
        return texts.render("broadcast.label.pair", names=view.names if view else "")
    if kind == "person":
        person = session.get(Person, target)
        return person.preferred_name or "" if person else ""
    if kind == "unanswered":
        meeting = session.get(Meeting, target)
        return texts.render("broadcast.label.unanswered", meeting=meeting.title if meeting else "")
    return texts.render("broadcast.label.everyone")


def _pick(session: Session, services: Services, caller: Caller, what: str, page: int) -> Screen:
    """The list to pick one pair, one person, or one meeting's non-responders from."""
    texts = services.texts
    scope = cohorts.run_by(session, person_id=caller.person_id)
    back = Button(texts.render("broadcast.back"), "bc:who")
    if what == "pair":
        buttons = [
            Button(view.names, f"bc:a:pair.{view.pair.id}")
            for view in pairs.pairs_in(session, cohort_ids=scope)
        ]
        empty = "broadcast.no_pairs"
    elif what == "unanswered":
        now = services.clock.now()
        ended = select(Meeting).where(col(Meeting.ends_at) <= now)
        if scope is not None:
            ended = ended.where(col(Meeting.cohort_id).in_(scope))
        recent = session.exec(ended.order_by(col(Meeting.starts_at).desc()).limit(6)).all()
        zone = caller.person.time_zone if caller.person else "Europe/London"
        buttons = [
            Button(f"{m.title} · {local_time_label(m.starts_at, zone)}", f"bc:a:unanswered.{m.id}")
            for m in recent
        ]
        empty = "broadcast.no_meetings"
    else:
        query = (
            select(Person)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .where(
                Membership.role == Role.PARTNER,
                col(Membership.left_at).is_(None),
                Person.status == PersonStatus.ACTIVE,
            )
            .distinct()
            .order_by(col(Person.preferred_name), col(Person.id))
        )
        if scope is not None:
            query = query.where(col(Membership.cohort_id).in_(scope))
        found = list(session.exec(query.offset(page * PAGE).limit(PAGE + 1)).all())
        buttons = [Button(p.preferred_name or "?", f"bc:a:person.{p.id}") for p in found[:PAGE]]
        if len(found) > PAGE:
            buttons.append(Button(texts.render("broadcast.more"), f"bc:pick:person:{page + 1}"))
        empty = "broadcast.no_people"
    if not buttons:
        return Screen(texts.render(empty), stacked([back, cancel_button(services)]))
    return Screen(texts.render(f"broadcast.pick.{what}"), stacked([*buttons, back]))


@gate(roles=STAFF)
async def broadcast_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """bc:who | bc:pick:<what> | bc:a:<audience> | bc:send | bc:later | bc:at:<when> |
    bc:rewrite: each step of writing a broadcast."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    parts = query.data.split(":")
    step = parts[1] if len(parts) > 1 else ""
    if step in ("who", "pick"):
        with services.db.transaction() as session:
            if step == "who":
                screen = _audience_menu(session, services, caller)
            else:
                page = int(parts[3]) if len(parts) > 3 and parts[3].isdigit() else 0
                screen = _pick(session, services, caller, parts[2], page)
        await query.answer()
        await edit(query, screen)
        return
    await settle(query)
    if step == "a":
        await _chose_audience(update, services, caller, parts[2])
    elif step == "rewrite":
        await _ask_words(update, services, caller, _draft(services, caller))
    elif step == "later":
        await _ask_when(update, services, caller)
    elif step in ("send", "at"):
        moment = None
        if step == "at" and len(parts) > 2 and parts[2].isdigit():
            moment = datetime.fromtimestamp(int(parts[2]), tz=ZoneInfo("UTC"))
        await reply(update, _send(services, caller, moment))
    else:
        await reply(update, Screen(services.texts.render("fallback.stale_here")))


def _draft(services: Services, caller: Caller) -> dict[str, Any] | None:
    with services.db.transaction() as session:
        state = conversation.get_state(session, person_id=caller.person_id)
    if state is None or state.flow != FLOW or "audience" not in state.data:
        return None
    return dict(state.data)


async def _chose_audience(update: Update, services: Services, caller: Caller, token: str) -> None:
    try:
        audience = Audience.parse(token)
        with services.db.transaction() as session:
            people = broadcasts.recipients(session, viewer_id=caller.person_id, audience=audience)
            label = _label(session, services, audience)
    except TandemError as error:
        await reply(update, error_screen(services, error))
        return
    if not people:
        texts = services.texts
        await reply(
            update,
            Screen(
                texts.render("broadcast.nobody_there", audience=label),
                stacked([Button(texts.render("broadcast.back"), "bc:who")]),
            ),
        )
        return
    draft = {"audience": audience.token(), "label": label, "count": len(people)}
    await _ask_words(update, services, caller, draft)


async def _ask_words(
    update: Update, services: Services, caller: Caller, draft: dict[str, Any] | None
) -> None:
    if draft is None:
        await reply(update, Screen(services.texts.render("fallback.stale_here")))
        return
    draft.pop("text", None)
    draft["step"] = "text"
    await ask_for_text(
        update,
        services,
        person_id=caller.person_id,
        flow=FLOW,
        data=draft,
        text=services.texts.render(
            "broadcast.write",
            audience=draft["label"],
            count=draft["count"],
            limit=broadcasts.TEXT_LIMIT,
        ),
    )


def _sample(
    session: Session, services: Services, person_id: int
) -> tuple[Person | None, dict[str, Any]]:
    """The first recipient and what rendering their copy needs."""
    person = session.get(Person, person_id)
    now = services.clock.now()
    caller_meeting = broadcasts.next_meetings(session, person_ids=[person_id], now=now)
    names = broadcasts.cohort_names(session, person_ids=[person_id])
    return person, {
        "next_meeting": caller_meeting.get(person_id),
        "cohort": names.get(person_id, ""),
    }


def words_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], text: str
) -> Outcome:
    """The typed words: checked, and previewed exactly as the first recipient will see them."""
    texts = services.texts
    try:
        audience = Audience.parse(str(data.get("audience", "")))
        people = broadcasts.recipients(session, viewer_id=caller.person_id, audience=audience)
        if not people:
            raise NotFound("broadcast.nobody")
        person, extra = _sample(session, services, people[0])
        assert person is not None
        cleaned = broadcasts.check_text(text, broadcast_values(person, extra))
    except TandemError as error:
        return Outcome(screens=[error_screen(services, error)])
    assert caller.person is not None
    data = {**data, "text": cleaned, "count": len(people), "step": "confirm"}
    conversation.set_state(
        session,
        person_id=caller.person_id,
        flow=FLOW,
        step="confirm",
        clock=services.clock,
        data=data,
    )
    preview = broadcast_screen(
        services,
        person,
        {**extra, "text": cleaned, "author": caller.person.preferred_name},
    )
    choices = stacked(
        [
            Button(texts.render("broadcast.buttons.send", count=len(people)), "bc:send"),
            Button(texts.render("broadcast.buttons.later"), "bc:later"),
            Button(texts.render("broadcast.buttons.rewrite"), "bc:rewrite"),
            cancel_button(services),
        ]
    )
    return Outcome(
        screens=[
            Screen(
                texts.render("broadcast.preview", name=person.preferred_name, count=len(people))
            ),
            Screen(preview.text),
            Screen(texts.render("broadcast.ready", audience=data.get("label")), choices),
        ]
    )


async def _ask_when(update: Update, services: Services, caller: Caller) -> None:
    draft = _draft(services, caller)
    if draft is None or "text" not in draft:
        await reply(update, Screen(services.texts.render("fallback.stale_here")))
        return
    assert caller.person is not None
    zone = caller.person.time_zone
    now = services.clock.now()
    local_now = now.astimezone(ZoneInfo(zone))
    options = []
    for days, hour in ((1, 9), (1, 18), (2, 9)):
        local = (local_now + timedelta(days=days)).replace(hour=hour, minute=0, second=0)
        moment = when.parse_local(f"{local:%Y-%m-%d %H:%M}", zone=zone, now=now)
        options.append(Button(local_time_label(moment, zone), f"bc:at:{int(moment.timestamp())}"))
    await ask_for_text(
        update,
        services,
        person_id=caller.person_id,
        flow=FLOW,
        step="when",
        data={**draft, "step": "when"},
        text=services.texts.render("broadcast.when", zone=zone_label(zone)),
        extra=options,
    )


def when_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], text: str
) -> Outcome:
    """A typed date and time for a scheduled broadcast."""
    assert caller.person is not None
    try:
        moment = when.parse_local(text, zone=caller.person.time_zone, now=services.clock.now())
    except TandemError as error:
        return Outcome(screens=[error_screen(services, error)])
    return Outcome(screens=[_create(session, services, caller, data, moment)])


def _send(services: Services, caller: Caller, moment: datetime | None) -> Screen:
    with services.db.transaction() as session:
        state = conversation.get_state(session, person_id=caller.person_id)
        if state is None or state.flow != FLOW or "text" not in state.data:
            return Screen(services.texts.render("broadcast.nothing_waiting"))
        return _create(session, services, caller, dict(state.data), moment)


def _create(
    session: Session,
    services: Services,
    caller: Caller,
    data: dict[str, object],
    moment: datetime | None,
) -> Screen:
    """Queue the broadcast (now or at `moment`) for everyone its audience means now."""
    texts = services.texts
    assert caller.person is not None
    if moment is not None and moment <= services.clock.now():
        moment = None
    try:
        audience = Audience.parse(str(data.get("audience", "")))
        people = broadcasts.recipients(session, viewer_id=caller.person_id, audience=audience)
        _, count = broadcasts.create_broadcast(
            session,
            text=str(data.get("text", "")),
            person_ids=people,
            clock=services.clock,
            author_id=caller.person_id,
            send_at=moment,
            audience=str(data.get("label", "")),
        )
    except TandemError as error:
        return error_screen(services, error)
    conversation.clear_state(session, person_id=caller.person_id)
    report = Button(texts.render("broadcast.buttons.report"), "bx:list")
    if moment is None:
        text = texts.render("broadcast.sent", count=count)
    else:
        text = texts.render(
            "broadcast.scheduled",
            count=count,
            when=local_time_label(moment, caller.person.time_zone),
            zone=zone_label(caller.person.time_zone),
        )
    return Screen(text, rows(report, help_button(services)))


# /broadcasts: the recent ones, with counts, corrections and withdrawals.


def _report_screen(services: Services, caller: Caller) -> list[Screen]:
    texts = services.texts
    assert caller.person is not None
    zone = caller.person.time_zone
    with services.db.transaction() as session:
        everyone = cohorts.run_by(session, person_id=caller.person_id) is None
        recent = broadcasts.recent(session, author_id=None if everyone else caller.person_id)
        reports = [broadcasts.report(session, broadcast=b) for b in recent]
        authors = {
            p.id: p.preferred_name
            for p in session.exec(
                select(Person).where(col(Person.id).in_({b.author_id for b in recent}))
            )
        }
    if not reports:
        return [Screen(texts.render("broadcasts.none"), rows(help_button(services)))]
    screens = [Screen(texts.render("broadcasts.heading", count=len(reports)))]
    now = services.clock.now()
    for found in reports:
        broadcast = found.broadcast
        buttons = []
        if broadcast.withdrawn_at is None and now - broadcast.send_at <= broadcasts.EDIT_WINDOW:
            buttons = [
                Button(texts.render("broadcasts.buttons.correct"), f"bx:e:{broadcast.id}"),
                Button(texts.render("broadcasts.buttons.withdraw"), f"bx:w:{broadcast.id}"),
            ]
        screens.append(
            Screen(
                texts.render(
                    "broadcasts.card",
                    audience=broadcast.audience,
                    author=authors.get(broadcast.author_id),
                    when=local_time_label(broadcast.send_at, zone),
                    pending=broadcast.send_at > now,
                    text=_excerpt(broadcast.text),
                    queued=found.queued,
                    sent=found.sent,
                    failed=found.failed,
                    unreachable=found.unreachable,
                    withdrawn=broadcast.withdrawn_at is not None,
                    edited=broadcast.edited_at is not None,
                ),
                rows(buttons) if buttons else (),
            )
        )
    return screens


def _excerpt(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@gate(roles=STAFF)
async def broadcasts_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/broadcasts: recent broadcasts with how many were sent, waiting, failed, unreachable."""
    for screen in _report_screen(context.services, caller):
        await reply(update, screen)


def _own(session: Session, caller: Caller, broadcast_id: int) -> Broadcast:
    """A broadcast the caller may change: their own, or any for a coordinator."""
    broadcast = session.get(Broadcast, broadcast_id)
    everyone = cohorts.run_by(session, person_id=caller.person_id) is None
    if broadcast is None or not (everyone or broadcast.author_id == caller.person_id):
        raise NotFound("broadcast.not_found")
    return broadcast


@gate(roles=STAFF)
async def broadcasts_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """bx:list | bx:e:<id> correct | bx:w:<id> withdraw? | bx:W:<id> withdraw."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services, texts = context.services, context.services.texts
    parts = query.data.split(":")
    await settle(query)
    if parts[1] == "list":
        for card in _report_screen(services, caller):
            await reply(update, card)
        return
    broadcast_id = int(parts[2])
    screen: Screen | None = None
    try:
        with services.db.transaction() as session:
            broadcast = _own(session, caller, broadcast_id)
            if parts[1] == "W":
                changed = broadcasts.withdraw(
                    session, broadcast_id=broadcast_id, clock=services.clock
                )
                screen = Screen(texts.render("broadcasts.withdrawn", count=changed))
            elif parts[1] == "w":
                screen = Screen(
                    texts.render("broadcasts.confirm_withdraw", text=_excerpt(broadcast.text)),
                    rows(
                        [
                            Button(
                                texts.render("broadcasts.buttons.withdraw_yes"),
                                f"bx:W:{broadcast_id}",
                            ),
                            Button(texts.render("broadcasts.buttons.keep"), "bx:list"),
                        ]
                    ),
                )
    except TandemError as error:
        await reply(update, error_screen(services, error))
        return
    if screen is not None:
        await reply(update, screen)
        return
    await ask_for_text(
        update,
        services,
        person_id=caller.person_id,
        flow=EDIT_FLOW,
        data={"broadcast_id": broadcast_id},
        text=texts.render("broadcasts.correct_prompt", text=broadcast.text),
    )


def correction_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], text: str
) -> Outcome:
    """The corrected words: every copy already sent is edited; unsent copies use them."""
    broadcast_id = data.get("broadcast_id")
    assert isinstance(broadcast_id, int)
    try:
        _own(session, caller, broadcast_id)
        changed = broadcasts.correct(
            session, broadcast_id=broadcast_id, text=text, clock=services.clock
        )
    except TandemError as error:
        return Outcome(screens=[error_screen(services, error)])
    conversation.clear_state(session, person_id=caller.person_id)
    return Outcome(
        screens=[
            Screen(
                services.texts.render("broadcasts.corrected", count=changed),
                rows(Button(services.texts.render("broadcast.buttons.report"), "bx:list")),
            )
        ]
    )
