"""The scheduler and its jobs."""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.db import Database
from bot.domain.clock import Clock
from bot.domain.updates import prune_processed

log = logging.getLogger(__name__)

KEEP_PROCESSED_UPDATES = timedelta(days=7)


def housekeeping(db: Database, clock: Clock) -> None:
    """Forget processed update ids older than a week (Telegram redelivers for at most a day)."""
    with db.transaction() as session:
        removed = prune_processed(session, before=clock.now() - KEEP_PROCESSED_UPDATES)
    if removed:
        log.info("forgot %s old processed update ids", removed)


def build_scheduler(db: Database, clock: Clock) -> AsyncIOScheduler:
    """A scheduler with Tandem's jobs, not yet started."""
    scheduler = AsyncIOScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "misfire_grace_time": 3600}
    )
    scheduler.add_job(
        housekeeping,
        "interval",
        hours=6,
        args=[db, clock],
        id="housekeeping",
        replace_existing=True,
    )
    return scheduler
