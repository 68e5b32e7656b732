"""Small inline SVG charts for the dashboard: no JavaScript, no chart library.

Each chart is a `Markup` string safe to drop into an autoescaped Jinja2 template: every
label is escaped, and the figures are also said in words (`aria-label` and `<title>`) for
screen readers. Colours reach WCAG AA contrast on white; coordinates are rounded to one
decimal so the output is small and the same every time.
"""

from __future__ import annotations

import functools
import re

from markupsafe import Markup

BLUE = "#005eb8"  # NHS blue
TEXT = "#212b32"
GRID = "#768692"
OUTLINE = "#425563"
PALETTE = ("#005eb8", "#330072", "#007f3b", "#ae2573", "#8a4b00", "#006a78")
NO_DATA = "No data yet"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
LABEL_CHARS = 40
# Charts are drawn this many units wide and shown at most about that many pixels wide (see
# dashboard.css): on a 390 px phone screen a 13-unit label still shows at 13 px or more.
WIDTH = 340.0
FONT = 13


def _n(value: float) -> str:
    """A coordinate rounded to one decimal, without a trailing .0."""
    text = f"{round(value, 1):.1f}"
    return text[:-2] if text.endswith(".0") else text


def _clean(text: str) -> str:
    """Text without control characters (which XML refuses) or runs of spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    """Text cut to fit a label column, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _percent(value: float) -> str:
    """A 0..1 fraction as a whole percentage, halves rounded up."""
    return f"{int(max(0.0, min(1.0, value)) * 100 + 0.5)}%"


def _number(value: float, *, percent: bool) -> str:
    """A figure as shown beside a bar."""
    if percent:
        return _percent(value)
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _svg(*, width: float, height: float, words: str, body: Markup, shown: str = "100%") -> Markup:
    """The outer <svg> element, `shown` wide, labelled in words for screen readers."""
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{shown}" '
        'role="img" aria-label="{words}" class="chart"><title>{words}</title>{body}</svg>'
    ).format(w=_n(width), h=_n(height), shown=shown, words=_clean(words), body=body)


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = FONT) -> Markup:
    """One escaped text label."""
    return Markup(
        '<text x="{x}" y="{y}" font-size="{size}" fill="{fill}" text-anchor="{anchor}" '
        'font-family="Arial, sans-serif">{text}</text>'
    ).format(x=_n(x), y=_n(y), size=size, fill=TEXT, anchor=anchor, text=text)


def _no_data(label: str, *, width: float = WIDTH, height: float = 60) -> Markup:
    """A chart-sized box that says there is nothing to show yet."""
    body = _text(width / 2, height / 2 + 5, NO_DATA, anchor="middle", size=14)
    return _svg(width=width, height=height, words=f"{_clean(label)}: {NO_DATA}", body=body)


@functools.lru_cache(maxsize=1024)
def scale_chart(value: int | None, top: int) -> Markup:
    """One scale answer as a row of squares, the first `value` filled. Drawn once for each
    answer and scale (a page of reflections shows the same few again and again)."""
    top = max(top, 1)
    size, gap = 12.0, 4.0
    width = top * (size + gap) - gap
    if value is None:
        body = _text(0, 13, "Skipped", size=12)
        return _svg(width=60, height=16, words="Skipped", body=body, shown="4.5em")
    value = max(0, min(value, top))
    squares = Markup("").join(
        Markup(
            '<rect x="{x}" y="1" width="{s}" height="{s}" rx="2" fill="{fill}" '
            'stroke="{stroke}" stroke-width="1"/>'
        ).format(
            x=_n(i * (size + gap) + 0.5),
            s=_n(size - 1),
            fill=BLUE if i < value else "#ffffff",
            stroke=BLUE if i < value else OUTLINE,
        )
        for i in range(top)
    )
    words = f"{value} out of {top}"
    shown = f"{_n(width / 14)}em"  # about one square per em, whatever the page width
    return _svg(width=width, height=size + 2, words=words, body=squares, shown=shown)


def bar_chart(rows: list[tuple[str, float]], *, label: str, percent: bool = True) -> Markup:
    """Horizontal bars, one per row: the label on a line of its own, then the bar and its
    figure, so the chart stays narrow enough to read on a phone."""
    if not rows:
        return _no_data(label)
    bar_width, row_height = WIDTH - 50, 42.0
    top = 1.0 if percent else max((value for _, value in rows), default=0.0) or 1.0
    parts: list[Markup] = []
    spoken: list[str] = []
    for index, (name, value) in enumerate(rows):
        name = _clean(name)
        figure = _number(value, percent=percent)
        spoken.append(f"{name} {figure}")
        y = index * row_height + 2
        length = bar_width * max(0.0, min(value / top, 1.0))
        parts.append(_text(0, y + 13, _short(name)))
        parts.append(
            Markup('<rect x="0" y="{y}" width="{w}" height="16" fill="{fill}"/>').format(
                y=_n(y + 18), w=_n(length), fill=BLUE
            )
        )
        parts.append(_text(length + 6, y + 31, figure))
    words = f"{_clean(label)}: " + "; ".join(spoken)
    height = len(rows) * row_height + 2
    return _svg(width=WIDTH, height=height, words=words, body=Markup("").join(parts))


def _axes(*, left: float, right: float, top: float, bottom: float) -> Markup:
    """Horizontal grid lines at 0%, 50% and 100%, with their labels."""
    parts: list[Markup] = []
    for share in (0.0, 0.5, 1.0):
        y = bottom - (bottom - top) * share
        parts.append(
            Markup(
                '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}" stroke-width="0.5"/>'
            ).format(x1=_n(left), x2=_n(right), y=_n(y), c=GRID)
        )
        parts.append(_text(left - 6, y + 4, _percent(share), anchor="end"))
    return Markup("").join(parts)


def _legend(names: list[str], *, y: float) -> Markup:
    """A swatch and name for each series, one a row."""
    parts: list[Markup] = []
    for index, name in enumerate(names):
        row_y = y + index * 20
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            Markup('<rect x="0" y="{y}" width="12" height="12" fill="{c}"/>').format(
                y=_n(row_y), c=colour
            )
        )
        parts.append(_text(18, row_y + 11, _short(name)))
    return Markup("").join(parts)


def _step_label(x: float, y: float, step: str) -> Markup:
    """A step's name under the axis; "Mar 2026" on two lines, so six months fit a phone."""
    head, _, tail = _clean(step).rpartition(" ")
    if not head:
        return _text(x, y, tail, anchor="middle")
    return _text(x, y, head, anchor="middle") + _text(x, y + 15, tail, anchor="middle")


def line_chart(series: dict[str, list[tuple[str, float]]], *, label: str) -> Markup:
    """Response rate over time: one line with points per series, and a legend."""
    named = {_clean(name): points for name, points in series.items() if points}
    if not named:
        return _no_data(label)
    steps: list[str] = []
    for points in named.values():
        steps.extend(step for step, _ in points if step not in steps)
    left, right, top, bottom = 44.0, WIDTH - 20, 10.0, 170.0
    span = (right - left) / max(len(steps) - 1, 1)

    def x_of(step: str) -> float:
        return (left + right) / 2 if len(steps) == 1 else left + steps.index(step) * span

    parts = [_axes(left=left, right=right, top=top, bottom=bottom)]
    parts.extend(_step_label(x_of(step), bottom + 17, step) for step in steps)
    spoken: list[str] = []
    for index, (name, points) in enumerate(named.items()):
        colour = PALETTE[index % len(PALETTE)]
        xy = [(x_of(step), bottom - (bottom - top) * max(0.0, min(v, 1.0))) for step, v in points]
        parts.extend(_line(xy, colour))
        said = ", ".join(f"{_clean(step)} {_percent(value)}" for step, value in points)
        spoken.append(f"{name}: {said}")
    return _with_legend(parts, list(named), bottom, f"{_clean(label)}. " + "; ".join(spoken))


def rating_chart(
    series: dict[str, list[tuple[str, float]]], *, label: str, low: int = 1, high: int = 5
) -> Markup:
    """Mean ratings over time (issue 17, measures): one line per measure on a `low`..`high`
    scale, the months along the bottom, and a legend."""
    named = {_clean(name): points for name, points in series.items() if points}
    if not named:
        return _no_data(label)
    steps: list[str] = []
    for points in named.values():
        steps.extend(step for step, _ in points if step not in steps)
    steps.sort()
    left, right, top, bottom = 30.0, WIDTH - 20, 10.0, 170.0
    span = (right - left) / max(len(steps) - 1, 1)

    def x_of(step: str) -> float:
        return (left + right) / 2 if len(steps) == 1 else left + steps.index(step) * span

    def y_of(value: float) -> float:
        share = (max(low, min(value, high)) - low) / max(high - low, 1)
        return bottom - (bottom - top) * share

    parts: list[Markup] = []
    for mark in range(low, high + 1):
        y = y_of(mark)
        parts.append(
            Markup(
                '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}" stroke-width="0.5"/>'
            ).format(x1=_n(left), x2=_n(right), y=_n(y), c=GRID)
        )
        parts.append(_text(left - 6, y + 4, str(mark), anchor="end"))
    parts.extend(_step_label(x_of(step), bottom + 17, step) for step in steps)
    spoken: list[str] = []
    for index, (name, points) in enumerate(named.items()):
        colour = PALETTE[index % len(PALETTE)]
        xy = [(x_of(step), y_of(value)) for step, value in points]
        parts.extend(_line(xy, colour))
        said = ", ".join(f"{_clean(step)} {value:.1f}" for step, value in points)
        spoken.append(f"{name}: {said}")
    words = f"{_clean(label)} (mean rating, {low} to {high}). " + "; ".join(spoken)
    return _with_legend(parts, list(named), bottom, words)


def _line(xy: list[tuple[float, float]], colour: str) -> list[Markup]:
    """One series: a line through its points, with a dot on each."""
    line = Markup('<polyline points="{p}" fill="none" stroke="{c}" stroke-width="2"/>').format(
        p=" ".join(f"{_n(x)},{_n(y)}" for x, y in xy), c=colour
    )
    dots = [
        Markup('<circle cx="{x}" cy="{y}" r="3.5" fill="{c}"/>').format(x=_n(x), y=_n(y), c=colour)
        for x, y in xy
    ]
    return [line, *dots]


def _with_legend(parts: list[Markup], names: list[str], bottom: float, words: str) -> Markup:
    """The chart's parts with a legend of its series under them, as one SVG."""
    legend_y = bottom + 44
    parts.append(_legend(names, y=legend_y))
    height = legend_y + len(names) * 20
    return _svg(width=WIDTH, height=height, words=words, body=Markup("").join(parts))
