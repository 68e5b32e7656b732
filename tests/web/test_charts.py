"""Inline SVG charts: figures said in words, labels escaped, valid XML every time."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from markupsafe import Markup

from bot.web.charts import bar_chart, line_chart, rating_chart, scale_chart

SVG = "{http://www.w3.org/2000/svg}"
ATTACK = '<script>alert("hi")</script> & Co'


def _parse(chart: Markup) -> ET.Element:
    assert isinstance(chart, Markup)
    root = ET.fromstring(str(chart))  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None
    return root


def _texts(root: ET.Element) -> list[str]:
    return [node.text or "" for node in root.iter(f"{SVG}text")]


def test_scale_chart_fills_the_answer_and_says_it() -> None:
    root = _parse(scale_chart(4, 5))
    assert root.get("aria-label") == "4 out of 5"
    assert root.findtext(f"{SVG}title") == "4 out of 5"
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    assert fills == ["#005eb8"] * 4 + ["#ffffff"]


def test_scale_chart_says_skipped() -> None:
    root = _parse(scale_chart(None, 5))
    assert root.get("aria-label") == "Skipped"
    assert _texts(root) == ["Skipped"]


def test_a_scale_chart_drawn_again_is_the_same_drawing_and_others_differ() -> None:
    fresh = scale_chart.__wrapped__  # the same drawing, without the cache
    for value, top in [(3, 5), (None, 5), (0, 10), (7, 5)]:
        first = scale_chart(value, top)
        again = scale_chart(value, top)
        assert again is first  # drawn once
        assert isinstance(again, Markup) and again == fresh(value, top)
    assert scale_chart(3, 5) != scale_chart(4, 5)
    assert scale_chart(3, 5) != scale_chart(3, 10)
    assert scale_chart(None, 5) != scale_chart(0, 5)
    assert _parse(scale_chart(4, 5)).get("aria-label") == "4 out of 5"
    assert _parse(scale_chart(2, 10)).get("aria-label") == "2 out of 10"


def test_bar_chart_says_each_figure_as_a_percentage() -> None:
    rows = [("Board 10 March", 2 / 3), ("Board 20 March", 0.0)]
    root = _parse(bar_chart(rows, label="Response rate by meeting"))
    assert root.get("aria-label") == (
        "Response rate by meeting: Board 10 March 67%; Board 20 March 0%"
    )
    assert _texts(root) == ["Board 10 March", "67%", "Board 20 March", "0%"]
    widths = [float(rect.get("width", "")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] > 0 and widths[1] == 0


def test_bar_chart_counts_without_percent() -> None:
    root = _parse(bar_chart([("Amina", 3), ("Ben", 1.5)], label="Reflections", percent=False))
    assert root.get("aria-label") == "Reflections: Amina 3; Ben 1.5"


def test_partner_written_labels_are_escaped() -> None:
    for chart in (
        bar_chart([(ATTACK, 0.5)], label=ATTACK),
        line_chart({ATTACK: [("Mar 2026", 0.5)]}, label=ATTACK),
        bar_chart([], label=ATTACK),
    ):
        assert "<script>" not in chart
        assert "&lt;script&gt;" in chart
        root = _parse(chart)
        assert '<script>alert("hi")</script>' in (root.get("aria-label") or "")
        assert not list(root.iter(f"{SVG}script"))


def test_control_characters_do_not_break_the_xml() -> None:
    root = _parse(bar_chart([("Amina\x00\x1b Jones", 1.0)], label="Rate"))
    assert root.get("aria-label") == "Rate: Amina Jones 100%"


@pytest.mark.parametrize(
    "chart",
    [
        pytest.param(lambda: bar_chart([], label="Response rate"), id="bar"),
        pytest.param(lambda: line_chart({}, label="Response rate"), id="line"),
        pytest.param(lambda: line_chart({"Frailty": []}, label="Response rate"), id="line-empty"),
    ],
)
def test_empty_input_says_no_data_yet(chart: Callable[[], Markup]) -> None:
    root = _parse(chart())
    assert root.get("aria-label") == "Response rate: No data yet"
    assert _texts(root) == ["No data yet"]


def test_line_chart_draws_a_line_per_cohort_with_a_legend() -> None:
    series = {
        "Frailty pathway": [("Jan", 0.5), ("Feb", 0.75)],
        "Maternity voices": [("Jan", 1.0), ("Feb", 0.25)],
    }
    chart = line_chart(series, label="Response rate by month")
    root = _parse(chart)
    assert root.get("aria-label") == (
        "Response rate by month. Frailty pathway: Jan 50%, Feb 75%; "
        "Maternity voices: Jan 100%, Feb 25%"
    )
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2
    assert lines[0].get("stroke") != lines[1].get("stroke")
    assert len(list(root.iter(f"{SVG}circle"))) == 4
    assert {"Frailty pathway", "Maternity voices", "Jan", "Feb"} <= set(_texts(root))
    assert chart == line_chart(series, label="Response rate by month")  # deterministic


def test_line_chart_with_one_point() -> None:
    root = _parse(line_chart({"Frailty pathway": [("Mar 2026", 0.5)]}, label="Rate"))
    assert root.get("aria-label") == "Rate. Frailty pathway: Mar 2026 50%"
    [point] = root.iter(f"{SVG}circle")
    assert float(point.get("cx", "")) > 100  # centred, not squeezed against the axis


def test_coordinates_are_rounded_to_one_decimal() -> None:
    chart = str(bar_chart([("A", 1 / 3), ("B", 1 / 7)], label="Rate"))
    root = ET.fromstring(chart)  # noqa: S314 (our own output)
    for node in root.iter():
        for name in ("x", "y", "width", "cx", "cy"):
            value = node.get(name)
            if value is not None and value != "100%":
                assert len(value.partition(".")[2]) <= 1, (name, value)


def test_chart_text_stays_at_least_12_px_on_a_390_px_phone() -> None:
    # A 390 px screen leaves 358 px for a chart (1 rem padding each side); the SVG is shrunk
    # to fit, and its text with it (tests/browser/test_small_screens.py measures it too).
    charts = [
        bar_chart([("A meeting with a rather long title, 12 Mar", 0.5)], label="Rate"),
        line_chart(
            {f"Group {n}": [("Jan 2026", 0.5), ("Feb 2026", 1.0)] for n in range(3)}, label="Rate"
        ),
        bar_chart([], label="Rate"),
    ]
    for chart in charts:
        root = _parse(chart)
        width = float((root.get("viewBox") or "").split()[2])
        scale = min(1.0, 358 / width)
        sizes = {float(node.get("font-size", "")) for node in root.iter(f"{SVG}text")}
        assert sizes and min(sizes) * scale >= 12, (width, sizes)


def test_rating_chart_draws_each_measure_on_a_one_to_five_scale() -> None:
    """Measures (issue 17): a line per measure, months in order, figures said in words."""
    root = _parse(
        rating_chart(
            {ATTACK: [("2026-12", 2.0), ("2026-11", 4.5)], "Letters are clear": [("2026-12", 5)]},
            label="What matters to Frailty",
        )
    )
    words = root.get("aria-label") or ""
    assert "mean rating, 1 to 5" in words and "2026-11 4.5" in words
    assert ATTACK in _texts(root) or any(ATTACK[:20] in t for t in _texts(root))
    assert [t for t in _texts(root) if t in "12345"][:5] == ["1", "2", "3", "4", "5"]
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    empty = _parse(rating_chart({}, label="Nothing"))
    assert "No data yet" in (empty.get("aria-label") or "")
