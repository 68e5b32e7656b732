"""The demo's partners who read in another language (issue 19), in a real browser: Layla's
chat is in Arabic and reads right to left, with her journal entry kept as she wrote it; she
switches to Polish with /language and the next message follows; Zofia's is in Polish."""

from __future__ import annotations

from typing import Any

import pytest

from bot.demo.speakers import LAYLA_WROTE
from bot.library import languages
from bot.library.catalogue import Library
from tests.browser.test_demo_coproduction import _open, _saying, _send, _tap
from tests.demo_process import Demo
from tests.e2e.test_languages import plain

pytestmark = pytest.mark.browser


def test_layla_reads_arabic_right_to_left_and_switches_to_polish(
    demo: Demo, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(demo.chat_url)
    expect(page.locator('[data-testid="person"]').first).to_be_visible()
    _open(page, demo, "Layla")
    own = page.locator('[data-testid="message"]').filter(has_text=LAYLA_WROTE)
    expect(own).to_have_count(1)  # her journal entry, in Arabic, as she typed it
    _send(page, "/settings")
    settings = _saying(page, plain("ar", "settings.buttons.language", language="العربية"))
    expect(settings.get_by_test_id("inline-button")).not_to_have_count(0)
    text = settings.last.get_by_test_id("message-text")
    direction = text.evaluate("node => getComputedStyle(node).direction")
    assert direction == "rtl"  # Arabic shows right to left, as on a phone
    _tap(settings.last, plain("ar", "settings.buttons.language", language="العربية"))
    menu = _saying(page, plain("ar", "language.choose", language="العربية").splitlines()[0])
    expect(menu).to_have_count(1)
    _tap(menu, "Polski")
    changed = _saying(page, plain("pl", "language.changed", language="Polski").splitlines()[0])
    expect(changed).to_have_count(1)
    direction = changed.get_by_test_id("message-text").evaluate(
        "node => getComputedStyle(node).direction"
    )
    assert direction == "ltr"


def test_zofia_reads_in_polish(demo: Demo, browser_page: Any) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(demo.chat_url)
    expect(page.locator('[data-testid="person"]').first).to_be_visible()
    _open(page, demo, "Zofia")
    _send(page, "/library")
    intro = _saying(page, plain("pl", "library.intro").splitlines()[0])
    expect(intro.last).to_be_visible(timeout=15_000)
    with languages.speaking("pl"):
        topic = plain("pl", "library.topics.partnership")
        title = Library.load_or_fail().briefings["working-in-pairs"].meta.title
    _tap(intro.last, topic)
    expect(_saying(page, title).last).to_be_visible()  # its briefings, by their Polish titles
    _send(page, "/help")
    expect(_saying(page, "/language").last).to_be_visible()
