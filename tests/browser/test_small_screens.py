"""The dashboard on a phone (390 x 844, an iPhone 12-15): chart text is at least 12 px as
drawn at that width, and nothing but a table's own scrolling box runs off the side."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_dashboard import _sign_in
from tests.demo_process import Demo

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
STAFF_PAGES = (
    "/dashboard",
    "/dashboard/broadcasts",
    "/dashboard/broadcasts/new",
    "/dashboard/meetings",
    "/dashboard/reflections",
)

# Every chart's text as drawn: its font size scaled by how wide the SVG is shown against
# how wide its viewBox is (an SVG shrunk to fit a phone shrinks its text with it).
CHART_TEXT = """() => [...document.querySelectorAll('.chart svg')].flatMap(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => ({
    text: t.textContent,
    shown: parseFloat(getComputedStyle(t).fontSize) * scale,
    height: t.getBoundingClientRect().height,
  }));
})"""

# Elements that reach past the right edge of the screen, other than inside a table's box.
OVERFLOW = """() => [...document.body.querySelectorAll('*')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(e => !e.closest('.table-wrap'))
  .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.slice(0, 40)}`)"""

TABLES = """() => [...document.querySelectorAll('.table-wrap')].map(w => ({
  overflow: getComputedStyle(w).overflowX,
  scrolls: w.scrollWidth > w.clientWidth,
  fits: w.getBoundingClientRect().right <= window.innerWidth + 0.5,
}))"""


def test_participation_and_staff_pages_read_on_a_phone(demo: Demo, browser_page: Any) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    origin = _sign_in(page, demo)
    page.goto(f"{origin}/dashboard/participation")

    texts = page.evaluate(CHART_TEXT)
    assert len(texts) >= 6, texts  # the demo's meetings, partners and months are charted
    small = [t for t in texts if t["shown"] < 12 or t["height"] < 12]
    assert not small, small

    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(OVERFLOW) == []
    tables = page.evaluate(TABLES)
    assert len(tables) == 3
    for table in tables:
        assert table == {"overflow": "auto", "scrolls": True, "fits": True}

    for path in STAFF_PAGES:
        page.goto(f"{origin}{path}")
        assert page.evaluate(OVERFLOW) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
