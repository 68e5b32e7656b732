"""/book: one-to-one briefings (issue 18). Partners book one of their cohort's free times,
get a calendar file and reminders, and move or cancel it from "My one-to-one"; hosts
(facilitators and coordinators) add times step by step, see who booked, and cancel a time
(its partner is told kindly)."""

from __future__ import annotations

from datetime import date, datetime, time

from telegram import InputFile, Update

from bot.db import Session
from bot.domain import bookings, conversation
from bot.domain.bookings import Booked
from bot.domain.errors import InvalidInput, TandemError
from bot.domain.when import local_time_label
from bot.models import Role
from bot.telegram import callbacks, flows
from bot.telegram.common import PARTNERS, STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, on_button
from bot.telegram.screens import error_screen
from bot.telegram.screens.bookings import (
    cancel_ask_screen,
    cohort_screen,
    confirm_screen,
    day_screen,
    done_screen,
    free_screen,
    host_cancel_screen,
    host_screen,
    length_screen,
    move_screen,
    partner_screen,
    time_screen,
)
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Screen, edit, reply, settle, stacked

WHERE_FLOW = "booking_where"
EVERYONE = PARTNERS | STAFF


def _zone(caller: Caller) -> str:
    assert caller.person is not None
    return caller.person.time_zone


def _list(session: Session, services: Services, caller: Caller, *, hosting: bool = False) -> Screen:
    """/book for whoever asks: a partner's booking or free times, or a host's times (a
    champion's too, when they ask for them: `hosting`)."""
    assert caller.person is not None
    now, zone = services.clock.now(), _zone(caller)
    if caller.person.role == Role.PARTNER and hosting:  # a champion's own times
        bookings.require_hosting(session, person_id=caller.person_id)
    elif caller.person.role == Role.PARTNER:
        view = bookings.partner_view(session, person_id=caller.person_id, clock=services.clock)
        return partner_screen(services, view, zone, now)
    slots = bookings.hosted(session, host_id=caller.person_id, clock=services.clock)
    return host_screen(services, slots, zone, now)


@gate(roles=EVERYONE)
async def book_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/book: partners book a one-to-one; hosts see and add their times."""
    services = context.services
    with services.db.transaction() as session:
        screen = _list(session, services, caller)
    await reply(update, screen)


async def _show_list(tap: Tap, *, hosting: bool = False) -> None:
    with tap.services.db.transaction() as session:
        screen = _list(session, tap.services, tap.caller, hosting=hosting)
    await settle(tap.query, shown="")
    await reply(tap.update, screen)


@on_button(callbacks.BOOK_LIST, roles=PARTNERS)
async def list_button(tap: Tap) -> None:
    """Back to "My one-to-one" or the free times (also on reminders and notices)."""
    await _show_list(tap)


@on_button(callbacks.HOST_LIST, roles=EVERYONE)
async def host_list_button(tap: Tap) -> None:
    """Back to the host's times (also on their notices); a champion's, from their /book."""
    await _show_list(tap, hosting=True)


@on_button(callbacks.BOOK_PICK, roles=PARTNERS)
async def pick_button(tap: Tap) -> None:
    """A free time tapped: book it (or move there)? Asked first."""
    services, (slot_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        offer = bookings.offered(
            session, person_id=tap.caller.person_id, slot_id=slot_id, clock=services.clock
        )
    await tap.query.answer()
    await edit(tap.query, confirm_screen(services, offer, _zone(tap.caller), services.clock.now()))


async def _send_file(tap: Tap, booked: Booked, key: str) -> None:
    """The result in words, then the booking as an .ics file to add to a calendar."""
    services, zone, now = tap.services, _zone(tap.caller), tap.services.clock.now()
    assert booked.booking is not None and booked.slot is not None
    await edit(tap.query, done_screen(services, key, booked.slot, zone, now))
    title = services.texts.render("bookings.ics_title", host=booked.slot.host)
    data = bookings.ics_of(booked.booking, booked.slot.slot, clock=services.clock, title=title)
    await tap.update.get_bot().send_document(
        chat_id=tap.caller.chat_id,
        document=InputFile(data, filename="one-to-one.ics"),
        caption=services.texts.render(
            "bookings.ics_caption", host=booked.slot.host, cancelled=key == "bookings.cancelled"
        ),
        parse_mode="HTML",
    )


async def _booked_or_taken(tap: Tap, booked: Booked, key: str) -> None:
    services = tap.services
    await tap.query.answer()
    if booked.taken:  # someone else's tap won the race a moment before
        screen = free_screen(
            services, booked.free, _zone(tap.caller), services.clock.now(), key="bookings.taken"
        )
        await edit(tap.query, screen)
        return
    await _send_file(tap, booked, key)


@on_button(callbacks.BOOK_CONFIRM, roles=PARTNERS)
async def confirm_button(tap: Tap) -> None:
    """Book it: confirmed with a calendar file; the host is told, reminders are queued."""
    services, (slot_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        booked = bookings.book(
            session, person_id=tap.caller.person_id, slot_id=slot_id, clock=services.clock
        )
    await _booked_or_taken(tap, booked, "bookings.booked")


@on_button(callbacks.BOOK_MOVE, roles=PARTNERS)
async def move_button(tap: Tap) -> None:
    """Move my one-to-one: which free time instead?"""
    services, (booking_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        held, free = bookings.move_choices(
            session, person_id=tap.caller.person_id, booking_id=booking_id, clock=services.clock
        )
    await tap.query.answer()
    await edit(
        tap.query, move_screen(services, held, free, _zone(tap.caller), services.clock.now())
    )


@on_button(callbacks.BOOK_MOVE_TO, roles=PARTNERS)
async def move_to_button(tap: Tap) -> None:
    """Move it there: a new calendar file; old reminders go, new ones come; host told."""
    services, (booking_id, slot_id) = tap.services, tap.values
    with services.db.transaction() as session:
        booked = bookings.move(
            session,
            person_id=tap.caller.person_id,
            booking_id=booking_id,
            slot_id=slot_id,
            clock=services.clock,
        )
    await _booked_or_taken(tap, booked, "bookings.moved")


@on_button(callbacks.BOOK_CANCEL_ASK, roles=PARTNERS)
async def cancel_ask_button(tap: Tap) -> None:
    """Cancel my one-to-one? Asked first."""
    services, (booking_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        held = bookings.looked_at(
            session, person_id=tap.caller.person_id, booking_id=booking_id, clock=services.clock
        )
    await tap.query.answer()
    await edit(
        tap.query, cancel_ask_screen(services, held, _zone(tap.caller), services.clock.now())
    )


@on_button(callbacks.BOOK_CANCEL, roles=PARTNERS)
async def cancel_button(tap: Tap) -> None:
    """Cancel it: the time is free again, the host is told; a calendar file removes it."""
    services, (booking_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        booked = bookings.cancel(
            session, person_id=tap.caller.person_id, booking_id=booking_id, clock=services.clock
        )
    await tap.query.answer()
    await _send_file(tap, booked, "bookings.cancelled")


@on_button(callbacks.BOOK_FILE, roles=PARTNERS)
async def file_button(tap: Tap) -> None:
    """My one-to-one as an .ics file, to add to a phone's calendar."""
    services, (booking_id,) = tap.services, tap.values
    title = services.texts.render("bookings.ics_title", host="")
    with services.db.transaction() as session:
        data = bookings.booking_file(
            session,
            person_id=tap.caller.person_id,
            booking_id=booking_id,
            clock=services.clock,
            title=title,
        )
    await tap.query.answer()
    await tap.update.get_bot().send_document(
        chat_id=tap.caller.chat_id,
        document=InputFile(data, filename="one-to-one.ics"),
        caption=services.texts.render("bookings.ics_caption", host="", cancelled=False),
        parse_mode="HTML",
    )


# Hosts: add a time step by step (group, day, time, length, then the place is typed)


@on_button(callbacks.HOST_NEW, roles=EVERYONE)
async def host_new_button(tap: Tap) -> None:
    """Add a time: for which group (when the host has several), then which day."""
    services, (cohort_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        cohorts = bookings.hostable_cohorts(session, person_id=tap.caller.person_id)
        if cohort_id == 0 and len(cohorts) > 1:
            screen = cohort_screen(services, cohorts)
        else:
            chosen = cohort_id or (cohorts[0].id or 0 if cohorts else 0)
            found = bookings.step(
                session, host_id=tap.caller.person_id, cohort_id=chosen, clock=services.clock
            )
            screen = day_screen(services, chosen, found.days, found.zone)
    await tap.query.answer()
    await edit(tap.query, screen)


@on_button(callbacks.HOST_DAY, roles=EVERYONE)
async def host_day_button(tap: Tap) -> None:
    """A day chosen: what time?"""
    services, (cohort_id, day) = tap.services, tap.values
    with services.db.transaction() as session:
        found = bookings.step(
            session,
            host_id=tap.caller.person_id,
            cohort_id=cohort_id,
            day=day,
            clock=services.clock,
        )
    assert found.day is not None
    await tap.query.answer()
    await edit(tap.query, time_screen(services, cohort_id, found.day))


@on_button(callbacks.HOST_TIME, roles=EVERYONE)
async def host_time_button(tap: Tap) -> None:
    """A time chosen: how long?"""
    services, (cohort_id, day, minute) = tap.services, tap.values
    with services.db.transaction() as session:
        found = bookings.step(
            session,
            host_id=tap.caller.person_id,
            cohort_id=cohort_id,
            day=day,
            minute=minute,
            clock=services.clock,
        )
    assert found.day is not None
    await tap.query.answer()
    await edit(tap.query, length_screen(services, cohort_id, found.day, minute))


@on_button(callbacks.HOST_LENGTH, roles=EVERYONE)
async def host_length_button(tap: Tap) -> None:
    """A length chosen: where? (typed: a place or a video link)."""
    services, (cohort_id, day, minute, length) = tap.services, tap.values
    with services.db.transaction() as session:
        bookings.step(
            session,
            host_id=tap.caller.person_id,
            cohort_id=cohort_id,
            day=day,
            minute=minute,
            clock=services.clock,
        )
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=WHERE_FLOW,
            data={"cohort": cohort_id, "day": day, "minute": minute, "length": length},
            text=services.texts.render("bookings.host_where"),
        )
    await settle(tap.query)
    await reply(tap.update, screen)


def where_text(turn: Turn, text: str) -> Reply:
    """The place or link, typed: the time is published for the group's partners."""
    services, data = turn.services, turn.data
    try:
        slot = bookings.publish(
            turn.session,
            host_id=turn.caller.person_id,
            cohort_id=int(data["cohort"]),
            day=date.fromordinal(int(data["day"])),
            at=time(int(data["minute"]) // 60, int(data["minute"]) % 60),
            minutes=int(data["length"]),
            where=text,
            clock=services.clock,
        )
    except TandemError as error:
        if isinstance(error, InvalidInput) and error.key != "bookings.too_soon":
            # A bad link or no place: say why, and wait for it to be typed again.
            again = error_screen(services, error).text
            return Reply.of(Screen(again, stacked([flows.cancel_button(services)])))
        # Too soon by now, or it overlaps another time: stop waiting, say why.
        conversation.clear_state(turn.session, person_id=turn.caller.person_id)
        return Reply.of(error_screen(services, error))
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    listing = _list(turn.session, services, turn.caller, hosting=True)
    when = services.texts.render(
        "bookings.host_published",
        when=_when(slot.starts_at, turn.caller, services),
        minutes=int(data["length"]),
    )
    return Reply.of(listing.with_text_before(when))


def _when(moment: datetime, caller: Caller, services: Services) -> str:
    return local_time_label(moment, _zone(caller), now=services.clock.now())


@on_button(callbacks.HOST_CANCEL_ASK, roles=EVERYONE)
async def host_cancel_ask_button(tap: Tap) -> None:
    """Cancel this time? Says who booked it."""
    services, (slot_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        view = bookings.managed(session, viewer_id=tap.caller.person_id, slot_id=slot_id)
    await tap.query.answer()
    await edit(
        tap.query, host_cancel_screen(services, view, _zone(tap.caller), services.clock.now())
    )


@on_button(callbacks.HOST_CANCEL, roles=EVERYONE)
async def host_cancel_button(tap: Tap) -> None:
    """Cancel the time: its partner (if any) is told kindly, with a button to book another."""
    services, (slot_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        done = bookings.cancel_slot(
            session, viewer_id=tap.caller.person_id, slot_id=slot_id, clock=services.clock
        )
        screen = _list(session, services, tap.caller, hosting=True)
    said = services.texts.render("bookings.host_cancelled", told=done.partner_told)
    await tap.query.answer()
    await edit(tap.query, screen.with_text_before(said))


flows.register(WHERE_FLOW, where_text)
