"""Screens for a person's own account: help, settings, pause, leave and erase."""

from __future__ import annotations

from html import unescape as plain_text
from zoneinfo import ZoneInfo

from bot.db import Session
from bot.domain import account, people
from bot.domain.consent import keeps_reflections
from bot.domain.when import day_label, local_time_label, zone_label
from bot.models import Person, Role
from bot.telegram import callbacks, menus
from bot.telegram.screens import help_button
from bot.telegram.screens.language import language_name
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows, stacked

CONFIRMS = {"stop": callbacks.STOP, "forget": callbacks.FORGET}


def settings_screen(session: Session, services: Services, person: Person) -> Screen:
    """The person's settings, each with a button to change it."""
    assert person.id is not None
    texts, now = services.texts, services.clock.now()
    quiet = people.quiet_hours(person)
    keeps = keeps_reflections(session, person_id=person.id)
    paused_until = None
    if people.is_paused(person, now=now):
        paused_until = (
            local_time_label(person.paused_until, person.time_zone, now=now)
            if person.paused_until
            else texts.markup("pause.until_restart")
        )
    text = texts.render(
        "settings.text",
        name=person.preferred_name or "",
        zone=zone_label(person.time_zone),
        zone_name=person.time_zone,
        local_time=f"{now.astimezone(ZoneInfo(person.time_zone)):%H:%M}",
        quiet=_quiet_range(services, quiet.start, quiet.end) if quiet else None,
        keeps=keeps,
        partner=person.role == Role.PARTNER,
        paused=paused_until,
    )
    buttons = [
        Button(texts.render("settings.buttons.name"), callbacks.SETTINGS("name")),
        Button(texts.render("settings.buttons.tz"), callbacks.SETTINGS("tz")),
        Button(texts.render("settings.buttons.quiet"), callbacks.SETTINGS("quiet")),
        Button(
            texts.render("settings.buttons.language", language=language_name(services)),
            callbacks.LANGUAGE("menu"),
        ),
    ]
    if person.role == Role.PARTNER:
        buttons.append(
            Button(texts.render("settings.buttons.drop"), callbacks.SETTINGS("drop"))
            if keeps
            else Button(texts.render("settings.buttons.keep"), callbacks.SETTINGS("keep"))
        )
    buttons.append(Button(texts.render("buttons.done"), callbacks.SETTINGS("done")))
    return Screen(text, stacked(buttons))


def _quiet_range(services: Services, start: int, end: int) -> str:
    """Quiet hours as the reader says them: "21:00 to 08:00", "21:00–08:00"."""
    return plain_text(
        services.texts.render(
            "settings.quiet_range",
            start=f"{start // 60:02d}:{start % 60:02d}",
            end=f"{end // 60:02d}:{end % 60:02d}",
        )
    )


def help_screen(services: Services, person: Person | None) -> Screen:
    """Help for this person's role (or for a stranger: how to join)."""
    texts = services.texts
    if person is None:
        return Screen(texts.render("help.stranger"))
    commands = "\n".join(
        f"/{command} – {texts.render(description_key)}"
        for command, description_key in menus.commands_for(person.role)
    )
    return Screen(
        texts.render(f"help.{person.role.value}", commands=commands),
        rows(
            [
                Button(texts.render("buttons.settings"), callbacks.SETTINGS("show")),
                Button(texts.render("buttons.pause"), callbacks.PAUSE("menu")),
            ],
        ),
    )


def pause_menu(services: Services, person: Person) -> Screen:
    """Ask how long to pause for, or offer to restart if already paused."""
    texts, now = services.texts, services.clock.now()
    if people.is_paused(person, now=now):
        until = (
            local_time_label(person.paused_until, person.time_zone, now=now)
            if person.paused_until
            else None
        )
        return Screen(
            texts.render("pause.already", until=until),
            stacked(
                [
                    Button(texts.render("pause.buttons.resume"), callbacks.PAUSE("resume")),
                    Button(texts.render("pause.buttons.keep"), callbacks.PAUSE("keep")),
                ]
            ),
        )
    choices = ("1w", "2w", "4w", "open", "cancel")
    return Screen(
        texts.render("pause.ask"),
        stacked(
            Button(texts.render(f"pause.buttons.{choice}"), callbacks.PAUSE(choice))
            for choice in choices
        ),
    )


def paused_screen(services: Services, person: Person) -> Screen:
    """Confirmation of a pause, with a way to restart."""
    texts = services.texts
    until = (
        local_time_label(person.paused_until, person.time_zone, now=services.clock.now())
        if person.paused_until
        else None
    )
    return Screen(
        texts.render("pause.done", until=until),
        rows(Button(texts.render("pause.buttons.resume"), callbacks.PAUSE("resume"))),
    )


def confirm_screen(
    services: Services, prefix: str, choices: tuple[str, ...], **context: object
) -> Screen:
    """A yes/no question whose buttons expire (used by /stop and /forget)."""
    texts = services.texts
    issued = int(services.clock.now().timestamp())
    return Screen(
        texts.render(f"{prefix}.ask", **context),
        stacked(
            Button(
                texts.render(f"{prefix}.buttons.{choice}"),
                CONFIRMS[prefix](choice, issued),
            )
            for choice in choices
        ),
    )


def simple(services: Services, key: str, **context: object) -> Screen:
    """A message with the help button under it."""
    return Screen(services.texts.render(key, **context), rows(help_button(services)))


def left_screen(services: Services, person: Person) -> Screen:
    """For someone who sent /stop: how to come back (a button while they still can) and what
    stays available to them until they erase it."""
    texts = services.texts
    until = account.rejoin_until(person)
    can_come_back = account.can_rejoin(person, clock=services.clock)
    shown = until.astimezone(ZoneInfo(person.time_zone)) if until and can_come_back else None
    return Screen(
        texts.render(
            "start.left", until=day_label(shown, "d MMMM y") if shown is not None else None
        ),
        stacked(
            [
                *(
                    [Button(texts.render("start.buttons.rejoin"), callbacks.REJOIN())]
                    if can_come_back
                    else []
                ),
                Button(texts.render("start.buttons.journal"), callbacks.JOURNAL(0)),
            ]
        ),
    )
