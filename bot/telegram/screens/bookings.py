"""Screens for /book: one-to-one briefings for partners (free times, their booking) and for
hosts (their times, adding one step by step, cancelling one). Times are shown in the
reader's own time zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.domain.bookings import HOURS, LENGTHS, BriefingOffer, Offer, PartnerView, SlotView
from bot.domain.when import day_label, local_time_label
from bot.models import Cohort
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows, stacked

PER_ROW = 3
SHOWN = 10  # a host's times with a Cancel button (the rest: the dashboard)


def _about(view: SlotView, zone: str, now: datetime) -> dict[str, Any]:
    """What a message says about a slot, in the reader's zone."""
    slot = view.slot
    return {
        "when": local_time_label(slot.starts_at, zone, now=now),
        "minutes": view.minutes,
        "host": view.host,
        "where": slot.place or slot.join_url or "",
        "online": slot.join_url is not None,
        "partner": view.partner,
    }


def _slot_buttons(
    services: Services, free: list[SlotView], zone: str, now: datetime
) -> list[Button]:
    """One button per free time: book it (or move there), asked first."""
    texts = services.texts
    return [
        Button(
            texts.render("bookings.buttons.slot", **_about(view, zone, now)),
            callbacks.BOOK_PICK(view.id),
        )
        for view in free
    ]


def card_screen(services: Services, held: SlotView, zone: str, now: datetime) -> Screen:
    """The partner's "My one-to-one" card: when, with whom, where; calendar, move, cancel."""
    texts = services.texts
    booking_id = held.booking.id or 0 if held.booking else 0
    return Screen(
        texts.render("bookings.card", **_about(held, zone, now)),
        stacked(
            [
                Button(texts.render("bookings.buttons.calendar"), callbacks.BOOK_FILE(booking_id)),
                Button(texts.render("bookings.buttons.move"), callbacks.BOOK_MOVE(booking_id)),
                Button(
                    texts.render("bookings.buttons.cancel"), callbacks.BOOK_CANCEL_ASK(booking_id)
                ),
                help_button(services),
            ]
        ),
    )


def partner_screen(services: Services, view: PartnerView, zone: str, now: datetime) -> Screen:
    """A partner's /book: their booking's card, or the free times to choose from."""
    screen = (
        card_screen(services, view.held, zone, now)
        if view.held is not None
        else free_screen(services, view.free, zone, now, key="bookings.partner")
    )
    if not view.hosts:
        return screen
    # A champion also hosts: their own times are a tap away.
    hosting = Button(services.texts.render("bookings.buttons.hosting"), callbacks.HOST_LIST())
    return Screen(screen.text, ((hosting,), *screen.rows))


def free_screen(
    services: Services, free: list[SlotView], zone: str, now: datetime, *, key: str
) -> Screen:
    """The free times as buttons, under the words of `key` (told whether there are any)."""
    buttons = _slot_buttons(services, free, zone, now)
    return Screen(
        services.texts.render(key, slots=bool(free)), stacked([*buttons, help_button(services)])
    )


def move_screen(
    services: Services, held: SlotView, free: list[SlotView], zone: str, now: datetime
) -> Screen:
    """Which time instead? The free times, each asked first."""
    buttons = _slot_buttons(services, free, zone, now)
    back = Button(services.texts.render("bookings.buttons.back"), callbacks.BOOK_LIST())
    return Screen(
        services.texts.render("bookings.move_pick", slots=bool(free), **_about(held, zone, now)),
        stacked([*buttons, back]),
    )


def confirm_screen(services: Services, offer: Offer, zone: str, now: datetime) -> Screen:
    """Book this time? (or move there, when the partner has a booking)."""
    texts = services.texts
    about = _about(offer.slot, zone, now)
    back = Button(texts.render("bookings.buttons.back"), callbacks.BOOK_LIST())
    if offer.moving is not None:
        yes = Button(
            texts.render("bookings.buttons.move_yes"),
            callbacks.BOOK_MOVE_TO(offer.moving.id or 0, offer.slot.id),
        )
        return Screen(texts.render("bookings.confirm_move", **about), stacked([yes, back]))
    yes = Button(texts.render("bookings.buttons.book_yes"), callbacks.BOOK_CONFIRM(offer.slot.id))
    return Screen(texts.render("bookings.confirm", **about), stacked([yes, back]))


def done_screen(services: Services, key: str, view: SlotView, zone: str, now: datetime) -> Screen:
    """Booked, moved or cancelled: said plainly, with the way back to /book."""
    texts = services.texts
    label = "book_another" if key == "bookings.cancelled" else "my_booking"
    return Screen(
        texts.render(key, **_about(view, zone, now)),
        rows(Button(texts.render(f"bookings.buttons.{label}"), callbacks.BOOK_LIST())),
    )


def cancel_ask_screen(services: Services, held: SlotView, zone: str, now: datetime) -> Screen:
    """Cancel this one-to-one? Yes, or keep it."""
    texts = services.texts
    booking_id = held.booking.id or 0 if held.booking else 0
    return Screen(
        texts.render("bookings.cancel_ask", **_about(held, zone, now)),
        stacked(
            [
                Button(
                    texts.render("bookings.buttons.cancel_yes"), callbacks.BOOK_CANCEL(booking_id)
                ),
                Button(texts.render("bookings.buttons.keep"), callbacks.BOOK_LIST()),
            ]
        ),
    )


def offer_screen(services: Services, offer: BriefingOffer, zone: str, now: datetime) -> Screen:
    """After a check-in that asked for a one-to-one: the next free times, their booking, or
    that the facilitator has been told."""
    texts = services.texts
    if offer.held is not None:
        return Screen(
            texts.render("bookings.checkin_held", **_about(offer.held, zone, now)),
            rows(Button(texts.render("bookings.buttons.my_booking"), callbacks.BOOK_LIST())),
        )
    if offer.free:
        return free_screen(services, offer.free, zone, now, key="bookings.checkin_offer")
    return Screen(texts.render("bookings.checkin_none"), rows(help_button(services)))


# Hosts


def host_screen(services: Services, slots: list[SlotView], zone: str, now: datetime) -> Screen:
    """A host's /book: their times to come, who booked each; add a time, cancel one."""
    texts = services.texts
    shown = [_about(view, zone, now) for view in slots]
    cancels = [
        Button(
            texts.render("bookings.buttons.host_cancel", **about),
            callbacks.HOST_CANCEL_ASK(view.id),
        )
        for view, about in zip(slots[:SHOWN], shown[:SHOWN], strict=True)
    ]
    add = Button(texts.render("bookings.buttons.add_slot"), callbacks.HOST_NEW(0))
    return Screen(
        texts.render("bookings.host", slots=shown), stacked([add, *cancels, help_button(services)])
    )


def cohort_screen(services: Services, cohorts: list[Cohort]) -> Screen:
    """Which group is the new time for?"""
    return Screen(
        services.texts.render("bookings.host_cohort"),
        stacked(Button(c.name, callbacks.HOST_NEW(c.id or 0)) for c in cohorts),
    )


def _in_rows(buttons: list[Button]) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + PER_ROW]) for i in range(0, len(buttons), PER_ROW))


def _day(day: date) -> str:
    """ "Tue 8 Dec", as the day buttons and questions say it."""
    return day_label(day, "EEE d MMM")


def day_screen(services: Services, cohort_id: int, days: list[date], zone: str) -> Screen:
    """Which day? The next two weeks, as buttons."""
    buttons = [Button(_day(d), callbacks.HOST_DAY(cohort_id, d.toordinal())) for d in days]
    return Screen(
        services.texts.render("bookings.host_day", zone=zone),
        (
            *_in_rows(buttons),
            (Button(services.texts.render("buttons.cancel"), callbacks.HOST_LIST()),),
        ),
    )


def time_screen(services: Services, cohort_id: int, day: date) -> Screen:
    """What time? On the hour, through the working day."""
    buttons = [
        Button(f"{hour:02d}:00", callbacks.HOST_TIME(cohort_id, day.toordinal(), hour * 60))
        for hour in HOURS
    ]
    return Screen(
        services.texts.render("bookings.host_time", day=_day(day)),
        (
            *_in_rows(buttons),
            (Button(services.texts.render("buttons.cancel"), callbacks.HOST_LIST()),),
        ),
    )


def length_screen(services: Services, cohort_id: int, day: date, minute: int) -> Screen:
    """How long?"""
    texts = services.texts
    buttons = [
        Button(
            texts.render("bookings.buttons.length", minutes=length),
            callbacks.HOST_LENGTH(cohort_id, day.toordinal(), minute, length),
        )
        for length in LENGTHS
    ]
    at = f"{minute // 60:02d}:{minute % 60:02d}"
    return Screen(
        texts.render("bookings.host_length", day=_day(day), at=at),
        (tuple(buttons), (Button(texts.render("buttons.cancel"), callbacks.HOST_LIST()),)),
    )


def host_cancel_screen(services: Services, view: SlotView, zone: str, now: datetime) -> Screen:
    """Cancel this time? Says who booked it and that they will be told."""
    texts = services.texts
    return Screen(
        texts.render("bookings.host_cancel_ask", **_about(view, zone, now)),
        stacked(
            [
                Button(texts.render("bookings.buttons.cancel_yes"), callbacks.HOST_CANCEL(view.id)),
                Button(texts.render("bookings.buttons.keep"), callbacks.HOST_LIST()),
            ]
        ),
    )
