"""Meeting buttons on reminders (RSVP, Add to calendar) and /calendar, the private feed."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.domain import calendar, meetings
from bot.domain.errors import NotFound
from bot.telegram.common import Caller, gate, plain
from bot.telegram.screens import help_button
from bot.telegram.services import TandemContext
from bot.telegram.ui import Screen, reply, rows


@gate()
async def rsvp_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """rsvp:<meeting>:yes|no: record whether the person will be there."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    _, meeting_id, answer = query.data.split(":")
    try:
        with services.db.transaction() as session:
            meeting = meetings.visible_meeting(
                session, meeting_id=int(meeting_id), person_id=caller.person_id
            )
            meetings.set_rsvp(
                session,
                meeting_id=int(meeting_id),
                person_id=caller.person_id,
                attending=answer == "yes",
                clock=services.clock,
            )
            title = meeting.title
    except NotFound:
        await query.answer(plain(services.texts.render("outbox.meeting_gone")), show_alert=True)
        return
    await query.answer(plain(services.texts.render(f"outbox.rsvp.{answer}", meeting=title)))


@gate()
async def calendar_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """cal:<meeting>: the meeting as an .ics file to add to a phone's calendar."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    try:
        with services.db.transaction() as session:
            meeting = meetings.visible_meeting(
                session, meeting_id=int(query.data.split(":")[1]), person_id=caller.person_id
            )
            data = calendar.meeting_ics(meeting, clock=services.clock)
            title = meeting.title
    except NotFound:
        await query.answer(plain(services.texts.render("outbox.meeting_gone")), show_alert=True)
        return
    await query.answer()
    await update.get_bot().send_document(
        chat_id=caller.chat_id,
        document=InputFile(data, filename="meeting.ics"),
        caption=services.texts.render("outbox.ics_caption", meeting=title),
        parse_mode="HTML",
    )


@gate()
async def calendar_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/calendar: a private link to every meeting, for a calendar app to subscribe to."""
    services = context.services
    with services.db.transaction() as session:
        token = calendar.new_feed_token(session, person_id=caller.person_id, clock=services.clock)
    url = f"{services.public_url}/calendar/{token}.ics"
    await reply(
        update, Screen(services.texts.render("outbox.feed", url=url), rows(help_button(services)))
    )
