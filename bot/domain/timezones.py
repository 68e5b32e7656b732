"""Time zones and quiet hours as people type them ("Lagos", "UK", "10pm to 7am")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.domain import places
from bot.domain.errors import InvalidInput
from bot.domain.places import Place
from bot.domain.when import in_english

# Words for UK time and for clocks, not places (answered without reading the gazetteer).
ALIASES = {
    "uk": "Europe/London",
    "uk time": "Europe/London",
    "gb": "Europe/London",
    "britain": "Europe/London",
    "great britain": "Europe/London",
    "england": "Europe/London",
    "scotland": "Europe/London",
    "wales": "Europe/London",
    "northern ireland": "Europe/London",
    "bst": "Europe/London",
    "gmt": "Europe/London",
    "utc": "UTC",
}

MAX_TYPED_LENGTH = 80


@cache
def _lowered_zones() -> dict[str, str]:
    """Every IANA zone keyed by its lower-case full name."""
    return {zone.lower(): zone for zone in available_timezones()}


@cache
def _by_city() -> dict[str, str]:
    """Every IANA zone keyed by its lower-case city part ("lagos" -> "Africa/Lagos")."""
    zones: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" not in name or name.startswith(("Etc/", "SystemV/", "US/", "posix", "right")):
            continue
        city = name.rsplit("/", 1)[1].replace("_", " ").lower()
        zones.setdefault(city, name)
    return zones


def find_time_zone(typed: str) -> Place:
    """Where a person said they are ("Manchester", "new york", "Poland", "UK", "GMT",
    "Europe/Paris") and its time zone; or InvalidInput('tz.unknown') with up to three
    `suggestions` of places spelled nearly the same."""
    cleaned = " ".join(typed.strip().split())[:MAX_TYPED_LENGTH]
    if not cleaned:
        raise InvalidInput("tz.unknown", typed="", suggestions=[])
    lowered = cleaned.lower()
    # Only full zone names ("Europe/Paris"): "Poland" and "Japan" are old zone names too.
    exact = _lowered_zones().get(lowered.replace(" ", "_")) if "/" in lowered else None
    zone = ALIASES.get(lowered) or exact
    if zone:
        return Place(zone)
    found = places.find(cleaned)
    if found:
        return found
    city = _by_city().get(lowered)
    if city:
        return Place(city)
    raise InvalidInput("tz.unknown", typed=cleaned, suggestions=places.suggest(cleaned))


def parse_time_zone(typed: str) -> str:
    """The IANA zone name for what a person typed, or InvalidInput('tz.unknown')."""
    return find_time_zone(typed).zone


def is_valid_time_zone(name: str) -> bool:
    """True for a zone name this machine knows."""
    return name in _lowered_zones().values()


@dataclass(frozen=True)
class QuietHours:
    """A nightly window (minutes after local midnight) when Tandem stays silent."""

    start: int
    end: int

    def label(self) -> str:
        """As people say it: "21:00 to 08:00"."""
        return f"{_hhmm(self.start)} to {_hhmm(self.end)}"

    def contains(self, moment: datetime, zone: str) -> bool:
        """True when `moment` falls inside the window in time zone `zone`."""
        local = moment.astimezone(ZoneInfo(zone))
        minute = local.hour * 60 + local.minute
        if self.start <= self.end:
            return self.start <= minute < self.end
        return minute >= self.start or minute < self.end


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_TIME = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
_RANGE = re.compile(rf"^\s*(?:from\s+)?{_TIME}\s*(?:-|–|—|to|until|till)\s*{_TIME}\s*$")
_NONE = {"none", "no", "never", "no quiet hours", "off", "any time", "anytime"}


def parse_quiet_hours(typed: str) -> QuietHours | None:
    """Quiet hours from text like "22:00-07:00" or "10pm to 7am" (or, in the language being
    written, "od 22:00 do 7:00", "من ٢٢:٠٠ إلى ٠٧:٠٠"); None means none at all."""
    lowered = in_english(typed.strip()[:MAX_TYPED_LENGTH]).lower()
    if lowered in _NONE:
        return None
    match = _RANGE.match(lowered)
    if not match:
        raise InvalidInput("quiet.unclear", typed=typed.strip()[:MAX_TYPED_LENGTH])
    start = _minutes(match.group(1), match.group(2), match.group(3))
    end = _minutes(match.group(4), match.group(5), match.group(6))
    if start is None or end is None:
        raise InvalidInput("quiet.unclear", typed=typed.strip()[:MAX_TYPED_LENGTH])
    if start == end:
        raise InvalidInput("quiet.empty")
    return QuietHours(start, end)


def _minutes(hour_text: str, minute_text: str | None, meridiem: str | None) -> int | None:
    hour = int(hour_text)
    minute = int(minute_text) if minute_text else 0
    if minute > 59:
        return None
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    elif hour == 24:
        hour = 0
    if hour > 23:
        return None
    return hour * 60 + minute


def quiet_hours_of(start: int | None, end: int | None) -> QuietHours | None:
    """The QuietHours stored as two columns, or None."""
    if start is None or end is None:
        return None
    return QuietHours(start, end)
