"""/meetings from a phone: upcoming meetings; for staff, who is coming, Move and Cancel.

Partners see their own upcoming meetings with "I'll be there" and "Add to calendar".
Every change calls the same domain functions as `tandem meeting`, so the timetable is
re-planned at once. (/newmeeting is in handlers/newmeeting.py.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import Update

from bot.db import Session
from bot.domain import conversation, meeting_lists, meeting_summary, meetings, when
from bot.domain.when import local_time_label, zone_label
from bot.models import Meeting
from bot.telegram import callbacks, flows
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, on_button
from bot.telegram.screens import help_button
from bot.telegram.screens.meeting_summary import summary_button, summary_screen
from bot.telegram.screens.outbox import rsvp_row, rsvp_said
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, rows, settle, stacked

MOVE_FLOW = "move_meeting"
SHOWN = 8


def zone_of(caller: Caller) -> str:
    """The caller's time zone (times are typed and shown in it)."""
    return caller.person.time_zone if caller.person else "Europe/London"


def _card(
    session: Session,
    services: Services,
    meeting: Meeting,
    zone: str,
    staff: bool,
    viewer_id: int | None = None,
) -> Screen:
    """One meeting: for staff with who is coming; for a partner with their own answer."""
    texts, library = services.texts, services.library
    papers = [
        library.briefings[p].meta.title
        for p in meetings.papers_of(meeting)
        if p in library.briefings
    ]
    found = meeting_lists.attendance(session, meeting=meeting) if staff else None
    mine = (
        None
        if staff or viewer_id is None
        else meetings.rsvp_of(session, meeting_id=meeting.id or 0, person_id=viewer_id)
    )
    text = texts.render(
        "meetings.card",
        title=meeting.title,
        cohort=meeting_lists.cohort_name(session, meeting=meeting),
        when=local_time_label(meeting.starts_at, zone, now=services.clock.now()),
        ends=f"{meeting.ends_at.astimezone(ZoneInfo(zone)):%H:%M}",
        zone=zone_label(zone),
        place=meeting.place,
        link=meeting.join_url,
        papers=papers,
        staff=staff,
        coming=len(found.coming) if found else 0,
        not_coming=len(found.not_coming) if found else 0,
        unknown=len(found.unknown) if found else 0,
    )
    if not staff:
        text = f"{text.rstrip()}\n\n{rsvp_said(services, mine)}"
    meeting_id = meeting.id or 0
    if staff:
        buttons = rows(
            Button(texts.render("meetings.buttons.who"), callbacks.MEETING_WHO(meeting_id)),
            [
                Button(texts.render("meetings.buttons.move"), callbacks.MEETING_MOVE(meeting_id)),
                Button(
                    texts.render("meetings.buttons.cancel"),
                    callbacks.MEETING_CANCEL_ASK(meeting_id),
                ),
            ],
            summary_button(services, meeting_id),
        )
    else:
        buttons = rows(
            rsvp_row(services, meeting_id, mine),
            Button(texts.render("outbox.buttons.calendar"), callbacks.CALENDAR(meeting_id)),
        )
    return Screen(text, buttons)


async def _list(update: Update, services: Services, caller: Caller) -> None:
    texts = services.texts
    assert caller.person is not None
    staff = caller.person.role in STAFF
    with services.db.transaction() as session:
        found = meeting_lists.upcoming(
            session, viewer_id=caller.person_id, now=services.clock.now(), limit=SHOWN
        )
        cards = [
            _card(session, services, m, zone_of(caller), staff, caller.person_id) for m in found
        ]
        last = _last_meeting(session, services, caller) if staff else None
    add = Button(texts.render("meetings.buttons.new"), callbacks.NEW_MEETING())
    if last is not None:  # the loop closes after a meeting: its summary, one tap away
        await reply(update, last)
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


def _last_meeting(session: Session, services: Services, caller: Caller) -> Screen | None:
    """For staff: the newest meeting that is over, with its Summary button."""
    now = services.clock.now()
    found = meeting_lists.recent(session, viewer_id=caller.person_id, limit=1, ended_by=now)
    if not found:
        return None
    meeting = found[0]
    text = services.texts.render(
        "meetings.last",
        title=meeting.title,
        cohort=meeting_lists.cohort_name(session, meeting=meeting),
        when=local_time_label(meeting.starts_at, zone_of(caller), now=now),
    )
    return Screen(text, rows(summary_button(services, meeting.id or 0)))


@gate()
async def meetings_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/meetings: upcoming meetings; for staff with who is coming, Move and Cancel."""
    await _list(update, context.services, caller)


@on_button(callbacks.MEETINGS, roles=STAFF)
async def list_button(tap: Tap) -> None:
    """All upcoming meetings again."""
    await settle(tap.query)
    await _list(tap.update, tap.services, tap.caller)


@on_button(callbacks.MEETING_WHO, roles=STAFF)
async def who_button(tap: Tap) -> None:
    """Who is coming to a meeting, who is not, and who has not said."""
    services, (meeting_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        meeting = meetings.managed(session, viewer_id=tap.caller.person_id, meeting_id=meeting_id)
        found = meeting_lists.attendance(session, meeting=meeting)
    text = services.texts.render(
        "meetings.who",
        title=meeting.title,
        coming=found.coming,
        not_coming=found.not_coming,
        unknown=found.unknown,
    )
    await settle(tap.query)
    await reply(tap.update, Screen(text))


@on_button(callbacks.MEETING_SUMMARY, roles=STAFF)
async def summary_button_tapped(tap: Tap) -> None:
    """A meeting's summary: items partners asked for, measures, what the board learned."""
    services, (meeting_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        summary = meeting_summary.summary_for_meeting(
            session, viewer_id=tap.caller.person_id, meeting_id=meeting_id
        )
    screen = summary_screen(services, summary, zone=zone_of(tap.caller), now=services.clock.now())
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.MEETING_CANCEL_ASK, roles=STAFF)
async def cancel_ask_button(tap: Tap) -> None:
    """Are you sure? Partners will be told."""
    services, (meeting_id,) = tap.services, tap.values
    texts = services.texts
    with services.db.transaction() as session:
        meeting = meetings.managed(session, viewer_id=tap.caller.person_id, meeting_id=meeting_id)
    screen = Screen(
        texts.render(
            "meetings.confirm_cancel",
            title=meeting.title,
            when=local_time_label(meeting.starts_at, zone_of(tap.caller), now=services.clock.now()),
        ),
        rows(
            [
                Button(
                    texts.render("meetings.buttons.cancel_yes"),
                    callbacks.MEETING_CANCEL(meeting_id),
                ),
                Button(texts.render("meetings.buttons.keep"), callbacks.MEETING_KEEP()),
            ]
        ),
    )
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.MEETING_CANCEL, roles=STAFF)
async def cancel_button(tap: Tap) -> None:
    """Cancel the meeting: its messages are cancelled and partners are told."""
    services, (meeting_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        plan = meetings.cancel_for(
            session, viewer_id=tap.caller.person_id, meeting_id=meeting_id, clock=services.clock
        )
    text = services.texts.render(
        "meetings.cancelled", title=plan.meeting.title, count=plan.cancelled
    )
    await settle(tap.query)
    await reply(tap.update, Screen(text, rows(help_button(services))))


@on_button(callbacks.MEETING_KEEP, roles=STAFF)
async def keep_button(tap: Tap) -> None:
    """Not cancelled (or moved) after all."""
    await settle(tap.query)
    with tap.services.db.transaction() as session:
        _stop_moving(session, tap.caller)
    await reply(tap.update, Screen(tap.services.texts.render("meetings.kept")))


@on_button(callbacks.MEETING_MOVE, roles=STAFF)
async def move_button(tap: Tap) -> None:
    """Ask for the new start of a meeting."""
    services, (meeting_id,) = tap.services, tap.values
    zone = zone_of(tap.caller)
    with services.db.transaction() as session:
        meeting = meetings.managed(session, viewer_id=tap.caller.person_id, meeting_id=meeting_id)
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=MOVE_FLOW,
            data={"meeting_id": meeting_id},
            text=services.texts.render(
                "meetings.move_prompt", title=meeting.title, zone=zone_label(zone)
            ),
        )
    await settle(tap.query)
    await reply(tap.update, screen)


def move_text(turn: Turn, text: str) -> Reply:
    """The new start, typed: checked, then shown beside the old one with how many people
    will be told; the meeting moves only when that is confirmed."""
    meeting_id = turn.data.get("meeting_id")
    assert isinstance(meeting_id, int)
    services, zone = turn.services, zone_of(turn.caller)
    texts = services.texts
    start = when.parse_local(text, zone=zone, now=services.clock.now())
    check = meetings.check_move(
        turn.session,
        viewer_id=turn.caller.person_id,
        meeting_id=meeting_id,
        starts_at=start,
        clock=services.clock,
    )
    conversation.set_state(
        turn.session,
        person_id=turn.caller.person_id,
        flow=MOVE_FLOW,
        step="confirm",
        clock=services.clock,
        data={"meeting_id": meeting_id},
    )
    question = texts.render(
        "meeting_move.check",
        title=check.meeting.title,
        old=local_time_label(check.meeting.starts_at, zone, now=services.clock.now()),
        new=local_time_label(check.starts_at, zone, now=services.clock.now()),
        zone=zone_label(zone),
        told=check.told,
    )
    confirm = callbacks.MEETING_MOVE_CONFIRM(meeting_id, int(check.starts_at.timestamp()))
    choices = stacked(
        [
            Button(texts.render("meeting_move.buttons.yes"), confirm),
            Button(texts.render("meeting_move.buttons.change"), callbacks.MEETING_MOVE(meeting_id)),
            Button(texts.render("meeting_move.buttons.keep"), callbacks.MEETING_KEEP()),
        ]
    )
    return Reply.of(Screen(question, choices))


@on_button(callbacks.MEETING_MOVE_CONFIRM, roles=STAFF)
async def move_confirm_button(tap: Tap) -> None:
    """Move it, as shown: the meeting keeps its length and every message moves with it."""
    services, (meeting_id, stamp) = tap.services, tap.values
    zone, start = zone_of(tap.caller), datetime.fromtimestamp(stamp, tz=UTC)
    texts = services.texts
    await settle(tap.query)
    with services.db.transaction() as session:
        meeting = meetings.managed(session, viewer_id=tap.caller.person_id, meeting_id=meeting_id)
        _stop_moving(session, tap.caller)
        if meeting.starts_at == start:  # a second tap on the same confirmation
            text = texts.render(
                "meeting_move.already",
                title=meeting.title,
                when=local_time_label(start, zone, now=services.clock.now()),
            )
        else:
            plan = meetings.move_for(
                session,
                viewer_id=tap.caller.person_id,
                meeting_id=meeting_id,
                starts_at=start,
                clock=services.clock,
                timetable=services.library.timetable,
            )
            text = texts.render(
                "meetings.moved",
                title=plan.meeting.title,
                when=local_time_label(start, zone, now=services.clock.now()),
                count=plan.planned,
            )
    await reply(tap.update, Screen(text, rows(help_button(services))))


def _stop_moving(session: Session, caller: Caller) -> None:
    """Stop waiting for a new time, if a move was being typed."""
    state = conversation.get_state(session, person_id=caller.person_id)
    if state is not None and state.flow == MOVE_FLOW:
        conversation.clear_state(session, person_id=caller.person_id)


flows.register(MOVE_FLOW, move_text)
