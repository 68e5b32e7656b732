"""What matters to us on the dashboard (issue 17): every measure a group adopted, charted
month by month (SVG with a table beside it), with comments partners shared (never a name);
CSV and Excel exports; a printable one-page summary for a board paper. Retired measures
keep their history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from starlette.responses import Response, StreamingResponse

from bot.domain.measures import measure_series
from bot.domain.measures.figures import MeasureSeries, by_cohort
from bot.domain.overview import cohort_summaries
from bot.web.auth import RouteCall, staff_route
from bot.web.charts import rating_chart
from bot.web.context import page
from bot.web.exports import FORMULA_STARTS, csv_stream, disposition

HEADER = (
    "group",
    "measure",
    "status",
    "adopted",
    "retired",
    "month",
    "mean",
    "ratings",
    "don't know",
)


def _cohort(call: RouteCall) -> int | None:
    """The group asked for (?cohort=ID), or None for every group the viewer runs."""
    chosen = call.query("cohort")
    return int(chosen) if chosen.isdigit() and len(chosen) < 10 else None


def _series(call: RouteCall) -> list[MeasureSeries]:
    with call.dashboard.db.reading() as session:
        return measure_series(session, viewer_id=call.viewer.person_id, cohort_id=_cohort(call))


def _month(month: str) -> str:
    """ "2026-11" as "Nov 2026"."""
    return datetime.strptime(month, "%Y-%m").strftime("%b %Y")


def _groups(series: list[MeasureSeries]) -> list[dict[str, object]]:
    """Each group's measures with a chart of their means, for the templates."""
    shown: list[dict[str, object]] = []
    for name, measures in by_cohort(series).items():
        lines: dict[str, list[tuple[str, float]]] = {
            one.measure.text: [
                (_month(month), figure.mean or 0.0)
                for month, figure in sorted(one.months.items())
                if figure.mean is not None
            ]
            for one in measures
        }
        chart = rating_chart(lines, label=f"What matters to {name}")
        shown.append({"name": name, "measures": measures, "chart": chart})
    return shown


def measures_page(call: RouteCall) -> Response:
    """GET /dashboard/measures: each group's measures over time, with shared comments."""
    series = _series(call)
    with call.dashboard.db.reading() as session:
        cohorts = cohort_summaries(session, viewer_id=call.viewer.person_id)
    call.audit.detail = f"measures, cohort={_cohort(call) or 'all'}"
    return page(
        call.request,
        "measures.html",
        {
            "groups": _groups(series),
            "cohorts": cohorts,
            "chosen": _cohort(call),
            "month_name": _month,
        },
    )


def summary_page(call: RouteCall) -> Response:
    """GET /dashboard/measures/summary: one printable page for a board paper."""
    series = _series(call)
    call.audit.detail = f"measures.summary, cohort={_cohort(call) or 'all'}"
    now = call.dashboard.clock.now()
    return page(
        call.request,
        "measures_summary.html",
        {"groups": _groups(series), "made": now, "month_name": _month},
    )


def _lines(series: list[MeasureSeries]) -> Iterator[list[object]]:
    for one in series:
        m = one.measure
        for month, figure in sorted(one.months.items()):
            yield [
                one.cohort,
                m.text,
                m.status.value,
                f"{m.adopted_at:%Y-%m-%d}" if m.adopted_at else "",
                f"{m.retired_at:%Y-%m-%d}" if m.retired_at else "",
                month,
                "" if figure.mean is None else figure.mean,
                figure.count,
                figure.dont_know,
            ]


def _safe(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _start(call: RouteCall, kind: str, series: list[MeasureSeries]) -> str:
    call.audit.detail = (
        f"measures.{kind}, {len(series)} measure(s), cohort={_cohort(call) or 'all'}"
    )
    return f"tandem-measures-{call.dashboard.clock.now():%Y%m%d-%H%M}.{kind}"


def export_csv(call: RouteCall) -> Response:
    """GET /dashboard/measures/export.csv: one row per measure and month."""
    series = _series(call)
    filename = _start(call, "csv", series)
    return StreamingResponse(
        csv_stream(HEADER, _lines(series)),
        media_type="text/csv; charset=utf-8",
        headers=disposition(filename),
    )


def export_xlsx(call: RouteCall) -> Response:
    """GET /dashboard/measures/export.xlsx: figures, and the comments partners shared."""
    from io import BytesIO

    from openpyxl import Workbook  # only here: importing it slows every start (issue 16)

    series = _series(call)
    filename = _start(call, "xlsx", series)
    workbook = Workbook(write_only=True)
    figures = workbook.create_sheet("Measures")
    figures.append(list(HEADER))
    for line in _lines(series):
        figures.append([_safe(value) for value in line])
    comments = workbook.create_sheet("Comments")
    comments.append(["group", "measure", "month", "comment (no names)"])
    for one in series:
        for month, words in one.comments:
            comments.append([_safe(v) for v in (one.cohort, one.measure.text, month, words)])
    buffer = BytesIO()
    workbook.save(buffer)
    return Response(
        buffer.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=disposition(filename),
    )


list_route = staff_route(measures_page, action="dashboard.view_measures")
summary_route = staff_route(summary_page, action="dashboard.view_measures")
csv_route = staff_route(export_csv, action="dashboard.export")
xlsx_route = staff_route(export_xlsx, action="dashboard.export")
