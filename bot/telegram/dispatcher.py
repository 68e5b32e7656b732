"""The dispatcher: sends what the outbox says is due, within Telegram's limits.

Each tick claims a batch (with a lease), decides per row (send, defer for quiet hours or a
pause, expire, cancel, skip), renders what is sent for its person at that moment, sends
concurrently through the rate limiter, and records every outcome in one batch. Telegram's
answers map to outcomes: 429 is waited out by the rate limiter (all sends pause), 5xx and
time-outs retry with backoff and then park as failed, 403 marks the person unreachable and
cancels what is pending for them, 400 fails at once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from sqlmodel import Session, col, select
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.domain import outbox
from bot.domain.broadcasts import cohort_names, next_meetings
from bot.domain.outbox import DeliveryResult, Verdict
from bot.domain.pairs import PAIR_PURPOSES, buddy_of
from bot.models import Broadcast, DeliveryStatus, Meeting, Person, Reflection
from bot.telegram.pacing import BULK
from bot.telegram.screens.outbox import render
from bot.telegram.services import Services
from bot.telegram.ui import Screen

log = logging.getLogger(__name__)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
RECORD_EVERY = 16  # outcomes written per transaction while a batch is being sent


@dataclass
class _Job:
    row: dict[str, Any]
    chat_id: int
    screen: Screen
    action: str = "send"  # or "edit" / "delete" an earlier message (a corrected broadcast)
    message_id: int | None = None


_FOLLOW_UPS = {"broadcast_edit": "edit", "broadcast_delete": "delete"}


class Dispatcher:
    """Drains the outbox. Any number may run against PostgreSQL; one on SQLite."""

    def __init__(
        self,
        services: Services,
        bot: Bot,
        *,
        batch: int = 200,
        concurrency: int = 32,
        lease: timedelta = outbox.LEASE,
        worker: str | None = None,
    ) -> None:
        self.services, self.bot = services, bot
        self.batch, self.lease = batch, lease
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._slots = asyncio.Semaphore(concurrency)
        self._per_chat: dict[int, tuple[asyncio.Lock, AsyncLimiter]] = {}
        self._draining = asyncio.Lock()
        self._closing = False
        # Mark sends as bulk for the rate limiter, when there is one (tests may run without).
        self._pacing: dict[str, Any] = (
            {"rate_limit_args": BULK} if getattr(bot, "rate_limiter", None) else {}
        )
        self.sent = 0

    async def drain(self, *, max_ticks: int = 1000) -> int:
        """Send everything due now (in batches); returns how many rows were handled."""
        handled = 0
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
        """Finish the batch in hand (so nothing is left in flight) and take no more."""
        self._closing = True
        async with self._draining:
            pass

    async def tick(self) -> int:
        """Claim one batch, send what should go, record everything; returns rows claimed.

        Outcomes are written as sends complete, a few at a time, so a crash leaves only the
        messages actually in flight undecided (those may be sent twice after a restart).
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
            jobs, outcomes = self._prepare(session, rows)
            outbox.record(session, outcomes, clock=services.clock)
        done: list[tuple[DeliveryResult, str | None]] = []
        for finished in asyncio.as_completed([self._send(job) for job in jobs]):
            done.append(await finished)
            if len(done) >= RECORD_EVERY:
                self._record(done)
                done = []
        self._record(done)
        return len(rows)

    def _record(self, results: list[tuple[DeliveryResult, str | None]]) -> None:
        """Write outcomes; a 403 also marks the person unreachable and cancels their rest."""
        if not results:
            return
        services = self.services
        with services.db.transaction() as session:
            outbox.record(session, [outcome for outcome, _ in results], clock=services.clock)
            for outcome, error in results:
                if error and error.startswith("403"):
                    outbox.person_unreachable(
                        session, person_id=outcome.person_id, reason=error, clock=services.clock
                    )

    def _prepare(
        self, session: Session, rows: list[dict[str, Any]]
    ) -> tuple[list[_Job], list[DeliveryResult]]:
        """Decide each row; render the ones that go now."""
        now = self.services.clock.now()
        people = _by_id(session, Person, {r["person_id"] for r in rows})
        meetings = _by_id(session, Meeting, {r["meeting_id"] for r in rows if r["meeting_id"]})
        broadcasts = _by_id(
            session, Broadcast, {r["broadcast_id"] for r in rows if r["broadcast_id"]}
        )
        answered = _answered(session, rows)
        extras = _extras(session, rows, people, broadcasts, now)
        jobs, outcomes = [], []
        for row in rows:
            person = people.get(row["person_id"])
            verdict = outbox.judge(row, person, now)
            if (
                verdict.action == "send"
                and (row["purpose"], row["person_id"], row["meeting_id"]) in answered
            ):
                verdict = Verdict("skip", "already answered")
            meeting = meetings.get(row["meeting_id"])
            broadcast = broadcasts.get(row["broadcast_id"])
            withdrawn = broadcast is not None and broadcast.withdrawn_at is not None
            if verdict.action == "send" and withdrawn and row["purpose"] != "broadcast_delete":
                verdict = Verdict("cancel", "broadcast withdrawn")
            if verdict.action != "send" or person is None or person.chat_id is None:
                outcomes.append(_not_sent(row, verdict, now))
                continue
            action = _FOLLOW_UPS.get(row["purpose"], "send")
            if action == "delete":
                screen: Screen | None = Screen("")
            else:
                screen = render(self.services, row, person, meeting, extras.get(row["id"], {}))
            if screen is None:
                outcomes.append(
                    DeliveryResult(
                        row["id"], DeliveryStatus.SKIPPED, row["due_at"], error="nothing to send"
                    )
                )
                continue
            message_id = json.loads(row.get("payload") or "{}").get("message_id")
            jobs.append(_Job(row, person.chat_id, screen, action, message_id))
        return jobs, outcomes

    async def _send(self, job: _Job) -> tuple[DeliveryResult, str | None]:
        """Send one message; the outcome, and the error text when it failed."""
        now = self.services.clock.now
        row = job.row
        lane = self._per_chat.get(job.chat_id)
        if lane is None:
            if len(self._per_chat) > 10_000:
                self._per_chat.clear()
            # About one a second sustained per chat, with a short burst allowed (as Telegram),
            # and in the order claimed: a lock keeps a briefing ahead of its papers.
            lane = self._per_chat[job.chat_id] = (asyncio.Lock(), AsyncLimiter(3, 3))
        lock, limiter = lane
        try:
            async with lock, limiter, self._slots:
                message_id = await self._call(job)
        except Forbidden as exc:
            return DeliveryResult(
                row["id"],
                DeliveryStatus.CANCELLED,
                row["due_at"],
                error=f"403 {exc}",
                person_id=row["person_id"],
            ), f"403 {exc}"
        except BadRequest as exc:
            if job.action == "edit" and "not modified" in str(exc).lower():
                return DeliveryResult(
                    row["id"], DeliveryStatus.SENT, row["due_at"], sent_at=now()
                ), None
            return outbox.after_failure(row, f"400 {exc}", now=now(), retry=False), str(exc)
        except (RetryAfter, TimedOut, NetworkError) as exc:
            # RetryAfter here means the rate limiter's own retries ran out; try again later.
            return outbox.after_failure(
                row, f"{type(exc).__name__}: {exc}", now=now(), retry=True
            ), str(exc)
        self.sent += 1
        return DeliveryResult(
            row["id"],
            DeliveryStatus.SENT,
            row["due_at"],
            sent_at=now(),
            message_id=message_id,
        ), None

    async def _call(self, job: _Job) -> int | None:
        """Send, edit or delete; the id of the message concerned."""
        if job.action == "delete":
            assert job.message_id is not None
            await self.bot.delete_message(
                chat_id=job.chat_id, message_id=job.message_id, **self._pacing
            )
            return job.message_id
        if job.action == "edit":
            assert job.message_id is not None
            await self.bot.edit_message_text(
                chat_id=job.chat_id,
                message_id=job.message_id,
                text=job.screen.text,
                parse_mode=ParseMode.HTML,
                reply_markup=job.screen.markup(),
                link_preview_options=_NO_PREVIEW,
                **self._pacing,
            )
            return job.message_id
        message = await self.bot.send_message(
            chat_id=job.chat_id,
            text=job.screen.text,
            parse_mode=ParseMode.HTML,
            reply_markup=job.screen.markup(),
            link_preview_options=_NO_PREVIEW,
            **self._pacing,
        )
        return message.message_id


def _not_sent(row: dict[str, Any], verdict: Verdict, now: Any) -> DeliveryResult:
    statuses = {
        "cancel": DeliveryStatus.CANCELLED,
        "expire": DeliveryStatus.EXPIRED,
        "skip": DeliveryStatus.SKIPPED,
    }
    if verdict.action == "defer":
        assert verdict.until is not None
        return DeliveryResult(
            row["id"], DeliveryStatus.PENDING, verdict.until, error=verdict.reason
        )
    return DeliveryResult(row["id"], statuses[verdict.action], row["due_at"], error=verdict.reason)


def _by_id(session: Session, model: Any, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(model).where(col(model.id).in_(ids)))}


def _extras(
    session: Session,
    rows: list[dict[str, Any]],
    people: dict[int, Person],
    broadcasts: dict[int, Broadcast],
    now: Any,
) -> dict[int, dict[str, Any]]:
    """Per row, what rendering needs beyond the row: a broadcast's words and the values for
    its placeholders, or the name of the person's pair for a pair's preparation prompt."""
    extras: dict[int, dict[str, Any]] = {}
    casts = [r for r in rows if r["broadcast_id"] in broadcasts]
    if casts:
        wanted = {r["person_id"] for r in casts}
        soonest = next_meetings(session, person_ids=wanted, now=now)
        cohorts = cohort_names(session, person_ids=wanted)
        authors = _by_id(session, Person, {b.author_id for b in broadcasts.values() if b.author_id})
        for row in casts:
            broadcast = broadcasts[row["broadcast_id"]]
            person = people.get(row["person_id"])
            author = authors.get(broadcast.author_id or 0)
            extras[row["id"]] = {
                "text": broadcast.text,
                "author": author.preferred_name if author else None,
                "next_meeting": soonest.get(row["person_id"]),
                "cohort": cohorts.get(row["person_id"], ""),
                "zone": person.time_zone if person else "Europe/London",
            }
    prepping = {r["person_id"] for r in rows if r["purpose"] in PAIR_PURPOSES}
    if prepping:
        buddies = {p: buddy_of(session, person_id=p) for p in prepping}
        for row in rows:
            buddy = buddies.get(row["person_id"]) if row["purpose"] in PAIR_PURPOSES else None
            if buddy is not None:
                extras[row["id"]] = {"pair": buddy.preferred_name}
    return extras


def _answered(session: Session, rows: list[dict[str, Any]]) -> set[tuple[str, int, int]]:
    """(purpose, person, meeting) of nudges whose reflection is already done."""
    nudges = [r for r in rows if r["purpose"] == "nudge" and r["meeting_id"]]
    if not nudges:
        return set()
    done = session.exec(
        select(Reflection.person_id, Reflection.meeting_id).where(
            col(Reflection.meeting_id).in_({r["meeting_id"] for r in nudges}),
            col(Reflection.person_id).in_({r["person_id"] for r in nudges}),
            Reflection.status == "finished",
        )
    ).all()
    return {("nudge", int(person), int(meeting or 0)) for person, meeting in done}
