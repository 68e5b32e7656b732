"""/newmeeting: a guided conversation that ends with a planned meeting.

cohort → title → start → length → place or link → papers → check → create. The draft is
kept in the conversation state, so a restart carries on at the same step.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import Update

from bot.db import Session
from bot.domain import cohorts, conversation, meetings, when
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.when import local_time_label, zone_label
from bot.telegram import callbacks, flows
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, cancel_button, on_button
from bot.telegram.handlers.meetings_admin import zone_of
from bot.telegram.screens import error_screen, help_button
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, edit, reply, rows, settle, stacked

NEW_FLOW = "new_meeting"
LENGTHS = {60: "1 hour", 90: "1½ hours", 120: "2 hours", 180: "3 hours"}


def _save(session: Session, services: Services, caller: Caller, data: dict[str, Any]) -> None:
    conversation.set_state(
        session,
        person_id=caller.person_id,
        flow=NEW_FLOW,
        step=str(data.get("step", "title")),
        clock=services.clock,
        data=data,
    )


def _papers_screen(services: Services, data: dict[str, Any]) -> Screen:
    chosen = set(data.get("papers", []))
    buttons = [
        Button(("✓ " if b.id in chosen else "") + b.meta.title, callbacks.NEW_MEETING_PAPER(b.id))
        for b in services.library.briefings.values()
    ]
    buttons.append(
        Button(services.texts.render("newmeeting.papers_done"), callbacks.NEW_MEETING_PAPERS_DONE())
    )
    return Screen(services.texts.render("newmeeting.papers"), stacked(buttons))


def _check_screen(services: Services, caller: Caller, data: dict[str, Any]) -> Screen:
    texts, library = services.texts, services.library
    start = datetime.fromtimestamp(int(data.get("start", 0)), tz=UTC)
    text = texts.render(
        "newmeeting.check",
        cohort=data.get("cohort"),
        title=data.get("title"),
        when=local_time_label(start, zone_of(caller), now=services.clock.now()),
        minutes=data.get("minutes"),
        place=data.get("place"),
        link=data.get("link"),
        papers=[
            library.briefings[p].meta.title
            for p in data.get("papers", [])
            if p in library.briefings
        ],
    )
    create = Button(texts.render("newmeeting.create"), callbacks.NEW_MEETING_CREATE())
    return Screen(text, rows(create, cancel_button(services)))


def _step_screen(services: Services, caller: Caller, data: dict[str, Any]) -> Screen:
    """What to ask for at the draft's current step."""
    texts, step = services.texts, data.get("step")
    cancel = cancel_button(services)
    if step == "title":
        return Screen(
            texts.render("newmeeting.title", cohort=data.get("cohort")), stacked([cancel])
        )
    if step == "when":
        zone = zone_label(zone_of(caller))
        text = texts.render("newmeeting.when", title=data.get("title"), zone=zone)
        return Screen(text, stacked([cancel]))
    if step == "length":
        lengths = [Button(label, callbacks.NEW_MEETING_LENGTH(m)) for m, label in LENGTHS.items()]
        return Screen(texts.render("newmeeting.length"), rows(lengths, cancel))
    if step == "place":
        skip = Button(texts.render("newmeeting.skip"), callbacks.NEW_MEETING_NO_PLACE())
        return Screen(texts.render("newmeeting.place"), stacked([skip, cancel]))
    if step == "papers":
        return _papers_screen(services, data)
    return _check_screen(services, caller, data)


def _begin(session: Session, services: Services, caller: Caller) -> Screen:
    mine = cohorts.cohorts_for(session, person_id=caller.person_id)
    if not mine:
        return Screen(services.texts.render("invite.no_cohorts"))
    if len(mine) > 1:
        choices = [Button(c.name, callbacks.NEW_MEETING_COHORT(c.id or 0)) for c in mine[:20]]
        return Screen(
            services.texts.render("newmeeting.cohort"),
            stacked([*choices, cancel_button(services)]),
        )
    data: dict[str, Any] = {"step": "title", "cohort_id": mine[0].id, "cohort": mine[0].name}
    _save(session, services, caller, data)
    return _step_screen(services, caller, data)


@gate(roles=STAFF)
async def newmeeting_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/newmeeting: a guided conversation that ends with a planned meeting."""
    services = context.services
    with services.db.transaction() as session:
        screen = _begin(session, services, caller)
    await reply(update, screen)


@on_button(callbacks.NEW_MEETING, roles=STAFF)
async def start_button(tap: Tap) -> None:
    """ "Add a meeting" under /meetings."""
    with tap.services.db.transaction() as session:
        screen = _begin(session, tap.services, tap.caller)
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.NEW_MEETING_COHORT, roles=STAFF)
async def cohort_button(tap: Tap) -> None:
    """The cohort the meeting is for (only one the facilitator runs)."""
    services, (cohort_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        cohort = next(
            (
                c
                for c in cohorts.cohorts_for(session, person_id=tap.caller.person_id)
                if c.id == cohort_id
            ),
            None,
        )
        if cohort is None:
            screen = error_screen(services, NotFound("cohort.not_yours"))
        else:
            data: dict[str, Any] = {"step": "title", "cohort_id": cohort.id, "cohort": cohort.name}
            _save(session, services, tap.caller, data)
            screen = _step_screen(services, tap.caller, data)
    await settle(tap.query)
    await reply(tap.update, screen)


def _draft(session: Session, caller: Caller) -> dict[str, Any] | None:
    state = conversation.get_state(session, person_id=caller.person_id)
    if state is None or state.flow != NEW_FLOW:
        return None
    return dict(state.data)


async def _step(tap: Tap, change: dict[str, Any], *, in_place: bool = False) -> None:
    """Apply a button's change to the draft and show the next step (a stale draft is gone)."""
    services = tap.services
    with services.db.transaction() as session:
        data = _draft(session, tap.caller)
        if data is not None:
            data.update(change)
            _save(session, services, tap.caller, data)
    if data is None:
        await settle(tap.query)
        await reply(tap.update, Screen(services.texts.render("newmeeting.gone")))
        return
    screen = _step_screen(services, tap.caller, data)
    if in_place:  # ticking papers changes the list in place
        await tap.query.answer()
        await edit(tap.query, screen)
        return
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.NEW_MEETING_LENGTH, roles=STAFF)
async def length_button(tap: Tap) -> None:
    """How long the meeting is."""
    (minutes,) = tap.values
    change = {"minutes": minutes, "step": "place"} if minutes in LENGTHS else {}
    await _step(tap, change)


@on_button(callbacks.NEW_MEETING_NO_PLACE, roles=STAFF)
async def no_place_button(tap: Tap) -> None:
    """No room or link yet."""
    await _step(tap, {"step": "papers"})


@on_button(callbacks.NEW_MEETING_PAPER, roles=STAFF)
async def paper_button(tap: Tap) -> None:
    """Tick (or untick) a briefing as one of the meeting's papers."""
    (paper,) = tap.values
    with tap.services.db.transaction() as session:
        draft = _draft(session, tap.caller) or {}
    papers = list(draft.get("papers", []))
    if paper in tap.services.library.briefings:
        papers = [p for p in papers if p != paper] if paper in papers else [*papers, paper]
    await _step(tap, {"papers": papers}, in_place=True)


@on_button(callbacks.NEW_MEETING_PAPERS_DONE, roles=STAFF)
async def papers_done_button(tap: Tap) -> None:
    """The papers are chosen: check everything before creating."""
    await _step(tap, {"step": "check"})


@on_button(callbacks.NEW_MEETING_CREATE, roles=STAFF)
async def create_button(tap: Tap) -> None:
    """Create the meeting and plan its timetable."""
    services, caller = tap.services, tap.caller
    texts = services.texts
    await settle(tap.query)
    with services.db.transaction() as session:
        data = _draft(session, caller)
        if data is None or "start" not in data or "title" not in data:
            plan = None
        else:
            plan = _create(session, services, caller, data)
    if plan is None:
        await reply(tap.update, Screen(texts.render("newmeeting.gone")))
        return
    text = texts.render(
        "newmeeting.created",
        title=plan.meeting.title,
        when=local_time_label(plan.meeting.starts_at, zone_of(caller), now=services.clock.now()),
        count=plan.planned,
    )
    every = Button(texts.render("meetings.buttons.all"), callbacks.MEETINGS())
    await reply(tap.update, Screen(text, rows(every, help_button(services))))


def _create(
    session: Session, services: Services, caller: Caller, data: dict[str, Any]
) -> meetings.MeetingPlan:
    plan = meetings.add_for(
        session,
        viewer_id=caller.person_id,
        cohort_id=int(data.get("cohort_id", 0)),
        title=str(data["title"]),
        starts_at=datetime.fromtimestamp(int(data["start"]), tz=UTC),
        minutes=int(data.get("minutes", 90)),
        clock=services.clock,
        timetable=services.library.timetable,
        place=data.get("place"),
        join_url=data.get("link"),
        papers=list(data.get("papers", [])),
    )
    conversation.clear_state(session, person_id=caller.person_id)
    return plan


def new_meeting_text(turn: Turn, text: str) -> Reply:
    """Typed answers in /newmeeting: the title, the start, the place or link."""
    draft: dict[str, Any] = dict(turn.data)
    step, services = draft.get("step"), turn.services
    try:
        if step == "title":
            draft["title"], draft["step"] = meetings.check_title(text), "when"
        elif step == "when":
            zone = zone_of(turn.caller)
            start = when.parse_local(text, zone=zone, now=services.clock.now())
            draft["start"], draft["step"] = int(start.timestamp()), "length"
        elif step == "place":
            place, link = meetings.place_or_link(text)
            draft.update({"place": place, "link": link, "step": "papers"})
    except InvalidInput as error:
        # An answer to put right: why, and the same question again.
        return Reply.of(error_screen(services, error), _step_screen(services, turn.caller, draft))
    _save(turn.session, services, turn.caller, draft)
    return Reply.of(_step_screen(services, turn.caller, draft))


flows.register(NEW_FLOW, new_meeting_text)
