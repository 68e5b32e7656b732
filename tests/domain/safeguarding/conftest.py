"""The shipped safeguarding rules, loaded once for the tests that check them."""

from __future__ import annotations

import pytest

from bot.domain.safeguarding import RULES_PATH, Rules, load_rules


@pytest.fixture(scope="session")
def rules() -> Rules:
    loaded, problems = load_rules(RULES_PATH)
    assert [str(problem) for problem in problems] == []
    return loaded
