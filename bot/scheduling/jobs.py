"""The scheduler and its jobs: plan the outbox, dispatch what is due, keep things tidy.

Exactly one planner works at a time: on PostgreSQL each planning pass holds a transaction
advisory lock, so several instances can run; on SQLite there is one process anyway. Any
number of dispatchers may run (claims use SKIP LOCKED).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.db import Database, Session
from bot.domain import agenda, champions, claims, concerns, pairs, questions, weblogin
from bot.domain.attendance_lists import nudge_unconfirmed
from bot.domain.clock import Clock
from bot.domain.planning import (
    plan_meeting,
    plan_recurring_for_everyone,
    planner_lock,
    stale_meetings,
)
from bot.domain.updates import prune_processed
from bot.library.timetable import Timetable

log = logging.getLogger(__name__)

KEEP_PROCESSED_UPDATES = timedelta(days=7)


class Drainer(Protocol):
    """Something that sends what is due (the Telegram dispatcher)."""

    async def drain(self, *, max_ticks: int = 1000) -> int:
        """Send everything due now; returns how many rows were handled."""
        ...


class DrainLoop:
    """Wakes the dispatcher without ever overlapping itself.

    The dispatch job fires every second, but one drain can take longer (a broadcast to a
    cohort is paced by Telegram's limits). Run as the job itself, the next firing found the
    last still running and APScheduler skipped it with a "maximum number of running instances
    reached" warning. So the job only wakes this loop and returns at once: one drain runs at
    a time, and a wake that comes during it asks for one more pass when it ends.
    """

    def __init__(self, dispatcher: Drainer) -> None:
        self._dispatcher = dispatcher
        self._task: asyncio.Task[None] | None = None
        self._again = False

    async def wake(self) -> None:
        """Start a drain, or, when one is running, ask it for another pass."""
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.create_task(self._run(), name="dispatch")

    async def _run(self) -> None:
        while True:
            self._again = False
            try:
                await self._dispatcher.drain()
            except Exception:
                log.exception("sending what is due failed; trying again in a moment")
            if not self._again:
                return


def housekeeping(db: Database, clock: Clock) -> None:
    """Forget processed update ids older than a week (Telegram redelivers for at most a day),
    and dashboard sign-in links and sessions that can no longer be used."""
    with db.transaction() as session:
        removed = prune_processed(session, before=clock.now() - KEEP_PROCESSED_UPDATES)
        signins = weblogin.prune(session, now=clock.now())
    if removed:
        log.info("forgot %s old processed update ids", removed)
    if signins:
        log.info("forgot %s finished dashboard sign-ins", signins)


def plan(db: Database, clock: Clock, timetable: Timetable) -> int:
    """One planning pass: meetings never planned or changed since, then calendar rules.

    Work is done in small transactions so the bot's own writes are never held up for long.
    """
    written = 0
    while True:
        with db.transaction() as session:
            if not planner_lock(session):
                return written
            meetings = stale_meetings(session, now=clock.now(), limit=5)
            for meeting in meetings:
                written += plan_meeting(session, meeting=meeting, timetable=timetable, clock=clock)
        if not meetings:
            break
    after: int | None = 0
    while after is not None:
        with db.transaction() as session:
            if not planner_lock(session):
                return written
            rows, after = plan_recurring_for_everyone(
                session, timetable=timetable, clock=clock, after_person=after
            )
            written += rows
    with db.transaction() as session:
        if planner_lock(session):
            follow_ups(session, clock)
    return written


def follow_ups(session: Session, clock: Clock) -> None:
    """Reminders that wait on silence: questions unanswered for 48 hours (to facilitators),
    partners whose pair has gone quiet, and safeguarding alerts nobody acknowledged within
    30 minutes (to the coordinators again), agenda items not triaged 7 days before their
    meeting (to the coordinators), meetings whose attendance nobody confirmed (to their
    facilitators, once). Each is idempotent."""
    reminded = questions.remind_unanswered(session, clock=clock)
    nudged = pairs.nudge_quiet_pairs(session, clock=clock)
    escalated = concerns.escalate_unacknowledged(session, clock=clock)
    # Issue 17: agenda items still open 7 days before their meeting, to the coordinators.
    raised = agenda.escalate_untriaged(session, clock=clock)
    # Issue 18: once after each meeting, its facilitators are asked to confirm who came.
    attendance = nudge_unconfirmed(session, clock=clock)
    # Issue 18: champions' check-in prompts after a mentee's meetings; mentoring that ends.
    champions.follow_up(session, clock=clock)
    # Issue 18: claims offered to partners confirmed at a meeting, and one reminder.
    offered = claims.offer_claims(session, clock=clock)
    offered += claims.remind_unclaimed(session, clock=clock)
    if offered:
        log.info("follow-ups: %s claim offers and reminders", offered)
    if reminded or nudged or escalated or raised or attendance:
        log.info(
            "follow-ups: %s question reminders, %s pair check-ins, %s alerts escalated, "
            "%s agenda items raised, %s attendance nudges",
            reminded,
            nudged,
            escalated,
            raised,
            attendance,
        )


def build_scheduler(
    db: Database, clock: Clock, timetable: Timetable, dispatcher: Drainer | None = None
) -> AsyncIOScheduler:
    """A scheduler with Tandem's jobs, not yet started."""
    scheduler = AsyncIOScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    scheduler.add_job(housekeeping, "interval", hours=6, args=[db, clock], id="housekeeping")
    scheduler.add_job(plan, "interval", minutes=5, args=[db, clock, timetable], id="plan")
    if dispatcher is not None:
        loop = DrainLoop(dispatcher)
        scheduler.add_job(loop.wake, "interval", seconds=1, id="dispatch")
    return scheduler
