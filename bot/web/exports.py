"""Reflections as CSV or XLSX: one row per answer, honouring the page's filters, streamed.

The export walks the result a batch at a time (each batch its own short read), so memory
stays flat however many answers there are. Every export is recorded in the audit log with
its filters before the first byte goes out.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import datetime

from starlette.responses import Response, StreamingResponse

from bot.domain.reflection_search import ReflectionRow, batch, search
from bot.web import filters
from bot.web.auth import RouteCall, staff_route
from bot.web.context import local_time

HEADER = (
    "reflection",
    "finished",
    "cohort",
    "partner",
    "prompt set",
    "title",
    "meeting",
    "sharing",
    "flagged",
    "question",
    "answer",
    "score",
    "voice seconds",
    "language",
)
BATCH = 500
CHUNK = 64 * 1024
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV
# injection); such text gets a leading apostrophe, as OWASP advises.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _rows(call: RouteCall) -> Iterator[list[ReflectionRow]]:
    """Batches of matching reflections, each read in its own short transaction."""
    wanted = filters.parse(call.request.query_params, zone=call.viewer.time_zone)
    after = 0
    while True:
        with call.dashboard.db.reading() as session:
            found = batch(
                session,
                viewer_id=call.viewer.person_id,
                wanted=wanted,
                prompt_sets=call.dashboard.library.prompt_sets,
                after_id=after,
                size=BATCH,
            )
        if not found:
            return
        yield found
        after = found[-1].id


def _lines(call: RouteCall, found: list[ReflectionRow]) -> Iterator[list[object]]:
    with_names = call.query("names", "1") != "0"
    zone = call.viewer.time_zone
    for row in found:
        common: list[object] = [
            row.id,
            local_time(row.finished_at, zone, "%Y-%m-%d %H:%M"),
            row.cohort,
            (row.author or "") if with_names else "",
            row.prompt_set,
            row.title,
            row.meeting or "",
            row.sharing.value,
            "yes" if row.flagged else "no",
        ]
        for answer in row.answers:
            yield [
                *common,
                answer.question,
                answer.shown,
                "" if answer.number is None else answer.number,
                "" if answer.voice_seconds is None else answer.voice_seconds,
                answer.language,
            ]


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _start(call: RouteCall, kind: str) -> str:
    """Check the filter and scope (errors before streaming starts), audit, name the file."""
    wanted = filters.parse(call.request.query_params, zone=call.viewer.time_zone)
    with call.dashboard.db.reading() as session:
        total = search(
            session,
            viewer_id=call.viewer.person_id,
            wanted=wanted,
            prompt_sets=call.dashboard.library.prompt_sets,
            per_page=1,
        ).total
    names = "with names" if call.query("names", "1") != "0" else "without names"
    call.audit.detail = f"reflections.{kind}, {total} reflection(s), {names}; {wanted.describe()}"
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    return f"tandem-reflections-{stamp}.{kind}"


def disposition(filename: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    }


def csv_stream(header: tuple[str, ...], lines: Iterator[list[object]]) -> Iterator[str]:
    """CSV for a download: UTF-8 with a BOM (so Excel reads it right), the header at once
    (the browser shows the download start), then a chunk at a time; text a spreadsheet
    would run as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    yield buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for line in lines:
        writer.writerow([_safe(v) for v in line])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def export_csv(call: RouteCall) -> Response:
    """GET /dashboard/reflections/export.csv: streamed CSV (UTF-8 with a BOM for Excel)."""
    filename = _start(call, "csv")
    lines = (line for found in _rows(call) for line in _lines(call, found))
    return StreamingResponse(
        csv_stream(HEADER, lines),
        media_type="text/csv; charset=utf-8",
        headers=disposition(filename),
    )


def export_xlsx(call: RouteCall) -> Response:
    """GET /dashboard/reflections/export.xlsx: a workbook written row by row (openpyxl's
    write-only mode) to a spooled file, then streamed."""
    filename = _start(call, "xlsx")

    def produce() -> Iterator[bytes]:
        from openpyxl import Workbook  # only here: importing it slows every start (issue 16)

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Reflections")
        sheet.append(list(HEADER))
        for found in _rows(call):
            for line in _lines(call, found):
                sheet.append([_text_cell(sheet, v) for v in line])
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
            workbook.save(spool)
            spool.seek(0)
            while chunk := spool.read(CHUNK):
                yield chunk

    return StreamingResponse(
        produce(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=disposition(filename),
    )


def _text_cell(sheet: object, value: object) -> object:
    """Text stays text: openpyxl would otherwise store "=..." as a formula."""
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    cell.data_type = "s"
    return cell


csv_route = staff_route(export_csv, action="dashboard.export")
xlsx_route = staff_route(export_xlsx, action="dashboard.export")
