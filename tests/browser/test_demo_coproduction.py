"""The demo's co-production (issue 17) in a real browser: Amina sees the board's learning
and the group's open agenda item, and Tom's dashboard charts the three measures partners
chose and lists what the board learned."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_dashboard import _sign_in
from tests.demo_process import Demo

pytestmark = pytest.mark.browser

MEASURES = (
    "I was listened to, and what I said changed something.",
    "The papers came in time for me to read them.",
    "I felt an equal partner in the room.",
)


def _saying(page: Any, words: str) -> Any:
    return page.locator('[data-testid="message"][data-from="bot"]').filter(has_text=words)


def _open(page: Any, demo: Demo, name: str) -> None:
    person = page.locator('[data-testid="person"]').filter(has_text=name).first
    page.goto(f"{demo.chat_url}#user={person.get_attribute('data-user-id')}")


def _send(page: Any, text: str) -> None:
    page.get_by_test_id("composer-input").fill(text)
    page.get_by_test_id("composer-send").click()


def _tap(message: Any, label: str) -> None:
    message.get_by_test_id("inline-button").filter(has_text=label).first.click()


def test_amina_sees_the_open_agenda_item_and_the_boards_learning(
    demo: Demo, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(demo.chat_url)
    expect(page.locator('[data-testid="person"]').first).to_be_visible()
    _open(page, demo, "Amina")
    # The outbox sends one message a second to her chat; the learning comes after the rest.
    learning = _saying(page, "A clinician on the board said")
    expect(learning).to_have_count(1, timeout=30_000)
    expect(learning).to_contain_text("Three teams write our discharge letters")
    _tap(learning, "This helps")
    expect(_saying(page, "I'll let the board know it helped")).to_have_count(1)

    _send(page, "/agenda")
    item = _saying(page, "Paying partners for reading time")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("2 partners support this")
    expect(item.get_by_test_id("inline-button").filter(has_text="I support this")).to_be_visible()
    expect(_saying(page, "Waiting times for the falls clinic (yours)")).to_contain_text(
        "On the agenda for Frailty pathway board"
    )


def test_the_dashboard_charts_three_measures_and_lists_the_boards_learnings(
    demo: Demo, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    origin = _sign_in(page, demo)
    page.get_by_role("navigation").get_by_role("link", name="What matters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What matters to us")
    expect(page.get_by_role("heading", level=3)).to_have_text(list(MEASURES))
    expect(page.locator(".chart polyline")).to_have_count(3)  # a line for each measure
    for table in page.locator("table").all():
        expect(table.locator("tbody tr")).to_have_count(4)  # four months of ratings
    expect(page.locator("details summary")).to_have_text(["1 comment(s), without names"] * 2)

    page.goto(f"{origin}/dashboard/learnings")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Clinician")).to_contain_text("Three teams write")
    expect(rows.filter(has_text="Manager")).to_contain_text("eight days ahead")


def test_the_readme_walkthrough_amina_proposes_and_margaret_accepts(
    demo: Demo, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(demo.chat_url)
    expect(page.locator('[data-testid="person"]').first).to_be_visible()
    _open(page, demo, "Amina")
    _send(page, "/propose")
    expect(_saying(page, "What would you like the board to talk about?")).to_have_count(1)
    _send(page, "Parking at the day hospital")
    expect(_saying(page, "Why does it matter to you?")).to_have_count(1)
    _send(page, "People miss appointments because there is nowhere to park.")
    linking = _saying(page, "link one of your reflections")
    expect(linking).to_have_count(1)
    _tap(linking, "No, thanks")
    preview = _saying(page, "Here is your item")
    expect(preview).to_contain_text("Parking at the day hospital")
    _tap(preview, "Share it with my group")
    _send(page, "/agenda")
    expect(_saying(page, "Parking at the day hospital (yours)")).to_have_count(1)

    _open(page, demo, "Margaret")
    told = _saying(page, "A partner suggested an item for the board")
    expect(told).to_contain_text("Parking at the day hospital", timeout=30_000)
    _send(page, "/agenda")
    card = _saying(page, "Parking at the day hospital").filter(has_text="From Amina")
    expect(card).to_have_count(1)
    _tap(card, "Accept")
    choose = _saying(page, "Which meeting should")
    expect(choose).to_have_count(1)
    _tap(choose, "Frailty pathway board")
    expect(_saying(page, "is on the agenda for")).to_contain_text("Parking at the day hospital")

    _open(page, demo, "Amina")
    good_news = _saying(page, "Good news. Your item")
    expect(good_news).to_contain_text("Parking at the day hospital", timeout=30_000)
