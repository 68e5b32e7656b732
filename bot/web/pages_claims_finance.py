"""Dashboard: claims for finance (issue 18). Approved claims (or paid ones) exported per
person and month with totals, as CSV (UTF-8 with a BOM) and XLSX; and each cohort's payment
rules, which only coordinators change. Exports and changes are audited by their routes."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from io import BytesIO

from starlette.responses import RedirectResponse, Response, StreamingResponse

from bot.domain import claims
from bot.domain.claims import FinanceLine
from bot.domain.cohorts import cohorts_for
from bot.web.auth import RouteCall, staff_route
from bot.web.context import page
from bot.web.exports import FORMULA_STARTS, csv_stream, disposition
from bot.web.pages_claims import CLAIMS, wanted

HEADER = (
    "month",
    "group",
    "person",
    "name",
    "claims",
    "hours",
    "fees (GBP)",
    "expenses (GBP)",
    "expense details",
    "total (GBP)",
)


def _lines_of(call: RouteCall) -> list[FinanceLine]:
    with call.dashboard.db.reading() as session:
        return claims.finance_lines(session, viewer_id=call.viewer.person_id, wanted=wanted(call))


def _safe(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _rows(lines: list[FinanceLine]) -> Iterator[list[object]]:
    """One row per person and month, then a total row; amounts exact (Decimal)."""
    for line in lines:
        details = "; ".join(f"{name} {amount}" for name, amount in line.expenses.items())
        yield [
            line.month, line.cohort, line.person_id, line.name, line.claims, line.hours,
            line.fees, line.expenses_total, details, line.total,
        ]  # fmt: skip
    yield [
        "total", "", "", "", sum(x.claims for x in lines), claims.total(x.hours for x in lines),
        claims.total(x.fees for x in lines), claims.total(x.expenses_total for x in lines), "",
        claims.total(x.total for x in lines),
    ]  # fmt: skip


def _start(call: RouteCall, kind: str, lines: list[FinanceLine]) -> str:
    chosen = wanted(call)
    call.audit.detail = (
        f"claims.{kind}, {len(lines)} line(s), cohort={chosen.cohort_id or 'all'}, "
        f"month={chosen.month or 'all'}"
    )
    return f"tandem-claims-{call.dashboard.clock.now():%Y%m%d-%H%M}.{kind}"


def export_csv(call: RouteCall) -> Response:
    """GET /dashboard/claims/export.csv: approved claims per person and month, with totals."""
    lines = _lines_of(call)
    filename = _start(call, "csv", lines)
    return StreamingResponse(
        csv_stream(HEADER, _rows(lines)),
        media_type="text/csv; charset=utf-8",
        headers=disposition(filename),
    )


def export_xlsx(call: RouteCall) -> Response:
    """GET /dashboard/claims/export.xlsx: the same, as a workbook; amounts are numbers
    shown with two decimal places."""
    from openpyxl import Workbook  # only here: importing it slows every start (issue 16)

    lines = _lines_of(call)
    filename = _start(call, "xlsx", lines)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Claims"
    sheet.append(list(HEADER))
    for row in _rows(lines):
        sheet.append([_safe(v) for v in row])
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    buffer = BytesIO()
    workbook.save(buffer)
    return Response(
        buffer.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=disposition(filename),
    )


def rules_page(call: RouteCall) -> Response:
    """GET /dashboard/claims/rules: each cohort's payment rules (coordinators change them)."""
    with call.dashboard.db.reading() as session:
        cohorts = cohorts_for(session, person_id=call.viewer.person_id)
        shown = [(c, claims.rules_for(session, cohort_id=c.id or 0)) for c in cohorts]
    call.audit.detail = f"payment rules, {len(shown)} group(s)"
    return page(call.request, "claims_rules.html", {"shown": shown, "done": call.query("done")})


def save_rules(call: RouteCall) -> Response:
    """POST /dashboard/claims/rules/{cohort}: a coordinator sets a cohort's payment rules."""
    cohort_id = int(call.request.path_params["cohort_id"])
    with call.dashboard.db.transaction() as session:
        claims.set_rules(
            session,
            cohort_id=cohort_id,
            hourly=call.field("hourly"),
            per_session=call.field("session"),
            expenses=call.field("expenses"),
            receipt_over=call.field("receipt_over"),
            clock=call.dashboard.clock,
        )
    call.audit.detail = "payment rules changed"
    return RedirectResponse(f"{CLAIMS}/rules?done=saved", 303)


csv_route = staff_route(export_csv, action="dashboard.export")
xlsx_route = staff_route(export_xlsx, action="dashboard.export")
rules_route = staff_route(rules_page, action="dashboard.view_payment_rules")
save_rules_route = staff_route(save_rules, action="dashboard.payment_rules", coordinator=True)
