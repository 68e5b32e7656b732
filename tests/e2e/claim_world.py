"""Helpers for the claims tests (issue 18): a cohort with payment rules, a meeting that has
happened with its attendance confirmed, and a browser signed in to the dashboard."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from bot.db import Database
from bot.domain import attendance, claims, weblogin
from bot.domain.clock import FakeClock
from bot.models import Claim, Cohort, Meeting
from tests.e2e.conftest import BotHarness
from tests.factories import make_meeting


def set_rules(db: Database, clock: FakeClock, cohort: Cohort, **typed: str | None) -> None:
    """A cohort's payment rules, as a coordinator would type them."""
    values = {"hourly": None, "per_session": None, "expenses": "", "receipt_over": None}
    with db.transaction() as session:
        claims.set_rules(session, cohort_id=cohort.id or 0, clock=clock, **(values | typed))  # type: ignore[arg-type]


def attended_meeting(
    db: Database,
    clock: FakeClock,
    cohort: Cohort,
    *,
    by: int,
    there: list[int],
    title: str = "Frailty board",
) -> Meeting:
    """A two-hour meeting that has just happened, its attendance confirmed by `by`."""
    meeting = make_meeting(
        db, clock, cohort, title=title, starts_at=clock.now() + timedelta(hours=1)
    )
    clock.advance(timedelta(hours=4))
    with db.transaction() as session:
        attendance.confirm_attendance(
            session, meeting_id=meeting.id or 0, person_id=by, attended=there, clock=clock
        )
    return meeting


def claim_of(db: Database, person_id: int, meeting_id: int) -> Claim:
    """The partner's claim for a meeting, as stored."""
    with db.reading() as session:
        found = claims.my_claims(session, person_id=person_id).claims
    return next(c.claim for c in found if c.claim.meeting_id == meeting_id)


async def signed_in(
    bot: BotHarness, db: Database, clock: FakeClock, person_id: int
) -> tuple[httpx.AsyncClient, str]:
    """A browser signed in to the bot's own dashboard, and the CSRF token of its forms."""
    assert bot.runner is not None
    base = bot.runner.web.url
    with db.transaction() as session:
        token = weblogin.issue_link(session, person_id=person_id, clock=clock)
    web = httpx.AsyncClient(base_url=base, follow_redirects=False)
    await web.get(f"/login/{token}")
    assert (await web.post(f"/login/{token}")).status_code == 303
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', (await web.get("/dashboard")).text)
    assert found
    return web, found.group(1)
