"""Agenda items for facilitators and coordinators (issue 17): the cards /agenda shows them,
Accept (for which meeting), Join with another item, "Not this time" (a typed reason is
required: the partner reads it), and after the meeting "Record what happened"."""

from __future__ import annotations

from collections.abc import Callable

from bot.db import Session
from bot.domain import agenda, conversation
from bot.telegram import callbacks, flows
from bot.telegram.common import STAFF, Caller
from bot.telegram.flows import Reply, Tap, Turn, on_button
from bot.telegram.screens import help_button
from bot.telegram.screens.agenda import meetings_screen, merge_screen, staff_card
from bot.telegram.services import Services
from bot.telegram.ui import Screen, reply, rows, settle

REASON_FLOW = "agenda_reason"
OUTCOME_FLOW = "agenda_outcome"


def staff_list(services: Services, caller: Caller) -> Reply:
    """Live items of the cohorts the caller runs, each with its decisions."""
    with services.db.transaction() as session:
        views = agenda.for_staff(session, viewer_id=caller.person_id)
    texts = services.texts
    if not views:
        return Reply.of(Screen(texts.render("agenda_staff.none"), rows(help_button(services))))
    heading = Screen(texts.render("agenda_staff.heading", count=len(views)))
    return Reply([heading, *(staff_card(services, view) for view in views)])


def _done(services: Services, key: str, **context: object) -> Screen:
    return Screen(services.texts.render(key, **context), rows(help_button(services)))


@on_button(callbacks.AGENDA_ACCEPT, roles=STAFF)
async def accept_button(tap: Tap) -> None:
    """Accept: which meeting should it go on?"""
    services, (item_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        item, meetings = agenda.meeting_choices(
            session, viewer_id=tap.caller.person_id, item_id=item_id, clock=services.clock
        )
        zone = tap.caller.person.time_zone if tap.caller.person else "Europe/London"
        screen = meetings_screen(services, item, meetings, zone=zone)
    await tap.query.answer()
    await reply(tap.update, screen)


@on_button(callbacks.AGENDA_ACCEPT_FOR, roles=STAFF)
async def accept_for_button(tap: Tap) -> None:
    """Accept the item for this meeting; the partner is told."""
    services, (item_id, meeting_id) = tap.services, tap.values
    with services.db.transaction() as session:
        item, meeting = agenda.accept(
            session,
            viewer_id=tap.caller.person_id,
            item_id=item_id,
            meeting_id=meeting_id,
            clock=services.clock,
        )
        screen = _done(services, "agenda_staff.accepted", title=item.title, meeting=meeting.title)
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.AGENDA_MERGE, roles=STAFF)
async def merge_button(tap: Tap) -> None:
    """Join with another item: which one?"""
    services, (item_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        item, targets = agenda.merge_targets(
            session, viewer_id=tap.caller.person_id, item_id=item_id
        )
        screen = merge_screen(services, item, targets)
    await tap.query.answer()
    await reply(tap.update, screen)


@on_button(callbacks.AGENDA_MERGE_INTO, roles=STAFF)
async def merge_into_button(tap: Tap) -> None:
    """Join the item with the chosen one; the partner is told."""
    services, (item_id, into_id) = tap.services, tap.values
    with services.db.transaction() as session:
        item = agenda.merge(
            session,
            viewer_id=tap.caller.person_id,
            item_id=item_id,
            into_id=into_id,
            clock=services.clock,
        )
        into = agenda.waiting_item(session, viewer_id=tap.caller.person_id, item_id=into_id)
        screen = _done(services, "agenda_staff.merged", title=item.title, into=into.title)
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.AGENDA_DECLINE, roles=STAFF)
async def decline_button(tap: Tap) -> None:
    """Not this time: wait for the reason (required)."""
    services, (item_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        item = agenda.waiting_item(session, viewer_id=tap.caller.person_id, item_id=item_id)
        screen = _ask(session, tap, REASON_FLOW, "agenda_staff.ask_reason", item_id, item.title)
    await tap.query.answer()
    await reply(tap.update, screen)


def reason_text(turn: Turn, text: str) -> Reply:
    """The typed reason: refused if it says nothing; otherwise sent to the partner."""
    return _typed(turn, agenda.decline, "agenda_staff.declined", reason=text)


@on_button(callbacks.AGENDA_OUTCOME, roles=STAFF)
async def outcome_button(tap: Tap) -> None:
    """Record what happened: wait for it, typed."""
    services, (item_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        item, _ = agenda.outcome_item(
            session, viewer_id=tap.caller.person_id, item_id=item_id, clock=services.clock
        )
        screen = _ask(session, tap, OUTCOME_FLOW, "agenda_staff.ask_outcome", item_id, item.title)
    await tap.query.answer()
    await reply(tap.update, screen)


def outcome_text(turn: Turn, text: str) -> Reply:
    """What happened: a "You said, we did" told to the proposer and supporters."""
    return _typed(turn, agenda.record_outcome, "agenda_staff.recorded", text=text)


def _ask(session: Session, tap: Tap, flow: str, key: str, item_id: int, title: str) -> Screen:
    """Ask for words about an item, and wait for them (the next typed text is the answer)."""
    return flows.ask(
        session,
        tap.services,
        person_id=tap.caller.person_id,
        flow=flow,
        data={"item_id": item_id},
        text=tap.services.texts.render(key, title=title),
    )


def _typed(turn: Turn, decide: Callable[..., object], done: str, **typed: str) -> Reply:
    """Decide on the item being asked about with the words typed; the waiting ends."""
    item_id = turn.data.get("item_id")
    assert isinstance(item_id, int)
    decide(
        turn.session,
        viewer_id=turn.caller.person_id,
        item_id=item_id,
        clock=turn.services.clock,
        **typed,
    )
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    return Reply.of(_done(turn.services, done))


flows.register(REASON_FLOW, reason_text)
flows.register(OUTCOME_FLOW, outcome_text)
