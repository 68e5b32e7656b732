"""The README's story shows at any hour: the demo runs on its own clock, and a start in the
night moves to the afternoon, so quiet hours never hide Margaret's notices, Amina's answer
or her "You said, we did". The web chat's times agree with the demo's clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import chromium_page
from tests.demo_process import Demo, start_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def new_york_page() -> Iterator[Any]:
    """Headless Chromium whose own time zone is not the UK's (nor this machine's)."""
    with chromium_page(15_000, timezone_id="America/New_York", locale="en-GB") as page:
        yield page


def _open(page: Any, demo: Demo, name: str) -> None:
    person = page.locator('[data-testid="person"]').filter(has_text=name).first
    page.goto(f"{demo.chat_url}#user={person.get_attribute('data-user-id')}")


def _saying(page: Any, words: str) -> Any:
    return page.locator('[data-testid="message"][data-from="bot"]').filter(has_text=words)


def _minutes(shown: str) -> int:
    hours, minutes = shown.strip().split(":")
    return int(hours) * 60 + int(minutes)


@pytest.mark.parametrize(
    ("clock", "starts_at"),
    [("2026-12-08T03:00", "13:55"), ("2026-12-08T15:00", "15:00")],
    ids=["started-at-3am", "started-at-3pm"],
)
def test_the_readme_story_shows_whatever_the_hour(
    tmp_path: Path, new_york_page: Any, clock: str, starts_at: str
) -> None:
    from playwright.sync_api import expect

    demo = start_demo("--port", "0", "--web-port", "0", "--clock", clock, cwd=tmp_path)
    try:
        assert f"{starts_at} UK time" in "\n".join(demo.output)
        page = new_york_page
        page.goto(demo.chat_url)
        expect(page.locator('[data-testid="person"]').first).to_be_visible()

        # The outbox sends one message a second to each chat (Telegram's guidance for bulk
        # sends), and Margaret and Amina each have several waiting when the demo starts.
        arrived = {"timeout": 30_000}

        # Margaret was told of each partner joining, of Amina's question and her request.
        _open(page, demo, "Margaret")
        expect(_saying(page, "Who actually decides the budget for our area?")).to_have_count(
            1, **arrived
        )
        for partner in ("Amina", "Dev", "Priya", "Kwame", "Tomasz"):
            expect(_saying(page, partner).first).to_be_visible(**arrived)

        # Amina has Margaret's answer, a "You said, we did", and the welcome broadcast,
        # which names the next board meeting: tomorrow at 14:00.
        _open(page, demo, "Amina")
        expect(_saying(page, "The integrated care board sets the budget")).to_have_count(
            1, **arrived
        )
        expect(_saying(page, "We raised the discharge letters at the board")).to_have_count(
            1, **arrived
        )
        welcome = _saying(page, "Thank you for joining the Frailty pathway group")
        expect(welcome).to_contain_text("Wed 9 Dec", **arrived)
        expect(welcome).to_contain_text("14:00")

        # Every time the chat shows is the demo's (UK) time, not the browser's or the machine's.
        shown = [
            _minutes(t) for t in page.locator('[data-testid="message"] time').all_inner_texts()
        ]
        assert shown and all(_minutes(starts_at) <= t < _minutes(starts_at) + 20 for t in shown), (
            shown
        )
    finally:
        assert demo.stop() == 0
    output = "\n".join(demo.output)
    assert "maximum number of running instances" not in output, output
    assert "Traceback" not in output, output
