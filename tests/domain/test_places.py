"""Places people type, found in the offline gazetteer, with the time zone to use there."""

import subprocess
import sys
from collections.abc import Callable

import pytest

from bot.domain import places
from bot.domain.places import Place, find, match_key, suggest


@pytest.mark.parametrize(
    ("typed", "zone", "name"),
    [
        ("Manchester", "Europe/London", "Manchester, UK"),
        ("new york", "America/New_York", "New York City, USA"),
        ("Lagos", "Africa/Lagos", "Lagos, Nigeria"),
        ("Stoke on Trent", "Europe/London", "Stoke-on-Trent, UK"),
        ("st. helens", "Europe/London", "St Helens, UK"),
        ("Saint Helens", "Europe/London", "St Helens, UK"),
        ("Sao Paulo", "America/Sao_Paulo", "São Paulo, Brazil"),
        ("Köln", "Europe/Berlin", "Köln, Germany"),
        ("Cologne", "Europe/Berlin", "Köln, Germany"),  # another name of a big city
        ("Bombay", "Asia/Kolkata", "Mumbai, India"),
        ("Hull", "Europe/London", "Kingston upon Hull, UK"),  # another name of a UK town
        ("Truro", "Europe/London", "Truro, UK"),  # a small UK town
    ],
)
def test_towns_and_cities_are_found_whatever_the_spelling(typed: str, zone: str, name: str) -> None:
    found = find(typed)
    assert found is not None
    assert (found.zone, found.name) == (zone, name)


def test_a_uk_town_comes_before_a_bigger_namesake_which_is_named_as_another_choice() -> None:
    assert find("Birmingham") == Place("Europe/London", "Birmingham, UK")  # not Alabama
    assert find("Perth") == Place("Europe/London", "Perth, UK", elsewhere="Perth, Australia")


@pytest.mark.parametrize(
    ("typed", "zone", "name"),
    [
        ("Perth, Australia", "Australia/Perth", "Perth, Australia"),
        ("perth australia", "Australia/Perth", "Perth, Australia"),
        ("Birmingham, Alabama", "America/Chicago", "Birmingham, USA"),
        ("Portland OR", "America/Los_Angeles", "Portland, USA"),
        ("London UK", "Europe/London", "London, UK"),
    ],
)
def test_the_country_or_us_state_after_a_town_says_which_one(
    typed: str, zone: str, name: str
) -> None:
    found = find(typed)
    assert found is not None
    assert (found.zone, found.name) == (zone, name)


@pytest.mark.parametrize(
    ("typed", "name", "elsewhere"),
    [
        ("Cornwall", "Cornwall, UK", ""),  # not Cornwall, Ontario
        ("the Midlands", "Midlands, UK", ""),
        ("Co. Antrim", "County Antrim, UK", ""),
        ("Kent", "Kent, UK", "Kent, USA"),  # a city of 100,000 in Washington State
    ],
)
def test_a_uk_county_or_region_is_uk_time(typed: str, name: str, elsewhere: str) -> None:
    assert find(typed) == Place("Europe/London", name, elsewhere=elsewhere)


@pytest.mark.parametrize(
    ("typed", "zone", "name", "several"),
    [
        ("Poland", "Europe/Warsaw", "Poland", False),
        ("nigeria", "Africa/Lagos", "Nigeria", False),
        ("India", "Asia/Kolkata", "India", False),
        ("England", "Europe/London", "UK", False),
        ("USA", "America/New_York", "USA", True),  # the capital's zone, and it says so
        ("Spain", "Europe/Madrid", "Spain", True),  # the Canary Islands are an hour behind
        ("Australia", "Australia/Sydney", "Australia", True),
    ],
)
def test_a_country_gets_its_capitals_zone(typed: str, zone: str, name: str, several: bool) -> None:
    assert find(typed) == Place(zone, name, several_zones=several)


@pytest.mark.parametrize(
    ("typed", "zone", "name"),
    [
        ("Florida", "America/New_York", "Florida, USA"),  # not Florida in Cuba
        ("Texas", "America/Chicago", "Texas, USA"),  # Houston's zone
        ("Hawaii", "Pacific/Honolulu", "Hawaii, USA"),
        ("New York", "America/New_York", "New York City, USA"),  # the city, not the state
    ],
)
def test_a_us_state_gets_its_biggest_citys_zone(typed: str, zone: str, name: str) -> None:
    assert find(typed) == Place(zone, name)


def test_the_word_time_after_a_place_is_understood() -> None:
    found = find("New York time")
    assert found is not None and found.zone == "America/New_York"


@pytest.mark.parametrize("typed", ["", "  ", "Qwzxv Plorbt", "?!"])
def test_nonsense_is_no_place(typed: str) -> None:
    assert find(typed) is None


def test_places_spelled_nearly_the_same_are_suggested() -> None:
    assert suggest("Manchestr")[0] == "Manchester, UK"
    assert "Poland" in suggest("Polnad")
    assert suggest("zz") == []


def test_spellings_of_one_place_share_a_key() -> None:
    assert match_key("St. Helen's") == match_key("saint helens") == "st helens"
    assert match_key("São Paulo") == match_key("SAO-PAULO") == "sao paulo"


def test_importing_tandem_does_not_read_the_gazetteer() -> None:
    """Startup stays quick: importing reads no gazetteer. It is read when a place is first
    looked up, or in the background once `tandem run` has started (tests/e2e/test_places.py)."""
    script = (
        "import bot.cli, bot.telegram.app, bot.domain.places as places; "
        "assert not places._loaded; places.find('Leeds'); assert places._loaded"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_reading_ahead_falls_back_to_this_process_when_another_cannot_be_started(
    unread_gazetteer: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A machine that cannot start a process (a sandboxed host) still gets its place search."""

    def no_processes(*_args: object, **_kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(places, "ProcessPoolExecutor", no_processes)
    places.load_soon()
    unread_gazetteer()  # wait for that reading
    assert places._loaded, "the gazetteer was not read"
    assert find("Leeds") == Place("Europe/London", "Leeds, UK")
    assert "could not read the gazetteer in a process of its own" in caplog.text
