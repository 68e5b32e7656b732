"""How the outbox names a meeting's time relative to now, in the person's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from bot.library import languages
from bot.library.messages import Texts
from bot.telegram.screens.outbox import relative_when

SERVICES: Any = SimpleNamespace(texts=Texts.load())  # all relative_when reads
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday 2 March 2026, 10:00 in London


@pytest.mark.parametrize(
    ("starts_at", "said"),
    [
        (datetime(2026, 3, 2, 10, 45, tzinfo=UTC), "in 45 minutes"),
        (datetime(2026, 3, 2, 15, 0, tzinfo=UTC), "today at 15:00"),
        (datetime(2026, 3, 3, 14, 0, tzinfo=UTC), "tomorrow at 14:00"),
        (datetime(2026, 7, 2, 13, 0, tzinfo=UTC), "on Thu 2 Jul at 14:00"),
        (datetime(2026, 11, 10, 14, 0, tzinfo=UTC), "on Tue 10 Nov 2026 at 14:00"),
        (datetime(2027, 3, 4, 14, 0, tzinfo=UTC), "on Thu 4 Mar 2027 at 14:00"),
    ],
)
def test_a_meeting_more_than_six_months_away_is_named_with_its_year(
    starts_at: datetime, said: str
) -> None:
    assert relative_when(SERVICES, starts_at, NOW, "Europe/London") == said


@pytest.mark.parametrize(
    ("code", "starts_at", "said"),
    [
        ("pl", datetime(2026, 3, 2, 10, 1, tzinfo=UTC), "za 1 minutę"),
        ("pl", datetime(2026, 3, 2, 10, 45, tzinfo=UTC), "za 45 minut"),
        ("pl", datetime(2026, 3, 3, 14, 0, tzinfo=UTC), "jutro o 14:00"),
        ("pl", datetime(2026, 7, 2, 13, 0, tzinfo=UTC), "czw. 2 lip o 14:00"),
        ("ar", datetime(2026, 3, 2, 15, 0, tzinfo=UTC), "اليوم الساعة 15:00"),
    ],
)
def test_a_meetings_time_is_said_in_the_readers_language(
    code: str, starts_at: datetime, said: str
) -> None:
    with languages.speaking(code):  # issue 19: CLDR's day and month names, and plurals
        assert relative_when(SERVICES, starts_at, NOW, "Europe/London") == said
