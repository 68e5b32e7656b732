"""Dashboard: involvement payments and expenses (issue 18). Coordinators, and facilitators
for the cohorts they run, see claims with filters (cohort, status, month), open one with its
receipt photos, and approve, query (the question goes to the partner in chat) or reject (with
a reason the partner is sent), then mark approved claims paid. Every view, receipt and
decision is audited by its route."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.responses import RedirectResponse, Response

from bot.domain import claims
from bot.domain.claims import ClaimFilter
from bot.domain.cohorts import cohorts_for
from bot.models import ClaimStatus
from bot.web.auth import RouteCall, staff_route
from bot.web.context import page

CLAIMS = "/dashboard/claims"
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def wanted(call: RouteCall) -> ClaimFilter:
    """The list's filters from the query string; anything unreadable is ignored."""
    cohort, status, month = call.query("cohort"), call.query("status"), call.query("month")
    return ClaimFilter(
        cohort_id=int(cohort) if cohort.isdigit() and len(cohort) < 10 else None,
        status=ClaimStatus(status) if status in {s.value for s in ClaimStatus} else None,
        month=month if _MONTH.match(month) else None,
    )


def _claim_id(call: RouteCall) -> int:
    return int(call.request.path_params["claim_id"])


def claims_page(call: RouteCall) -> Response:
    """GET /dashboard/claims: claims of the viewer's cohorts, filtered."""
    chosen = wanted(call)
    with call.dashboard.db.reading() as session:
        viewer = call.viewer.person_id
        found = claims.claim_list(session, viewer_id=viewer, wanted=chosen)
        cohorts = cohorts_for(session, person_id=viewer)
    call.audit.detail = (
        f"claims, {len(found)} shown, cohort={chosen.cohort_id or 'all'}, "
        f"status={chosen.status.value if chosen.status else 'all'}, month={chosen.month or 'all'}"
    )
    return page(
        call.request,
        "claims.html",
        {
            "found": found,
            "cohorts": cohorts,
            "chosen": chosen,
            "statuses": [s.value for s in ClaimStatus if s != ClaimStatus.DRAFT],
            "query": call.request.url.query,
            "done": call.query("done"),
        },
    )


def claim_page(call: RouteCall) -> Response:
    """GET /dashboard/claims/{id}: one claim, its expenses and receipts, and the decisions."""
    with call.dashboard.db.reading() as session:
        found = claims.claim_for_staff(
            session, viewer_id=call.viewer.person_id, claim_id=_claim_id(call)
        )
    call.audit.subject = found.shown.claim.person_id
    return page(call.request, "claim.html", {"one": found, "done": call.query("done")})


def receipt_image(call: RouteCall) -> Response:
    """GET /dashboard/claims/{id}/receipts/{expense}: the receipt photo, never cached."""
    expense_id = int(call.request.path_params["expense_id"])
    with call.dashboard.db.reading() as session:
        data, kind = claims.receipt(
            session, viewer_id=call.viewer.person_id, claim_id=_claim_id(call),
            expense_id=expense_id,
        )  # fmt: skip
    media = kind if kind in ("image/jpeg", "image/png", "image/webp") else "image/jpeg"
    return Response(data, media_type=media, headers={"Content-Disposition": "inline"})


def _decided(call: RouteCall, done: str, decide: Callable[..., object], **typed: str) -> Response:
    """One decision on the claim the path names, as the viewer; back to the claim."""
    claim_id = _claim_id(call)
    with call.dashboard.db.transaction() as session:
        decide(
            session,
            viewer_id=call.viewer.person_id,
            claim_id=claim_id,
            clock=call.dashboard.clock,
            **typed,
        )
    return RedirectResponse(f"{CLAIMS}/{claim_id}?done={done}", 303)


def approve(call: RouteCall) -> Response:
    """POST /dashboard/claims/{id}/approve: approved for payment; the partner is told."""
    return _decided(call, "approved", claims.approve)


def query(call: RouteCall) -> Response:
    """POST /dashboard/claims/{id}/query: a question sent to the partner in chat."""
    return _decided(call, "queried", claims.query, text=call.field("question"))


def reject(call: RouteCall) -> Response:
    """POST /dashboard/claims/{id}/reject: not approved; the partner is sent the reason."""
    return _decided(call, "rejected", claims.reject, reason=call.field("reason"))


def paid(call: RouteCall) -> Response:
    """POST /dashboard/claims/{id}/paid: finance has paid it; the partner is told."""
    return _decided(call, "paid", claims.mark_paid)


list_route = staff_route(claims_page, action="dashboard.view_claims")
detail_route = staff_route(claim_page, action="dashboard.view_claim")
receipt_route = staff_route(receipt_image, action="dashboard.view_receipt")
approve_route = staff_route(approve, action="dashboard.claim_approve")
query_route = staff_route(query, action="dashboard.claim_query")
reject_route = staff_route(reject, action="dashboard.claim_reject")
paid_route = staff_route(paid, action="dashboard.claim_paid")
