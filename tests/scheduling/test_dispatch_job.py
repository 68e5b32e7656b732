"""The every-second dispatch job never overlaps itself, however long a drain takes."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.db import Database, create_db_engine
from bot.domain.clock import FakeClock
from bot.library.catalogue import Library
from bot.scheduling.jobs import build_scheduler


class SlowDrainer:
    """A dispatcher whose drains take 1.5 s, like a broadcast paced by Telegram's limits."""

    def __init__(self) -> None:
        self.drains = 0
        self.running = 0
        self.most_at_once = 0

    async def drain(self, *, max_ticks: int = 1000) -> int:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            await asyncio.sleep(1.5)
        finally:
            self.running -= 1
        self.drains += 1
        return 1


async def test_a_drain_longer_than_a_second_is_not_overlapped_nor_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    drainer = SlowDrainer()
    db = Database(create_db_engine("sqlite://"))
    timetable = Library.load_or_fail().timetable
    scheduler = build_scheduler(db, FakeClock(), timetable, drainer)
    scheduler.start()
    try:
        await asyncio.sleep(4.2)
    finally:
        scheduler.shutdown(wait=False)
        db.dispose()
    await asyncio.sleep(1.6)  # the drain in hand finishes
    assert drainer.most_at_once == 1
    # Wakes during a drain ask for another pass: sending goes on back to back.
    assert drainer.drains >= 2
    assert "maximum number of running instances" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
