"""Dates and times as people type them in chat and read them, in their own time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from dateutil import parser

from bot.domain.errors import InvalidInput
from bot.library import languages
from bot.library.timetable import local_to_utc

_DAYS = {"today": 0, "tomorrow": 1}
_RELATIVE = re.compile(r"\b(today|tomorrow)\b", re.IGNORECASE)
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})(?=\s*(?:am|pm)\b|\s*$)", re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")


def parse_local(text: str, *, zone: str, now: datetime) -> datetime:
    """ "3 Dec 14:00", "2026-12-03 14:00", "03/12/2026 2pm" in `zone`, as a UTC moment.

    Day before month (the UK way); a date without a year is the next such date; a time is
    needed (a meeting at midnight is rarely meant).
    """
    typed = " ".join(text.split())
    today = now.astimezone(ZoneInfo(zone)).date()
    marker = datetime(today.year, today.month, today.day, 0, 0, 59)  # seconds mark "no time"
    typed_time = _DOTTED_TIME.sub(r"\1:\2", typed)  # 2.30pm, as people often write it
    words = _RELATIVE.sub(
        lambda m: f"{today + timedelta(days=_DAYS[m.group(0).lower()]):%Y-%m-%d}", typed_time
    )
    try:
        iso = _ISO.match(words)
        parsed = parser.parse(words, dayfirst=not iso, yearfirst=bool(iso), default=marker)
    except (ValueError, OverflowError):
        raise InvalidInput("when.unclear", typed=typed) from None
    if parsed.second == 59 and parsed.hour == 0 and parsed.minute == 0:
        raise InvalidInput("when.needs_time", typed=typed)
    day: date = parsed.date()
    if str(day.year) not in words and day < today:
        day = day.replace(year=day.year + 1)
    moment = local_to_utc(day, time(parsed.hour, parsed.minute), zone)
    if moment <= now:
        raise InvalidInput("when.past", typed=typed)
    return moment


def parse_clock_time(text: str) -> time:
    """ "14:00", "2pm", "2.30pm" as a time of day."""
    typed = " ".join(text.split()).replace(".", ":")
    try:
        parsed = parser.parse(typed, default=datetime(2000, 1, 1, 0, 0, 59))
    except (ValueError, OverflowError):
        raise InvalidInput("when.unclear_time", typed=text.strip()) from None
    if parsed.date() != date(2000, 1, 1) or (parsed.hour, parsed.minute) == (0, 0):
        raise InvalidInput("when.unclear_time", typed=text.strip())
    return time(parsed.hour, parsed.minute)


def day_label(day: date | datetime, pattern: str) -> str:
    """A day in the language being written, by a CLDR pattern: "d MMMM y" is "3 December
    2026" in English and "3 grudnia 2026" in Polish; "LLLL y" names a month on its own."""
    return format_date(day, pattern, locale=languages.current())


# A date further than this from today shows its year: "Thu 3 Dec" a year away reads as soon.
YEAR_SHOWN_BEYOND = timedelta(days=183)


def local_date_label(moment: datetime, zone: str, *, now: datetime) -> str:
    """A day as people read it in their own zone: "Tue 3 Mar", or "Tue 3 Mar 2027" when it is
    more than six months from `now`."""
    local = moment.astimezone(ZoneInfo(zone))
    with_year = abs(moment - now) > YEAR_SHOWN_BEYOND
    code = languages.current()
    if code != languages.ENGLISH:  # CLDR's names and order for the language: "wt. 3 mar"
        return format_date(local, "EEE d MMM y" if with_year else "EEE d MMM", locale=code)
    label = f"{local:%a} {local.day} {local:%b}"
    if with_year:
        label += f" {local.year}"
    return label


def local_time_label(moment: datetime, zone: str, *, now: datetime) -> str:
    """A time as people read it in their own zone: "Tue 3 Mar, 14:05" (with the year when it
    is more than six months from `now`: "Wed 3 Mar 2027, 14:05")."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local_date_label(moment, zone, now=now)}, {local:%H:%M}"


def zone_label(zone: str) -> str:
    """A friendly name for a time zone: "UK time" or the city."""
    if zone == "Europe/London":
        return "UK time"
    return zone.rsplit("/", 1)[-1].replace("_", " ")
