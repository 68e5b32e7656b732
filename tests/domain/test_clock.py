"""The clock: production reads the system's, tests move a fake one instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.clock import FakeClock, ShiftedClock, SystemClock


def test_the_fake_clock_stands_still_until_moved() -> None:
    clock = FakeClock(datetime(2027, 3, 27, 23, 30, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2027, 3, 27, 23, 30, tzinfo=UTC)
    clock.advance(timedelta(hours=2))
    assert clock.now() == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    clock.set(datetime(2027, 10, 31, 1, 0, tzinfo=UTC))
    assert clock.now() == datetime(2027, 10, 31, 1, 0, tzinfo=UTC)


def test_the_fake_clock_refuses_a_time_without_a_zone() -> None:
    clock = FakeClock()
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2026, 3, 2, 9, 0))
    assert clock.now().tzinfo is UTC


def test_the_system_clock_tells_the_time_in_utc() -> None:
    before = datetime.now(UTC)
    now = SystemClock().now()
    assert now.tzinfo is UTC and before <= now <= datetime.now(UTC)


def test_a_shifted_clock_runs_at_the_real_pace_from_another_moment() -> None:
    start = datetime(2026, 12, 8, 13, 55, tzinfo=UTC)
    clock = ShiftedClock.starting_at(start)
    first = clock.now()
    assert start <= first < start + timedelta(seconds=5)
    assert clock.now() >= first
    with pytest.raises(ValueError, match="aware"):
        ShiftedClock.starting_at(datetime(2026, 12, 8, 13, 55))
