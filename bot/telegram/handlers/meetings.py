"""Meeting buttons on reminders (RSVP, Add to calendar) and /calendar, the private feed."""

from __future__ import annotations

import html

from telegram import (
    InputFile,
    Message,
    Update,
)
from telegram.error import BadRequest

from bot.domain import calendar, meetings
from bot.domain.errors import NotFound
from bot.telegram import callbacks
from bot.telegram.common import Caller, gate, plain
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens import help_button
from bot.telegram.screens.outbox import rsvp_row, rsvp_said
from bot.telegram.services import TandemContext
from bot.telegram.ui import Screen, edit_message, reply, rows


@on_button(callbacks.RSVP)
async def rsvp_button(tap: Tap) -> None:
    """Record whether the person will be there."""
    services, (meeting_id, answer) = tap.services, tap.values
    try:
        with services.db.transaction() as session:
            meeting = meetings.visible_meeting(
                session, meeting_id=meeting_id, person_id=tap.caller.person_id
            )
            meetings.set_rsvp(
                session,
                meeting_id=meeting_id,
                person_id=tap.caller.person_id,
                attending=answer == "yes",
                clock=services.clock,
            )
            title = meeting.title
    except NotFound:  # answered in the toast, where the tap was
        gone = plain(services.texts.render("outbox.meeting_gone"))
        await tap.query.answer(gone, show_alert=True)
        return
    said = "yes" if answer == "yes" else "no"
    await tap.query.answer(plain(services.texts.render(f"outbox.rsvp.{said}", meeting=title)))
    await _show_answer(tap, meeting_id, said == "yes")


async def _show_answer(tap: Tap, meeting_id: int, said: bool) -> None:
    """The card that was tapped now says what the person answered, and its buttons offer
    the other answer (its other buttons, such as Add to calendar, stay)."""
    message = tap.query.message
    if not isinstance(message, Message) or message.text is None:
        return
    services = tap.services
    words = message.text_html
    for earlier in (True, False, None):
        # As Telegram gives the words back: entities escaped, the bold as <b>.
        line = rsvp_said(services, earlier)
        inner = html.escape(plain(line.removeprefix("<b>").removesuffix("</b>")))
        words = words.removesuffix(
            f"\n\n<b>{inner}</b>" if line.startswith("<b>") else f"\n\n{inner}"
        )
    keyboard = message.reply_markup.inline_keyboard if message.reply_markup else ()
    answer_row = [button.json() for button in rsvp_row(services, meeting_id, said)]
    others = [
        [button.to_dict() for button in row]
        for row in keyboard
        if not any(callbacks.RSVP.parse(str(b.callback_data or "")) for b in row)
    ]
    try:
        await edit_message(
            tap.update.get_bot(),
            message.chat.id,
            message.message_id,
            f"{words}\n\n{rsvp_said(services, said)}",
            {"inline_keyboard": [answer_row, *others]},
        )
    except BadRequest as exc:  # the same answer again: the card already says so
        if "not modified" not in str(exc).lower():
            raise


@on_button(callbacks.CALENDAR)
async def calendar_button(tap: Tap) -> None:
    """The meeting as an .ics file to add to a phone's calendar."""
    services, (meeting_id,) = tap.services, tap.values
    try:
        with services.db.transaction() as session:
            meeting, data = calendar.meeting_file(
                session, meeting_id=meeting_id, person_id=tap.caller.person_id, clock=services.clock
            )
            title = meeting.title
    except NotFound:  # answered in the toast, where the tap was
        gone = plain(services.texts.render("outbox.meeting_gone"))
        await tap.query.answer(gone, show_alert=True)
        return
    await tap.query.answer()
    await tap.update.get_bot().send_document(
        chat_id=tap.caller.chat_id,
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
