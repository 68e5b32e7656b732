"""/attendance (issue 18): after a meeting, its facilitator confirms who came, pre-filled
from what partners said (RSVPs), by tapping names; and writes an endorsement for a partner
of their group, which the partner approves before it goes on their record."""

from __future__ import annotations

from telegram import Update

from bot.domain import attendance_lists, conversation, record
from bot.domain.errors import InvalidInput
from bot.telegram import callbacks, flows
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, on_button
from bot.telegram.screens import error_screen
from bot.telegram.screens.attendance import (
    endorse_list_screen,
    list_screen,
    saved_screen,
    sheet_screen,
)
from bot.telegram.services import TandemContext
from bot.telegram.ui import Screen, edit, reply, stacked

ENDORSE_FLOW = "record_endorse"


def _zone(caller: Caller) -> str:
    assert caller.person is not None
    return caller.person.time_zone


@gate(roles=STAFF)
async def attendance_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/attendance: meetings to confirm (and recent confirmed ones), a button each."""
    services = context.services
    with services.db.transaction() as session:
        sheets = attendance_lists.recent_sheets(
            session, person_id=caller.person_id, clock=services.clock
        )
    await reply(update, list_screen(services, sheets, _zone(caller)))


@on_button(callbacks.ATTENDANCE, roles=STAFF)
async def list_button(tap: Tap) -> None:
    """Back to the list of meetings, in place."""
    services = tap.services
    with services.db.transaction() as session:
        sheets = attendance_lists.recent_sheets(
            session, person_id=tap.caller.person_id, clock=services.clock
        )
    await tap.query.answer()
    await edit(tap.query, list_screen(services, sheets, _zone(tap.caller)))


@on_button(callbacks.ATTENDANCE_SHEET, roles=STAFF)
async def sheet_button(tap: Tap) -> None:
    """A meeting's sheet, pre-filled from RSVPs until confirmed."""
    services, (meeting_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        found = attendance_lists.sheet_for(
            session, meeting_id=meeting_id, person_id=tap.caller.person_id, clock=services.clock
        )
    await tap.query.answer()
    await edit(tap.query, sheet_screen(services, found.sheet, found.cohort, _zone(tap.caller)))


@on_button(callbacks.ATTENDANCE_TICK, roles=STAFF)
async def tick_button(tap: Tap) -> None:
    """Tick or untick one partner: saved at once, and the sheet shown again in place."""
    services, (meeting_id, partner_id) = tap.services, tap.values
    with services.db.transaction() as session:
        found = attendance_lists.toggle_attended(
            session,
            meeting_id=meeting_id,
            person_id=tap.caller.person_id,
            partner_id=partner_id,
            clock=services.clock,
        )
    line = next(ln for ln in found.sheet.lines if ln.person_id == partner_id)
    toast = services.texts.render("attendance_staff.ticked", name=line.name, there=line.attended)
    await tap.query.answer(text=toast)
    await edit(tap.query, sheet_screen(services, found.sheet, found.cohort, _zone(tap.caller)))


@on_button(callbacks.ATTENDANCE_CONFIRM, roles=STAFF)
async def confirm_button(tap: Tap) -> None:
    """Confirm the sheet as it stands: saved, and said back in place."""
    services, (meeting_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        found = attendance_lists.confirm_as_shown(
            session, meeting_id=meeting_id, person_id=tap.caller.person_id, clock=services.clock
        )
    await tap.query.answer()
    await edit(tap.query, saved_screen(services, found.sheet, found.cohort))


@on_button(callbacks.ENDORSE_LIST, roles=STAFF)
async def endorse_list_button(tap: Tap) -> None:
    """The partners of the viewer's groups, to endorse one."""
    services = tap.services
    with services.db.transaction() as session:
        groups = record.endorsable(session, viewer_id=tap.caller.person_id)
    await tap.query.answer()
    await edit(tap.query, endorse_list_screen(services, groups))


@on_button(callbacks.ENDORSE, roles=STAFF)
async def endorse_button(tap: Tap) -> None:
    """Write an endorsement for one partner: wait for it, typed."""
    services, (partner_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        partner, _ = record.endorsable_partner(
            session, viewer_id=tap.caller.person_id, partner_id=partner_id
        )
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=ENDORSE_FLOW,
            data={"partner_id": partner_id, "name": partner.preferred_name or ""},
            text=services.texts.render(
                "attendance_staff.ask_endorsement", name=partner.preferred_name or ""
            ),
        )
    await tap.query.answer()
    await reply(tap.update, screen)


def endorse_text(turn: Turn, text: str) -> Reply:
    """The endorsement, typed: kept, and the partner asked whether to add it."""
    partner_id = turn.data.get("partner_id")
    assert isinstance(partner_id, int)
    services = turn.services
    try:
        record.write_endorsement(
            turn.session,
            viewer_id=turn.caller.person_id,
            partner_id=partner_id,
            text=text,
            clock=services.clock,
        )
    except InvalidInput as error:  # too short or too long: say why, and wait again
        again = error_screen(services, error).text
        return Reply.of(Screen(again, stacked([flows.cancel_button(services)])))
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    said = services.texts.render(
        "attendance_staff.endorsement_sent", name=str(turn.data.get("name", ""))
    )
    return Reply.of(Screen(said))


flows.register(ENDORSE_FLOW, endorse_text)
