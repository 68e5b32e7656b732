"""The claim buttons the forged-buttons scenario collects (issue 18): Amina's offer after a
meeting she was confirmed at, its expense steps, a query to answer, her list; and Bill's
start of a claim for a meeting attended long ago (no longer offered, still claimable)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain import attendance, claims
from bot.domain.clock import FakeClock
from bot.models import Attendance, Claim, Cohort, Meeting
from bot.sandbox import ChatUser
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import settle_outbox
from tests.factories import make_meeting


async def _keyboards(user: ChatUser) -> set[str]:
    found = set()
    for message in await user.bot_messages():
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        found |= {b["callback_data"] for row in rows for b in row if "callback_data" in b}
    return found


def _old_attendance(db: Database, clock: FakeClock, cohort: Cohort, person_id: int) -> None:
    """A meeting Bill was at six weeks ago: past the offer, still his to claim."""
    with db.transaction() as session:
        held = Meeting(
            cohort_id=cohort.id or 0,
            title="Frailty board",
            starts_at=clock.now() - timedelta(days=42),
            ends_at=clock.now() - timedelta(days=42, hours=-2),
            planned_at=clock.now(),
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        session.add(held)
        session.flush()
        session.add(
            Attendance(
                meeting_id=held.id or 0,
                person_id=person_id,
                attended=True,
                confirmed_at=clock.now() - timedelta(days=41),
            )
        )


async def claim_buttons(
    bot: BotHarness,
    db: Database,
    clock: FakeClock,
    cohort: Cohort,
    users: tuple[ChatUser, ChatUser],
    ids: dict[str, int],
) -> set[str]:
    """Every claim button Amina and Bill are sent on the way."""
    amina, bill = users
    with db.transaction() as session:
        claims.set_rules(
            session, cohort_id=cohort.id or 0, hourly="20", per_session=None, expenses="travel",
            receipt_over=None, clock=clock,
        )  # fmt: skip
    meeting = make_meeting(db, clock, cohort, starts_at=clock.now() + timedelta(hours=1))
    clock.advance(timedelta(hours=4))
    with db.transaction() as session:
        attendance.confirm_attendance(
            session, meeting_id=meeting.id or 0, person_id=ids["Margaret"],
            attended=[ids["Amina"]], clock=clock,
        )  # fmt: skip
    _old_attendance(db, clock, cohort, ids["Bill"])
    await settle_outbox(bot, db)
    await amina.expect("Claim 2 hours")
    found = await _keyboards(amina)
    await amina.press("Yes, claim it")
    await amina.expect("Your claim has been sent")
    await amina.press("Add an expense")
    await amina.expect("What kind of expense")
    found |= await _keyboards(amina)
    await amina.press("Travel")
    await amina.expect("How much")
    await amina.send("5.40")
    await amina.expect("If you have a receipt")
    found |= await _keyboards(amina)
    await amina.press("No receipt")
    await amina.expect("The expense is added")
    with db.transaction() as session:
        claim = session.exec(select(Claim).where(Claim.person_id == ids["Amina"])).one()
        claims.query(
            session, viewer_id=ids["Margaret"], claim_id=claim.id or 0, text="Which bus?",
            clock=clock,
        )  # fmt: skip
    await settle_outbox(bot, db)
    await amina.expect("Which bus?")
    await amina.send("/claim")
    await amina.expect("Your claims")
    await bill.send("/claim")
    await bill.expect("Meetings you can claim for")
    found |= await _keyboards(bill)
    await bill.press("Claim for Frailty board, " + _day(clock, 42))
    await bill.expect("Your claim for Frailty board")
    return found | await _keyboards(amina) | await _keyboards(bill)


def _day(clock: FakeClock, days_ago: int) -> str:
    from bot.domain.when import local_date_label

    moment = clock.now() - timedelta(days=days_ago)
    return local_date_label(moment, "Europe/London", now=clock.now())
