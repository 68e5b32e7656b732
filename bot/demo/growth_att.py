"""The demo's attendance and records of contribution (issue 18): Margaret confirmed who came
to each past board meeting (from what partners said, with everyone who said nothing there
too), and Amina's record has two achievements she added and an endorsement from Margaret
that she approved, so /record gives a PDF worth downloading. Dev's record shows his
meetings, for his job application.

Everything goes through the domain, with a clock reading when it happened. The notice that
asked Amina about the endorsement is of something settled before the demo began: it is
cancelled, so her chat is not interrupted when the demo starts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.db import Database
from bot.demo.seed import COHORT, by_first_name
from bot.domain import record
from bot.domain.attendance import attendance_sheet, confirm_attendance
from bot.domain.clock import Clock, FakeClock
from bot.domain.cohorts import get_cohort
from bot.domain.outbox import cancel_pending
from bot.models import Delivery, Meeting, MeetingStatus

ACHIEVEMENTS = (
    (
        "Spoke at the Frailty board about discharge letters",
        "Told the board what the letters are like for carers",
        timedelta(days=1),
    ),
    (
        "Joined the group rewriting the discharge letters",
        "Two meetings so far, with the ward team",
        timedelta(days=9),
    ),
)
ENDORSEMENT = (
    "Amina brought the carer's view to every board this year. Her account of the "
    "discharge letters led the team to rewrite them, and she now helps to test the new ones."
)


def seed_growth_att(db: Database, clock: Clock) -> None:
    """Attendance for the cohort's past meetings; Amina's achievements and endorsement."""
    with db.transaction() as session:
        cohort = get_cohort(session, name=COHORT)
        people = by_first_name(session)
        margaret, amina = people["Margaret"].id or 0, people["Amina"].id or 0
        past = session.exec(
            select(Meeting)
            .where(
                Meeting.cohort_id == cohort.id,
                Meeting.status == MeetingStatus.SCHEDULED,
                col(Meeting.ends_at) < clock.now(),
            )
            .order_by(col(Meeting.starts_at))
        ).all()
        for meeting in past:
            _confirm(session, meeting, margaret)
        if past:
            _record(session, amina, margaret, after=past[-1].ends_at, clock=clock)


def _confirm(session: Session, meeting: Meeting, margaret: int) -> None:
    """Margaret confirms the sheet the evening after the meeting: those who said they
    would come, and those who said nothing, were there."""
    evening = FakeClock(meeting.ends_at + timedelta(hours=3))
    sheet = attendance_sheet(session, meeting_id=meeting.id or 0, person_id=margaret, clock=evening)
    came = [line.person_id for line in sheet.lines if line.said is not False]
    confirm_attendance(
        session, meeting_id=meeting.id or 0, person_id=margaret, attended=came, clock=evening
    )


def _record(session: Session, amina: int, margaret: int, *, after: datetime, clock: Clock) -> None:
    """Amina's two achievements, and Margaret's endorsement, which Amina approved; all
    after the last past meeting (`after`), none later than now."""

    def then(later: timedelta) -> FakeClock:
        return FakeClock(min(after + later, clock.now() - timedelta(minutes=5)))

    for title, detail, later in ACHIEVEMENTS:
        record.add_achievement(
            session, person_id=amina, title=title, detail=detail, clock=then(later)
        )
    before = session.exec(select(func.max(Delivery.id))).one() or 0
    endorsement = record.write_endorsement(
        session,
        viewer_id=margaret,
        partner_id=amina,
        text=ENDORSEMENT,
        clock=then(timedelta(days=2)),
    )
    cancel_pending(
        session,
        clock=clock,
        after_id=before,
        reason="told of something settled before the demo began (demo history)",
    )
    record.decide_endorsement(
        session,
        person_id=amina,
        endorsement_id=endorsement.id or 0,
        approve=True,
        clock=then(timedelta(days=2, hours=5)),
    )
