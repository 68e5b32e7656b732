"""The demo's clock starts in the daytime, so quiet hours never hide its story, and the
board meets at a round afternoon hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.demo.clock import demo_clock, next_board_meeting, parse_clock, start_of_demo


def _uk(text: str) -> datetime:
    return parse_clock(text)


@pytest.mark.parametrize(
    ("asked", "starts"),
    [
        ("2026-12-08T03:00", "2026-12-08T13:55"),  # in the night: moved to the afternoon
        ("2026-12-08T08:29", "2026-12-08T13:55"),
        ("2026-12-08T23:40", "2026-12-08T13:55"),  # late: the same day's afternoon
        ("2026-12-08T08:30", "2026-12-08T08:30"),  # daytime: the time asked for
        ("2026-12-08T15:00", "2026-12-08T15:00"),
        ("2026-07-08T02:00", "2026-07-08T13:55"),  # summer time: 13:55 BST
    ],
)
def test_a_start_in_the_night_moves_to_the_afternoon(asked: str, starts: str) -> None:
    assert start_of_demo(_uk(asked)) == _uk(starts)


def test_a_time_without_an_offset_is_uk_time() -> None:
    assert parse_clock("2026-07-08T15:00") == datetime(2026, 7, 8, 14, 0, tzinfo=UTC)
    assert parse_clock("2026-12-08T15:00") == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
    assert parse_clock("2026-12-08T15:00+01:00") == datetime(2026, 12, 8, 14, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="like 2026-12-08T15:00"):
        parse_clock("tomorrow at three")


def test_the_board_meets_tomorrow_at_two_in_the_afternoon_uk_time() -> None:
    assert next_board_meeting(_uk("2026-12-08T13:55")) == _uk("2026-12-09T14:00")
    assert next_board_meeting(_uk("2026-07-08T19:59")) == _uk("2026-07-09T14:00")


def test_a_kept_demo_goes_on_from_where_its_clock_stopped() -> None:
    stopped = _uk("2026-12-08T16:20")
    clock = demo_clock(_uk("2026-12-08T23:00"), not_before=stopped)
    assert stopped <= clock.now() < stopped + timedelta(seconds=5)
    later = demo_clock(_uk("2026-12-09T03:00"), not_before=stopped)
    assert _uk("2026-12-09T13:55") <= later.now() < _uk("2026-12-09T13:56")
