"""The dispatcher: sends what the outbox says is due, within Telegram's limits.

Each tick claims a batch (with a lease), decides per row (send, defer for quiet hours or a
pause, expire, cancel, skip), renders what is sent for its person at that moment, sends
concurrently through the rate limiter, and records each outcome as soon as it is known.
Telegram's answers map to outcomes (in the domain): 429 is waited out by the rate limiter
(all sends pause), 5xx and time-outs retry with backoff and then park as failed, 403 marks
the person unreachable and cancels what is pending for them, 400 fails at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.db import SendingLock
from bot.domain import outbox
from bot.domain.outbox import DeliveryResult, Due, contents
from bot.library import languages
from bot.metrics import SENDS
from bot.telegram.pacing import BULK
from bot.telegram.screens.outbox import render
from bot.telegram.services import Services
from bot.telegram.ui import Screen, edit_message, send

log = logging.getLogger(__name__)

CONCURRENCY = 32  # sends on the wire at once, at most: the bound on what a crash leaves in doubt


@dataclass
class _Job:
    due: Due
    screen: Screen


class Dispatcher:
    """Drains the outbox. Any number may run against PostgreSQL; one on SQLite."""

    def __init__(
        self,
        services: Services,
        bot: Bot,
        *,
        batch: int = 200,
        concurrency: int = CONCURRENCY,
        lease: timedelta = outbox.LEASE,
        worker: str | None = None,
        sending_lock: SendingLock | None = None,
    ) -> None:
        self.services, self.bot = services, bot
        self.batch, self.lease = batch, lease
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._slots = asyncio.Semaphore(concurrency)
        self._per_chat: dict[int, tuple[asyncio.Lock, AsyncLimiter]] = {}
        self._draining = asyncio.Lock()
        self._closing = False
        # Only the process holding this sends, so every process shares one Telegram budget.
        self._sending_lock = sending_lock
        # Mark sends as bulk for the rate limiter, when there is one (tests may run without).
        self._pacing: dict[str, Any] = (
            {"rate_limit_args": BULK} if getattr(bot, "rate_limiter", None) else {}
        )
        self.sent = 0

    def limit_concurrency(self, sends: int) -> None:
        """At most `sends` on the wire at once (before the first tick)."""
        self._slots = asyncio.Semaphore(sends)

    async def drain(self, *, max_ticks: int = 1000) -> int:
        """Send everything due now (in batches); returns how many rows were handled."""
        handled = 0
        if not self._may_send():
            return 0
        async with self._draining:
            for _ in range(max_ticks):
                if self._closing:
                    break
                count = await self.tick()
                handled += count
                if count < self.batch:
                    break
        return handled

    async def close(self) -> None:
        """Stop: sends on the wire finish and are recorded, the rest of the batch in hand goes
        back to the outbox unclaimed (for the next start, or another dispatcher), and no more
        is taken. Nothing is left marked as being sent, and another process may send."""
        self._closing = True
        async with self._draining:
            if self._sending_lock is not None:
                self._sending_lock.release()

    def _may_send(self) -> bool:
        """Whether this process is the one that sends now. Taking over from a process that
        died: what it had claimed is put back first (it is sent again: at-least-once)."""
        if self._sending_lock is None or self._closing:
            return not self._closing
        held, taken_now = self._sending_lock.hold()
        if taken_now:
            with self.services.db.transaction() as session:
                released = outbox.release_all_leases(session, clock=self.services.clock)
            log.info("%s is now the sending process (%s rows put back)", self.worker, released)
        return held

    async def tick(self) -> int:
        """Claim one batch, send what should go, record everything; returns rows claimed.

        Outcomes are written as sends complete, so a crash leaves only the messages actually
        in flight undecided (those may be sent twice after a restart).
        """
        services = self.services
        with services.db.transaction() as session:
            rows = outbox.claim_due(
                session,
                worker=self.worker,
                clock=services.clock,
                limit=self.batch,
                lease=self.lease,
            )
            if not rows:
                return 0
            due, held = contents.prepare(session, rows, services.clock.now())
            jobs = self._render(due, held)
            outbox.record(session, held, clock=services.clock)
        for result in held:
            SENDS.labels(outcome=result.status.value).inc()
        # Each outcome is written as soon as Telegram has answered (those that finish
        # together, together), and a send gives up its slot only once its outcome is
        # written: after a crash, at most the sends holding a slot can be in doubt (sent
        # again), never one Telegram confirmed earlier.
        sending = {asyncio.ensure_future(self._send(job)) for job in jobs}
        try:
            while sending:
                finished, sending = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
                self._record([task.result() for task in finished])
                for _ in finished:
                    self._slots.release()
        finally:
            for task in sending:
                task.cancel()
        return len(rows)

    def _record(self, results: list[DeliveryResult]) -> None:
        """Write results (a refusal for good also marks the person unreachable)."""
        if results:
            with self.services.db.transaction() as session:
                outbox.record(session, results, clock=self.services.clock)
            for result in results:
                SENDS.labels(outcome=result.status.value).inc()

    def _render(self, due: list[Due], held: list[DeliveryResult]) -> list[_Job]:
        """The message for each row that goes now (a row with nothing to say is skipped)."""
        jobs = []
        for item in due:
            with languages.speaking(item.person.language):  # each in its reader's language
                screen = Screen("") if item.action == "delete" else render(self.services, item)
            if screen is None:
                held.append(outbox.skipped(item.row, "nothing to send"))
            else:
                jobs.append(_Job(item, screen))
        return jobs

    async def _send(self, job: _Job) -> DeliveryResult:
        """Send one message; what became of it (Telegram's answer, as the domain records it)."""
        now = self.services.clock.now
        row = job.due.row
        lock, limiter = self._lane(job.due.chat_id)
        holding = False
        try:
            async with lock, limiter:
                await self._slots.acquire()  # released by tick() once the outcome is written
                holding = True
                if self._closing:  # not sent: back to the outbox for whoever sends next
                    return outbox.put_back(row)
                message_id = await self._call(job)
        except Forbidden as exc:
            return outbox.refused(row, f"403 {exc}")
        except BadRequest as exc:
            if job.due.action == "edit" and "not modified" in str(exc).lower():
                return outbox.sent(row, now=now(), message_id=None)
            return outbox.after_failure(row, f"400 {exc}", now=now(), retry=False)
        except (RetryAfter, TimedOut, NetworkError) as exc:
            # RetryAfter here means the rate limiter's own retries ran out; try again later.
            return outbox.after_failure(row, f"{type(exc).__name__}: {exc}", now=now(), retry=True)
        except BaseException:
            if holding:  # no outcome to write: give the slot back here
                self._slots.release()
            raise
        self.sent += 1
        return outbox.sent(row, now=now(), message_id=message_id)

    def _lane(self, chat_id: int) -> tuple[asyncio.Lock, AsyncLimiter]:
        """One chat's pace: about one a second sustained with a short burst allowed (as
        Telegram), and in the order claimed: a lock keeps a briefing ahead of its papers."""
        lane = self._per_chat.get(chat_id)
        if lane is None:
            if len(self._per_chat) > 10_000:
                self._per_chat.clear()
            lane = self._per_chat[chat_id] = (asyncio.Lock(), AsyncLimiter(3, 3))
        return lane

    async def _call(self, job: _Job) -> int | None:
        """Send, edit or delete; the id of the message concerned."""
        due, screen = job.due, job.screen
        if due.action == "delete":
            assert due.message_id is not None
            await self.bot.delete_message(
                chat_id=due.chat_id, message_id=due.message_id, **self._pacing
            )
            return due.message_id
        if due.action == "edit":
            assert due.message_id is not None
            await edit_message(
                self.bot, due.chat_id, due.message_id, screen.text, screen.markup(), **self._pacing
            )
            return due.message_id
        # A notice can carry a partner's longest message inside its own words: split between
        # paragraphs, as any reply is, rather than be refused by Telegram as too long.
        return await send(self.bot, due.chat_id, screen, **self._pacing)
