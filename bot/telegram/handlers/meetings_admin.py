"""Meetings from a phone: /meetings (with who is coming, move, cancel) and /newmeeting.

Facilitators and coordinators manage their cohorts' meetings; partners see their own
upcoming meetings with "I'll be there" and "Add to calendar". Every change calls the same
domain functions as `tandem meeting`, so the timetable is planned (or re-planned) at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select
from telegram import Update

from bot.domain import cohorts, conversation, meetings, people, when
from bot.domain.errors import InvalidInput, NotFound, TandemError
from bot.models import Cohort, Meeting, MeetingStatus, Membership, Person, PersonStatus, Role
from bot.telegram.common import STAFF, Caller, ask_for_text, cancel_button, gate
from bot.telegram.handlers.onboarding import Outcome
from bot.telegram.screens import error_screen, help_button
from bot.telegram.screens.account import local_time_label, zone_label
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, edit, reply, rows, settle, stacked

NEW_FLOW = "new_meeting"
MOVE_FLOW = "move_meeting"
LENGTHS = (60, 90, 120, 180)
SHOWN = 8


def _zone(caller: Caller) -> str:
    return caller.person.time_zone if caller.person else "Europe/London"


def _upcoming(session: Session, services: Services, cohort_ids: list[int] | None) -> list[Meeting]:
    now = services.clock.now()
    query = select(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED, col(Meeting.ends_at) >= now
    )
    if cohort_ids is not None:
        query = query.where(col(Meeting.cohort_id).in_(cohort_ids))
    return list(session.exec(query.order_by(col(Meeting.starts_at)).limit(SHOWN)).all())


def _attendance(session: Session, meeting: Meeting) -> tuple[list[str], list[str], list[str]]:
    """Names of partners coming, not coming, and not yet answered."""
    answers = meetings.rsvps(session, meeting_id=meeting.id or 0)
    partners = session.exec(
        select(Person)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            Membership.cohort_id == meeting.cohort_id,
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
        )
        .order_by(col(Person.preferred_name))
    ).all()
    coming: list[str] = []
    not_coming: list[str] = []
    unknown: list[str] = []
    for person in partners:
        answer = answers.get(person.id or 0)
        name = person.preferred_name or "?"
        (coming if answer is True else not_coming if answer is False else unknown).append(name)
    return coming, not_coming, unknown


def _card(session: Session, services: Services, meeting: Meeting, zone: str, staff: bool) -> Screen:
    texts = services.texts
    library = services.library
    cohort = session.get(Cohort, meeting.cohort_id)
    papers = [
        library.briefings[p].meta.title
        for p in meetings.papers_of(meeting)
        if p in library.briefings
    ]
    coming, not_coming, unknown = _attendance(session, meeting) if staff else ([], [], [])
    text = texts.render(
        "meetings.card",
        title=meeting.title,
        cohort=cohort.name if cohort else "",
        when=local_time_label(meeting.starts_at, zone),
        ends=f"{meeting.ends_at.astimezone(meeting.starts_at.tzinfo):%H:%M}",
        zone=zone_label(zone),
        place=meeting.place,
        link=meeting.join_url,
        papers=papers,
        staff=staff,
        coming=len(coming),
        not_coming=len(not_coming),
        unknown=len(unknown),
    )
    if staff:
        buttons = rows(
            Button(texts.render("meetings.buttons.who"), f"mt:r:{meeting.id}"),
            [
                Button(texts.render("meetings.buttons.move"), f"mt:m:{meeting.id}"),
                Button(texts.render("meetings.buttons.cancel"), f"mt:c:{meeting.id}"),
            ],
        )
    else:
        buttons = rows(
            [
                Button(texts.render("outbox.buttons.attending"), f"rsvp:{meeting.id}:yes"),
                Button(texts.render("outbox.buttons.not_attending"), f"rsvp:{meeting.id}:no"),
            ],
            Button(texts.render("outbox.buttons.calendar"), f"cal:{meeting.id}"),
        )
    return Screen(text, buttons)


@gate()
async def meetings_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/meetings: upcoming meetings; for staff with who is coming, Move and Cancel."""
    await _list(update, context.services, caller)


async def _list(update: Update, services: Services, caller: Caller) -> None:
    texts = services.texts
    assert caller.person is not None
    staff = caller.person.role in STAFF
    with services.db.transaction() as session:
        if staff:
            scope = cohorts.run_by(session, person_id=caller.person_id)
        else:
            scope = [
                p.cohort.id or 0 for p in people.cohorts_of(session, person_id=caller.person_id)
            ]
        found = _upcoming(session, services, scope)
        cards = [_card(session, services, m, _zone(caller), staff) for m in found]
    add = Button(texts.render("meetings.buttons.new"), "mn:start")
    if not cards:
        empty = "meetings.none_staff" if staff else "meetings.none"
        await reply(
            update,
            Screen(texts.render(empty), rows(add, help_button(services)) if staff else ()),
        )
        return
    await reply(update, Screen(texts.render("meetings.heading", count=len(cards))))
    for card in cards:
        await reply(update, card)
    if staff:
        await reply(update, Screen(texts.render("meetings.footer"), rows(add)))


def _staff_meeting(session: Session, caller: Caller, meeting_id: int) -> Meeting:
    meeting = meetings.get_meeting(session, meeting_id=meeting_id)
    cohorts.require_runs(session, person_id=caller.person_id, cohort_id=meeting.cohort_id)
    return meeting


@gate(roles=STAFF)
async def meeting_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """mt:r:<id> who is coming | mt:m:<id> move | mt:c:<id> cancel? | mt:C:<id> cancel."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services, texts = context.services, context.services.texts
    _, action, meeting_id = query.data.split(":")
    await settle(query)
    if action == "list":
        await _list(update, services, caller)
        return
    zone = _zone(caller)
    try:
        with services.db.transaction() as session:
            meeting = _staff_meeting(session, caller, int(meeting_id))
            title = meeting.title
            if action == "r":
                coming, not_coming, unknown = _attendance(session, meeting)
                screen = Screen(
                    texts.render(
                        "meetings.who",
                        title=title,
                        coming=coming,
                        not_coming=not_coming,
                        unknown=unknown,
                    )
                )
            elif action == "c":
                screen = Screen(
                    texts.render(
                        "meetings.confirm_cancel",
                        title=title,
                        when=local_time_label(meeting.starts_at, zone),
                    ),
                    rows(
                        [
                            Button(
                                texts.render("meetings.buttons.cancel_yes"), f"mt:C:{meeting_id}"
                            ),
                            Button(texts.render("meetings.buttons.keep"), "mt:keep:0"),
                        ]
                    ),
                )
            elif action == "C":
                plan = meetings.cancel_meeting(
                    session, meeting_id=int(meeting_id), clock=services.clock
                )
                screen = Screen(
                    texts.render("meetings.cancelled", title=title, count=plan.cancelled),
                    rows(help_button(services)),
                )
            elif action == "keep":
                screen = Screen(texts.render("meetings.kept"))
            else:
                screen = None
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
        flow=MOVE_FLOW,
        data={"meeting_id": int(meeting_id)},
        text=texts.render("meetings.move_prompt", title=title, zone=zone_label(zone)),
    )


def move_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], text: str
) -> Outcome:
    """The new start, typed: the meeting keeps its length and every message moves with it."""
    meeting_id = data.get("meeting_id")
    assert isinstance(meeting_id, int)
    zone = _zone(caller)
    try:
        meeting = _staff_meeting(session, caller, meeting_id)
        start = when.parse_local(text, zone=zone, now=services.clock.now())
        length = meeting.ends_at - meeting.starts_at
        plan = meetings.move_meeting(
            session,
            meeting_id=meeting_id,
            starts_at=start,
            ends_at=start + length,
            clock=services.clock,
            timetable=services.library.timetable,
        )
    except TandemError as error:
        return Outcome(screens=[error_screen(services, error)])
    conversation.clear_state(session, person_id=caller.person_id)
    return Outcome(
        screens=[
            Screen(
                services.texts.render(
                    "meetings.moved",
                    title=plan.meeting.title,
                    when=local_time_label(start, zone),
                    count=plan.planned,
                ),
                rows(help_button(services)),
            )
        ]
    )


# /newmeeting: cohort → title → start → length → place or link → papers → check → create.


def _new_state(session: Session, services: Services, caller: Caller, data: dict[str, Any]) -> None:
    conversation.set_state(
        session,
        person_id=caller.person_id,
        flow=NEW_FLOW,
        step=str(data.get("step", "title")),
        clock=services.clock,
        data=data,
    )


def _step_screen(services: Services, caller: Caller, data: dict[str, Any]) -> Screen:
    """What to ask for at the draft's current step."""
    texts, step, zone = services.texts, data.get("step"), _zone(caller)
    cancel = cancel_button(services)
    if step == "title":
        return Screen(
            texts.render("newmeeting.title", cohort=data.get("cohort")), stacked([cancel])
        )
    if step == "when":
        return Screen(
            texts.render("newmeeting.when", title=data.get("title"), zone=zone_label(zone)),
            stacked([cancel]),
        )
    if step == "length":
        labels = {60: "1 hour", 90: "1½ hours", 120: "2 hours", 180: "3 hours"}
        return Screen(
            texts.render("newmeeting.length"),
            rows([Button(labels[m], f"mn:l:{m}") for m in LENGTHS], cancel),
        )
    if step == "place":
        return Screen(
            texts.render("newmeeting.place"),
            stacked([Button(texts.render("newmeeting.skip"), "mn:p:skip"), cancel]),
        )
    if step == "papers":
        chosen = set(data.get("papers", []))
        buttons = [
            Button(("✓ " if b.id in chosen else "") + b.meta.title, f"mn:b:{b.id}")
            for b in services.library.briefings.values()
        ]
        buttons.append(Button(texts.render("newmeeting.papers_done"), "mn:done"))
        return Screen(texts.render("newmeeting.papers"), stacked(buttons))
    start = datetime.fromtimestamp(int(data.get("start", 0)), tz=UTC)
    library = services.library
    return Screen(
        texts.render(
            "newmeeting.check",
            cohort=data.get("cohort"),
            title=data.get("title"),
            when=local_time_label(start, zone),
            minutes=data.get("minutes"),
            place=data.get("place"),
            link=data.get("link"),
            papers=[
                library.briefings[p].meta.title
                for p in data.get("papers", [])
                if p in library.briefings
            ],
        ),
        rows(Button(texts.render("newmeeting.create"), "mn:ok"), cancel),
    )


@gate(roles=STAFF)
async def newmeeting_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/newmeeting: a guided conversation that ends with a planned meeting."""
    await _begin(update, context, caller)


async def _begin(update: Update, context: TandemContext, caller: Caller) -> None:
    services = context.services
    with services.db.transaction() as session:
        mine = cohorts.cohorts_for(session, person_id=caller.person_id)
        if len(mine) == 1:
            data: dict[str, Any] = {
                "step": "title",
                "cohort_id": mine[0].id,
                "cohort": mine[0].name,
            }
            _new_state(session, services, caller, data)
            screen = _step_screen(services, caller, data)
        elif not mine:
            screen = Screen(services.texts.render("invite.no_cohorts"))
        else:
            screen = Screen(
                services.texts.render("newmeeting.cohort"),
                stacked(
                    [Button(c.name, f"mn:c:{c.id}") for c in mine[:20]] + [cancel_button(services)]
                ),
            )
    await reply(update, screen)


def _draft(session: Session, caller: Caller) -> dict[str, Any] | None:
    state = conversation.get_state(session, person_id=caller.person_id)
    if state is None or state.flow != NEW_FLOW:
        return None
    return dict(state.data)


@gate(roles=STAFF)
async def newmeeting_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """mn:start | mn:c:<cohort> | mn:l:<minutes> | mn:p:skip | mn:b:<briefing> | mn:done |
    mn:ok: the buttons of /newmeeting."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    parts = query.data.split(":", 2)
    action = parts[1]
    if action == "start":
        await settle(query)
        await _begin(update, context, caller)
        return
    refused = False
    with services.db.transaction() as session:
        data = _draft(session, caller)
        if action == "c":
            cohort = session.get(Cohort, int(parts[2]))
            allowed = {c.id for c in cohorts.cohorts_for(session, person_id=caller.person_id)}
            if cohort is None or cohort.id not in allowed:
                data, refused = None, True
            else:
                data = {"step": "title", "cohort_id": cohort.id, "cohort": cohort.name}
        if refused:
            screen: Screen | None = error_screen(services, NotFound("cohort.not_yours"))
        elif data is None:
            screen = Screen(services.texts.render("newmeeting.gone"))
        elif action == "ok":
            screen = _create(session, services, caller, data)
        else:
            _apply_button(services, data, action, parts[2] if len(parts) > 2 else "")
            _new_state(session, services, caller, data)
            screen = _step_screen(services, caller, data)
    if action == "b" and data is not None and screen is not None:
        await query.answer()
        await edit(query, screen)  # ticking papers changes the list in place
        return
    await settle(query)
    if screen is not None:
        await reply(update, screen)


def _apply_button(services: Services, data: dict[str, Any], action: str, value: str) -> None:
    if action == "l" and value.isdigit() and int(value) in LENGTHS:
        data["minutes"], data["step"] = int(value), "place"
    elif action == "p":
        data["step"] = "papers"
    elif action == "b" and value in services.library.briefings:
        papers = list(data.get("papers", []))
        data["papers"] = [p for p in papers if p != value] if value in papers else [*papers, value]
    elif action == "done":
        data["step"] = "check"


def new_meeting_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], text: str
) -> Outcome:
    """Typed answers in /newmeeting: the title, the start, the place or link."""
    draft: dict[str, Any] = dict(data)
    step = draft.get("step")
    typed = " ".join(text.split())
    try:
        if step == "title":
            if not typed or len(typed) > meetings.TITLE_MAX:
                raise InvalidInput("meeting.bad_title", limit=meetings.TITLE_MAX)
            draft["title"], draft["step"] = typed, "when"
        elif step == "when":
            start = when.parse_local(typed, zone=_zone(caller), now=services.clock.now())
            draft["start"], draft["step"] = int(start.timestamp()), "length"
        elif step == "place":
            if typed.lower().startswith(("http://", "https://")):
                if not typed.startswith("https://"):
                    raise InvalidInput("meeting.bad_link")
                draft["link"] = typed
            else:
                draft["place"] = typed[:200]
            draft["step"] = "papers"
        else:
            return Outcome(screens=[_step_screen(services, caller, draft)])
    except TandemError as error:
        return Outcome(
            screens=[error_screen(services, error), _step_screen(services, caller, draft)]
        )
    _new_state(session, services, caller, draft)
    return Outcome(screens=[_step_screen(services, caller, draft)])


def _create(session: Session, services: Services, caller: Caller, data: dict[str, Any]) -> Screen:
    texts = services.texts
    try:
        cohort = session.get(Cohort, int(data.get("cohort_id", 0)))
        if cohort is None:
            return Screen(texts.render("newmeeting.gone"))
        cohorts.require_runs(session, person_id=caller.person_id, cohort_id=cohort.id or 0)
        start = datetime.fromtimestamp(int(data["start"]), tz=UTC)
        plan = meetings.add_meeting(
            session,
            cohort=cohort,
            title=str(data["title"]),
            starts_at=start,
            ends_at=start + timedelta(minutes=int(data.get("minutes", 90))),
            clock=services.clock,
            timetable=services.library.timetable,
            place=data.get("place"),
            join_url=data.get("link"),
            papers=list(data.get("papers", [])),
        )
    except (KeyError, ValueError):
        return Screen(texts.render("newmeeting.gone"))
    except TandemError as error:
        return error_screen(services, error)
    conversation.clear_state(session, person_id=caller.person_id)
    return Screen(
        texts.render(
            "newmeeting.created",
            title=plan.meeting.title,
            when=local_time_label(plan.meeting.starts_at, _zone(caller)),
            count=plan.planned,
        ),
        rows(
            Button(texts.render("meetings.buttons.all"), "mt:list:0"),
            help_button(services),
        ),
    )
