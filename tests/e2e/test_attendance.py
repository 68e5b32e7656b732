"""/attendance (issue 18), through the sandbox: after a meeting its facilitator gets one
gentle nudge, opens the sheet pre-filled from RSVPs, ticks a partner who came after all,
confirms it (said back in place), and the list shows it confirmed. Another group's
facilitator can neither see nor confirm the sheet, even with forged buttons."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain.attendance import meetings_attended
from bot.domain.clock import FakeClock
from bot.domain.meetings import set_rsvp
from bot.models import Attendance, Role
from bot.sandbox import SandboxClient
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox, stored_person
from tests.factories import make_cohort, make_meeting


def _attendance(db: Database) -> list[tuple[int, bool]]:
    with db.reading() as session:
        rows = session.exec(select(Attendance)).all()
    return sorted((a.person_id, a.attended) for a in rows)


async def test_a_facilitator_confirms_who_came_after_one_nudge(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort, other = make_cohort(db, clock), make_cohort(db, clock, "Stroke services")
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    priya = await person(telegram, db, clock, other, "Priya", Role.FACILITATOR)
    await person(telegram, db, clock, cohort, "Amina")
    await person(telegram, db, clock, cohort, "Bill")
    amina, bill = stored_person(db, name="Amina").id or 0, stored_person(db, name="Bill").id or 0
    meeting = make_meeting(
        db, clock, cohort, title="Frailty board", starts_at=NOW + timedelta(days=1)
    )
    with db.transaction() as session:
        set_rsvp(session, meeting_id=meeting.id or 0, person_id=amina, attending=True, clock=clock)
        set_rsvp(session, meeting_id=meeting.id or 0, person_id=bill, attending=False, clock=clock)

    # Nothing to confirm before the meeting has begun.
    await margaret.send("/attendance")
    await margaret.expect("No meetings have happened yet")

    # Three hours after it ends, Margaret is asked once; Priya (another group) is not.
    clock.set(meeting.ends_at + timedelta(hours=3))
    await settle_outbox(bot, db)
    nudge = await margaret.expect("Frailty board")
    assert "has finished. Who came?" in nudge["text"]
    await settle_outbox(bot, db)
    await margaret.expect_silence()
    assert "Frailty board" not in await priya.transcript()

    await margaret.press("Check who came")
    sheet = await margaret.expect("Tap a name to tick or untick it")
    assert "✓ Amina (said yes)" in sheet["text"] and "✗ Bill (said no)" in sheet["text"]

    # Another group's facilitator: nothing shown, nothing changed.
    await priya.send("/attendance")
    assert "Frailty board" not in (await priya.expect("No meetings have happened yet"))["text"]
    for forged in (
        callbacks.ATTENDANCE_SHEET(meeting.id or 0),
        callbacks.ATTENDANCE_TICK(meeting.id or 0, bill),
        callbacks.ATTENDANCE_CONFIRM(meeting.id or 0),
    ):
        await priya.forge_press(forged)
        refused = await priya.expect("isn't one of yours")
        assert "Amina" not in refused["text"]
    assert _attendance(db) == []

    # Bill came after all: one tap ticks him, said in place.
    await margaret.press("✗ Bill")
    ticked = await margaret.expect("✓ Bill (said no)")
    assert "✓ Amina" in ticked["text"]
    await margaret.press("Confirm (2 came)")
    saved = await margaret.expect("Saved. 2 of 2 lay partners came to")
    assert "Frailty board" in saved["text"]
    assert _attendance(db) == sorted([(amina, True), (bill, True)])
    with db.reading() as session:
        assert [m.title for m in meetings_attended(session, person_id=bill)] == ["Frailty board"]

    await margaret.press("Back to the list")
    listed = await margaret.expect("Confirmed")
    assert "Frailty board" in listed["text"] and "2 of 2 came" in listed["text"]


async def test_the_nudge_waits_for_the_end_of_the_facilitators_quiet_hours(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(
        telegram, db, clock, cohort, "Margaret", Role.FACILITATOR, quiet=(21 * 60, 8 * 60)
    )
    await person(telegram, db, clock, cohort, "Amina")
    evening = NOW.replace(hour=18) + timedelta(days=1)  # Tuesday 18:00 to 20:00, UK time
    make_meeting(db, clock, cohort, title="Evening board", starts_at=evening)

    clock.set(evening + timedelta(hours=4, minutes=30))  # 22:30: quiet
    await settle_outbox(bot, db)
    await margaret.expect_silence()
    assert "Evening board" not in await margaret.transcript()
    clock.set(evening + timedelta(hours=14, minutes=30))  # 08:30 the next morning
    await settle_outbox(bot, db)
    await margaret.expect("Evening board")
