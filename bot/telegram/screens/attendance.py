"""Screens for /attendance (issue 18): the meetings to confirm, a meeting's sheet as toggle
buttons, what was saved, and the partners a facilitator may endorse."""

from __future__ import annotations

from datetime import datetime

from bot.domain.attendance import AttendanceSheet
from bot.domain.record import CohortPartners
from bot.domain.when import local_date_label
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, stacked

SHOWN = 10  # meetings with a button on one screen
PARTNERS_SHOWN = 30  # partners on a sheet, or to endorse (Telegram keyboards stay short)


def _day(services: Services, moment: datetime, zone: str) -> str:
    return local_date_label(moment, zone, now=services.clock.now())


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def list_screen(services: Services, sheets: list[AttendanceSheet], zone: str) -> Screen:
    """Meetings that have begun: those still to confirm first, then the confirmed ones."""
    texts = services.texts
    todo = [s for s in sheets if not s.confirmed][:SHOWN]
    done = [s for s in sheets if s.confirmed][: max(0, SHOWN - len(todo))]

    def shown(sheet: AttendanceSheet) -> dict[str, object]:
        return {
            "title": sheet.title,
            "day": _day(services, sheet.starts_at, zone),
            "count": sheet.count,
            "of": len(sheet.lines),
        }

    text = texts.render(
        "attendance_staff.list", todo=[shown(s) for s in todo], done=[shown(s) for s in done]
    )
    buttons = [
        Button(
            texts.render(
                "attendance_staff.buttons.sheet"
                if not s.confirmed
                else "attendance_staff.buttons.check",
                title=_short(s.title),
                day=_day(services, s.starts_at, zone),
            ),
            callbacks.ATTENDANCE_SHEET(s.meeting_id),
        )
        for s in [*todo, *done]
    ]
    endorse = Button(texts.render("attendance_staff.buttons.endorse"), callbacks.ENDORSE_LIST())
    return Screen(text, stacked([*buttons, endorse, help_button(services)]))


def sheet_screen(services: Services, sheet: AttendanceSheet, cohort: str, zone: str) -> Screen:
    """A meeting's sheet: one toggle button per partner (a tick when there), then Confirm."""
    texts = services.texts
    lines = sheet.lines[:PARTNERS_SHOWN]
    text = texts.render(
        "attendance_staff.sheet",
        title=sheet.title,
        cohort=cohort,
        day=_day(services, sheet.starts_at, zone),
        confirmed=sheet.confirmed,
        lines=[{"name": ln.name, "there": ln.attended, "said": ln.said} for ln in lines],
        more=len(sheet.lines) - len(lines),
    )
    ticks = [
        Button(
            texts.render("attendance_staff.buttons.tick", name=_short(ln.name), there=ln.attended),
            callbacks.ATTENDANCE_TICK(sheet.meeting_id, ln.person_id),
        )
        for ln in lines
    ]
    confirm = Button(
        texts.render("attendance_staff.buttons.confirm", count=sheet.count),
        callbacks.ATTENDANCE_CONFIRM(sheet.meeting_id),
    )
    back = Button(texts.render("attendance_staff.buttons.back"), callbacks.ATTENDANCE())
    row_of_two = tuple(tuple(ticks[i : i + 2]) for i in range(0, len(ticks), 2))
    return Screen(text, (*row_of_two, *stacked([confirm, back])))


def saved_screen(services: Services, sheet: AttendanceSheet, cohort: str) -> Screen:
    """Said back in place once a sheet is confirmed."""
    texts = services.texts
    text = texts.render(
        "attendance_staff.saved",
        title=sheet.title,
        cohort=cohort,
        count=sheet.count,
        of=len(sheet.lines),
        names=[ln.name for ln in sheet.lines if ln.attended],
    )
    return Screen(
        text,
        stacked(
            [
                Button(texts.render("attendance_staff.buttons.back"), callbacks.ATTENDANCE()),
                help_button(services),
            ]
        ),
    )


def endorse_list_screen(services: Services, groups: list[CohortPartners]) -> Screen:
    """The partners of the viewer's cohorts, to write an endorsement for one."""
    texts = services.texts
    buttons = [
        Button(
            texts.render(
                "attendance_staff.buttons.endorse_one",
                name=_short(name),
                cohort=_short(g.cohort.name, 24),
            ),
            callbacks.ENDORSE(pid),
        )
        for g in groups
        for pid, name in g.partners
    ][:PARTNERS_SHOWN]
    text = texts.render("attendance_staff.endorse_list", any=bool(buttons))
    back = Button(texts.render("attendance_staff.buttons.back"), callbacks.ATTENDANCE())
    return Screen(text, stacked([*buttons, back]))
