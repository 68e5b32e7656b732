"""The demo's own clock: the real pace, from a daytime moment, so quiet hours never hide
its story (and the board meets at a plausible hour).

Started in the night (20:00 to 08:30 UK time), the demo's clock starts at 13:55 UK time that
day instead; in the daytime it reads the real time. `tandem demo --clock` (or
TANDEM_DEMO_CLOCK) gives the moment to start from instead of the real time. A kept demo's
clock never runs backwards: it goes on from where it stopped, if that is later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.clock import ShiftedClock
from bot.library.timetable import local_to_utc

__all__ = ["DEMO_ZONE", "demo_clock", "next_board_meeting", "parse_clock", "start_of_demo"]

DEMO_ZONE = "Europe/London"
DAYTIME = (time(8, 30), time(20, 0))
# A night-time start moves here: the board meets tomorrow at 14:00, so the day-before
# reminder arrives five minutes in.
AFTERNOON = time(13, 55)
MEETING_AT = time(14, 0)


def parse_clock(text: str) -> datetime:
    """A moment from the command line: ISO 8601; without an offset, it is UK time."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time like 2026-12-08T15:00 (UK time)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(DEMO_ZONE))
    return when.astimezone(UTC)


def start_of_demo(asked: datetime) -> datetime:
    """When the demo's clock starts, for a start at `asked` (aware): then, in the daytime;
    13:55 UK time that day, in the night."""
    local = asked.astimezone(ZoneInfo(DEMO_ZONE))
    if DAYTIME[0] <= local.time().replace(tzinfo=None) < DAYTIME[1]:
        return asked.astimezone(UTC)
    return local_to_utc(local.date(), AFTERNOON, DEMO_ZONE)


def demo_clock(
    asked: datetime | None = None, *, not_before: datetime | None = None
) -> ShiftedClock:
    """The demo's clock, started for `asked` (None: the real time now); a kept demo's clock
    goes on from where it stopped (`not_before`) rather than run backwards."""
    start = start_of_demo(asked or datetime.now(UTC))
    if not_before is not None and start < not_before:
        start = not_before
    return ShiftedClock.starting_at(start)


def next_board_meeting(now: datetime) -> datetime:
    """Tomorrow at 14:00 UK time, in UTC."""
    today: date = now.astimezone(ZoneInfo(DEMO_ZONE)).date()
    return local_to_utc(today + timedelta(days=1), MEETING_AT, DEMO_ZONE)
