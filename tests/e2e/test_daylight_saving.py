"""Daily messages at 09:00 and 01:30 London time across both 2027 clock changes: each fires
exactly once a day, at the right local time (01:30 does not exist on 28 March: 02:30)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.outbox import write as write_rows
from bot.domain.planning import recurring_rows
from bot.library.timetable import RecurringRule
from bot.models import Delivery, DeliveryStatus
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.factories import make_cohort, make_person

LONDON = ZoneInfo("Europe/London")
RULES = (
    RecurringRule(purpose="morning", every="day", at="09:00", prompt_set="journal"),
    RecurringRule(purpose="small_hours", every="day", at="01:30", prompt_set="journal"),
)


@pytest.mark.parametrize(
    "change", [datetime(2027, 3, 28, tzinfo=UTC), datetime(2027, 10, 31, tzinfo=UTC)]
)
async def test_daily_messages_fire_once_a_day_at_local_time(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock, change: datetime
) -> None:
    clock.set(change - timedelta(days=2))
    user = await telegram.create_user("Dev", started=True)
    person = make_person(
        db, clock, make_cohort(db, clock), name="Dev", telegram_user_id=user.id, quiet=None
    )
    start, end = change - timedelta(days=2), change + timedelta(days=3)
    with db.transaction() as session:
        write_rows(
            session, recurring_rows(RULES, [(person, "Europe/London")], start, horizon=end - start)
        )
    sent_at: dict[str, datetime] = {}
    moment = start
    while moment <= end:  # every half hour, as the dispatcher would see time pass
        clock.set(moment)
        await bot.tandem.dispatcher.drain()  # type: ignore[union-attr]
        moment += timedelta(minutes=30)
    with db.transaction() as session:
        rows = session.exec(select(Delivery).where(Delivery.person_id == person)).all()
    for row in rows:
        assert row.status == DeliveryStatus.SENT, (row.dedupe_key, row.status, row.last_error)
        assert row.sent_at is not None
        sent_at[row.dedupe_key] = row.sent_at
    days = sorted({key.split(":")[1] for key in sent_at})
    assert len(days) >= 5
    for day in days:
        morning = sent_at[f"morning:{day}:p{person}"].astimezone(LONDON)
        assert (morning.date().isoformat(), f"{morning:%H:%M}") == (day, "09:00")
        small = sent_at.get(f"small_hours:{day}:p{person}")
        if small is None:
            continue  # before the window opened
        local = small.astimezone(LONDON)
        expected = "02:30" if day == "2027-03-28" else "01:30"
        assert (local.date().isoformat(), f"{local:%H:%M}") == (day, expected), day
    assert len(sent_at) == len(rows)
    # Exactly one message per row reached the chat.
    assert len(await user.bot_messages()) == len(rows)
