"""Invite codes and durations."""

import re
from datetime import timedelta

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.invites import deep_link, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14d", timedelta(days=14)),
        ("48h", timedelta(hours=48)),
        ("30m", timedelta(minutes=30)),
        ("2w", timedelta(weeks=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1D 6H", timedelta(days=1, hours=6)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "14", "0d", "-3d", "3 days"])
def test_unclear_durations_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_duration(text)


def test_deep_link_shape() -> None:
    assert deep_link("tandem_bot", "abc-DEF_123") == "https://t.me/tandem_bot?start=abc-DEF_123"


def test_code_alphabet_matches_telegram_start_parameter() -> None:
    import secrets

    from bot.domain.invites import CODE_BYTES

    code = secrets.token_urlsafe(CODE_BYTES)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,64}", code)
    assert CODE_BYTES * 8 >= 128
