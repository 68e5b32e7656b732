"""Dates and times as facilitators type them, read in their own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.when import local_time_label, parse_clock_time, parse_local, zone_label

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3 Dec 14:00", datetime(2026, 12, 3, 14, 0, tzinfo=UTC)),
        ("2026-12-03 14:00", datetime(2026, 12, 3, 14, 0, tzinfo=UTC)),
        ("03/12/2026 2pm", datetime(2026, 12, 3, 14, 0, tzinfo=UTC)),  # day first, UK style
        ("3/12 2.30pm", datetime(2026, 12, 3, 14, 30, tzinfo=UTC)),
        ("tomorrow 9am", datetime(2026, 11, 28, 9, 0, tzinfo=UTC)),
        ("Today 18:00", datetime(2026, 11, 27, 18, 0, tzinfo=UTC)),
        ("2 Jan 10:00", datetime(2027, 1, 2, 10, 0, tzinfo=UTC)),  # the next 2 January
        ("  10   jun   09:30 ", datetime(2027, 6, 10, 8, 30, tzinfo=UTC)),  # summer time
    ],
)
def test_dates_and_times_are_read_the_uk_way(typed: str, expected: datetime) -> None:
    assert parse_local(typed, zone="Europe/London", now=NOW) == expected


def test_a_time_is_read_in_the_persons_own_zone() -> None:
    lagos = parse_local("3 Dec 14:00", zone="Africa/Lagos", now=NOW)
    assert lagos == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("next week sometime", "when.unclear"),
        ("3 Dec", "when.needs_time"),
        ("27 Nov 2026 11:00", "when.past"),
    ],
)
def test_unclear_or_past_times_are_refused_with_the_reason(typed: str, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_local(typed, zone="Europe/London", now=NOW)
    assert refused.value.key == key


@pytest.mark.parametrize(("typed", "expected"), [("14:00", time(14)), ("2pm", time(14))])
def test_times_of_day(typed: str, expected: time) -> None:
    assert parse_clock_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "soon", "3 Dec"])
def test_unclear_times_of_day_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        parse_clock_time(typed)


@pytest.mark.parametrize(
    ("moment", "zone", "label"),
    [
        (datetime(2026, 3, 3, 14, 5, tzinfo=UTC), "Europe/London", "Tue 3 Mar, 14:05"),
        (datetime(2026, 3, 3, 14, 5, tzinfo=UTC), "Africa/Lagos", "Tue 3 Mar, 15:05"),
        (datetime(2026, 7, 2, 13, 0, tzinfo=UTC), "Europe/London", "Thu 2 Jul, 14:00"),  # BST
        (datetime(2026, 3, 3, 23, 30, tzinfo=UTC), "Asia/Kolkata", "Wed 4 Mar, 05:00"),
    ],
)
def test_times_are_labelled_as_people_read_them_in_their_own_zone(
    moment: datetime, zone: str, label: str
) -> None:
    assert local_time_label(moment, zone, now=datetime(2026, 3, 2, 10, 0, tzinfo=UTC)) == label


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        (datetime(2026, 8, 31, 9, 0, tzinfo=UTC), "Mon 31 Aug, 10:00"),  # six months away
        (datetime(2026, 9, 2, 9, 0, tzinfo=UTC), "Wed 2 Sep 2026, 10:00"),  # just beyond
        (datetime(2027, 3, 3, 14, 5, tzinfo=UTC), "Wed 3 Mar 2027, 14:05"),  # a year away
        (datetime(2025, 8, 1, 9, 0, tzinfo=UTC), "Fri 1 Aug 2025, 10:00"),  # long ago
    ],
)
def test_a_date_more_than_six_months_away_shows_its_year(moment: datetime, label: str) -> None:
    """ "Wed 3 Mar" a year from now would read as tomorrow (issue 15)."""
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert local_time_label(moment, "Europe/London", now=now) == label


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Europe/London", "UK time"),
        ("Africa/Lagos", "Lagos"),
        ("America/New_York", "New York"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires"),
        ("UTC", "UTC"),
    ],
)
def test_zones_are_named_as_people_say_them(zone: str, label: str) -> None:
    assert zone_label(zone) == label
