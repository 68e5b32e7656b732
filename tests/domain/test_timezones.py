"""Time zones and quiet hours as people type them."""

from datetime import UTC, datetime

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.places import Place
from bot.domain.timezones import QuietHours, find_time_zone, parse_quiet_hours, parse_time_zone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Lagos", "Africa/Lagos"),
        ("  lagos ", "Africa/Lagos"),
        ("UK", "Europe/London"),
        ("uk time", "Europe/London"),
        ("Dublin", "Europe/Dublin"),
        ("new york", "America/New_York"),
        ("Europe/Paris", "Europe/Paris"),
        ("europe/paris", "Europe/Paris"),
        ("Nigeria", "Africa/Lagos"),
        ("Manchester", "Europe/London"),
        ("MANCHESTER", "Europe/London"),
        ("Birmingham", "Europe/London"),
        ("Poland", "Europe/Warsaw"),
        ("GMT", "Europe/London"),
        ("Wales", "Europe/London"),
    ],
)
def test_places_people_type_become_zones(typed: str, zone: str) -> None:
    assert parse_time_zone(typed) == zone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [  # words that were listed by hand before the gazetteer: they keep their zones
        ("ireland", "Europe/Dublin"),
        ("ghana", "Africa/Accra"),
        ("kenya", "Africa/Nairobi"),
        ("india", "Asia/Kolkata"),
        ("pakistan", "Asia/Karachi"),
        ("bangladesh", "Asia/Dhaka"),
        ("romania", "Europe/Bucharest"),
        ("spain", "Europe/Madrid"),
        ("france", "Europe/Paris"),
        ("germany", "Europe/Berlin"),
        ("italy", "Europe/Rome"),
        ("portugal", "Europe/Lisbon"),
        ("jamaica", "America/Jamaica"),
        ("utc", "UTC"),
        ("bst", "Europe/London"),
    ],
)
def test_countries_once_listed_by_hand_keep_their_zones(typed: str, zone: str) -> None:
    assert parse_time_zone(typed) == zone


@pytest.mark.parametrize("typed", ["", "   ", "Qwzxv Plorbt", "x" * 500])
def test_unknown_places_are_refused_with_what_was_typed(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_time_zone(typed)
    assert caught.value.key == "tz.unknown"
    assert len(caught.value.params["typed"]) <= 80


def test_a_place_typed_is_named_back_with_its_zone() -> None:
    found = find_time_zone("new york")
    assert (found.zone, found.name) == ("America/New_York", "New York City, USA")
    assert find_time_zone("uk time") == Place("Europe/London")  # no place to name, just UK time


def test_a_misspelt_place_is_refused_with_places_spelled_nearly_the_same() -> None:
    with pytest.raises(InvalidInput) as caught:
        find_time_zone("Manchestr")
    assert caught.value.params["typed"] == "Manchestr"
    assert "Manchester, UK" in caught.value.params["suggestions"]


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("22:00-07:00", 22 * 60, 7 * 60),
        ("22:00 to 07:00", 22 * 60, 7 * 60),
        ("10pm to 7am", 22 * 60, 7 * 60),
        ("from 9.30pm until 8am", 21 * 60 + 30, 8 * 60),
        ("23-6", 23 * 60, 6 * 60),
        ("12am-6am", 0, 6 * 60),
        ("13:00 – 14:00", 13 * 60, 14 * 60),
    ],
)
def test_quiet_hours_in_many_spellings(typed: str, start: int, end: int) -> None:
    assert parse_quiet_hours(typed) == QuietHours(start, end)


@pytest.mark.parametrize("typed", ["none", "No", "never"])
def test_no_quiet_hours(typed: str) -> None:
    assert parse_quiet_hours(typed) is None


@pytest.mark.parametrize("typed", ["late", "25:00-07:00", "13pm-2am", "22:61-07:00", "9-"])
def test_unclear_quiet_hours_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_quiet_hours(typed)
    assert caught.value.key == "quiet.unclear"


def test_same_start_and_end_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_quiet_hours("8am to 8am")
    assert caught.value.key == "quiet.empty"


def test_overnight_window_respects_local_time_across_daylight_saving() -> None:
    quiet = QuietHours(21 * 60, 8 * 60)
    # 20:30 UTC in July is 21:30 in London (BST): quiet. In January it is 20:30: not quiet.
    assert quiet.contains(datetime(2026, 7, 1, 20, 30, tzinfo=UTC), "Europe/London")
    assert not quiet.contains(datetime(2026, 1, 15, 20, 30, tzinfo=UTC), "Europe/London")
    assert quiet.contains(datetime(2026, 1, 15, 7, 59, tzinfo=UTC), "Europe/London")
    assert not quiet.contains(datetime(2026, 1, 15, 8, 0, tzinfo=UTC), "Europe/London")
    assert quiet.label() == "21:00 to 08:00"
