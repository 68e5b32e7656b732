"""Pace what Tandem sends within Telegram's limits, with people who are chatting first.

Telegram's limits are about sending messages: about 30 a second overall (for bulk
notifications) and about one a second to one chat, with short bursts. Three budgets follow:

- Replies (a send that is not marked bulk: the answer to someone's tap or message) take a
  turn from their chat's budget (a burst of nearly three, then one a second: someone
  tapping faster than that would meet Telegram's 429) and from the overall send budget,
  ahead of any bulk send that is waiting. A reply never waits behind the bulk queue, and one
  waiting for its own chat's budget holds nobody else up.
- Bulk sends (the outbox: broadcasts, reminders; marked `rate_limit_args=BULK`) also keep
  to a bulk rate a little below the overall one and to one a second per chat with no burst
  (never taking what the chat's replies need), and wait while any reply is waiting for
  its turn.
- Everything else (answerCallbackQuery, edits and deletes of the bot's own messages, chat
  actions, setup calls) is not a send and goes straight on.

A 429 is honoured for what it concerns: after a 429 on a send, no send goes out anywhere
until `retry_after` has passed; after one on anything else, nothing goes to that chat.
The call is then retried (up to `max_retries` times).

The buckets are a little smaller than Telegram's, so that jitter between here and there
(a slow loop, a slow network) is absorbed instead of becoming a 429.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.metrics import RATE_LIMITED

log = logging.getLogger(__name__)

BULK = -1  # rate_limit_args value that marks a bulk (outbox) send
OVERALL_BURST = 20.0  # sends that may go back to back overall (Telegram allows about 30)
# Sends that may go back to back to one chat: Telegram allows about 3, and the quarter left
# absorbs jitter on the way. With 2, someone tapping about once a second waited up to half a
# second for their next question now and then (bench/updates.py --production-pacing).
CHAT_BURST = 2.75
# Two bulk sends may go back to back, so a late wake-up (a busy loop) is made up for instead
# of lost, while any second still holds at most 2 + 29 - 1 = 30 of them.
BULK_BURST = 2.0
MAX_CHATS = 10_000  # chat buckets kept before idle ones are forgotten
_SLACK = 1e-9  # a token short by less than this (float rounding) counts as there

Result = bool | JSONDict | list[JSONDict]
Request = Callable[..., Coroutine[Any, Any, Result]]


class TokenBucket:
    """`rate` tokens a second, holding at most `capacity`. A reservation may overdraw it:
    the caller then waits until the bucket is back at zero (first come, first served)."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate, self.capacity = rate, capacity
        self.tokens, self.stamp = capacity, now

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now

    def wait_for_one(self, now: float) -> float:
        """Seconds until a token is in the bucket (0 if one is)."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 - _SLACK else (1 - self.tokens) / self.rate

    def reserve(self, now: float) -> float:
        """Take a token; the seconds to wait before using it."""
        self._refill(now)
        self.tokens -= 1
        return 0.0 if self.tokens >= -_SLACK else -self.tokens / self.rate

    def is_full(self, now: float) -> bool:
        """Whether the bucket has refilled completely (nothing to remember)."""
        self._refill(now)
        return self.tokens >= self.capacity


class PriorityRateLimiter(BaseRateLimiter[int]):
    """Telegram's send limits, with replies ahead of bulk sends; other calls go straight on.

    `now` and `sleep` are injectable so tests can drive the limiter with a fake clock.
    """

    def __init__(
        self,
        *,
        overall_rate: float = 30.0,
        bulk_rate: float = 29.0,
        per_chat_rate: float | None = 1.0,
        max_retries: int = 3,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._now, self._sleep, self._max_retries = now, sleep, max_retries
        # None: replies are neither held to nor counted against their chat's budget (tests
        # that tap faster than a person can, against a sandbox that enforces no limits);
        # bulk sends still keep one a second per chat.
        self._pace_replies_per_chat = per_chat_rate is not None
        self._per_chat_rate = per_chat_rate or 1.0
        start = now()
        self._overall = TokenBucket(overall_rate, min(OVERALL_BURST, overall_rate), start)
        self._bulk = TokenBucket(bulk_rate, BULK_BURST, start)
        self._chats: dict[int, TokenBucket] = {}  # every send to a chat
        self._bulk_chats: dict[int, TokenBucket] = {}  # bulk sends to a chat, no burst
        self._bulk_turn = asyncio.Lock()  # bulk sends take their turn one at a time
        self._replies_waiting = 0
        self._no_replies_waiting = asyncio.Event()
        self._no_replies_waiting.set()
        self._sends_paused_until = 0.0
        self._chat_paused_until: dict[int, float] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Request,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Wait for the call's budget, make it, and wait out and retry any 429."""
        chat_id = _chat_of(data)
        is_send = _is_send(endpoint)
        for attempt in range(self._max_retries + 1):
            if rate_limit_args == BULK:
                await self._bulk_turn_for(chat_id)
            elif is_send:
                await self._reply_turn_for(chat_id)
            else:
                await self._unpaused(chat_id, sends=False)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                RATE_LIMITED.inc()
                if attempt == self._max_retries:
                    log.warning("%s still refused after %d retries", endpoint, attempt)
                    raise
                self._pause(exc._retry_after.total_seconds(), chat_id, sends=is_send)
                log.info("%s: Telegram asked for a pause of %s", endpoint, exc._retry_after)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _reply_turn_for(self, chat_id: int | None) -> None:
        """A reply's turn: after any pause, a token from its chat's budget (a short burst,
        then one a second; waited for on its own, so it holds nobody else up), then one
        overall. Bulk sends hold back while a reply waits for an overall token."""
        if chat_id is not None and self._pace_replies_per_chat:
            wait = self._chat(self._chats, chat_id, CHAT_BURST).reserve(self._now())
            if wait > 0:
                await self._sleep(wait)
        self._replies_waiting += 1
        self._no_replies_waiting.clear()
        try:
            await self._unpaused(chat_id, sends=True)
            wait = self._overall.reserve(self._now())
            if wait > 0:
                await self._sleep(wait)
        finally:
            self._replies_waiting -= 1
            if self._replies_waiting == 0:
                self._no_replies_waiting.set()

    async def _bulk_turn_for(self, chat_id: int | None) -> None:
        """A bulk send's turn: its chat's bulk budget (waited for on its own, so one busy
        chat holds up no other), then, one bulk send at a time and only while no reply is
        waiting, a token from the bulk, overall and chat budgets without overdrawing. The
        chat's budget is checked again in turn: another send to the chat may have taken it
        while this one queued."""
        chat = (
            ()
            if chat_id is None
            else (
                self._chat(self._bulk_chats, chat_id, 1.0),
                self._chat(self._chats, chat_id, CHAT_BURST),
            )
        )
        while True:
            if chat:
                await self._unpaused(chat_id, sends=False)
                while (wait := max(b.wait_for_one(self._now()) for b in chat)) > 0:
                    await self._sleep(wait)
            async with self._bulk_turn:
                now = await self._bulk_and_overall_ready(chat_id)
                if any(b.wait_for_one(now) > 0 for b in chat):
                    continue
                for bucket in (self._bulk, self._overall, *chat):
                    bucket.reserve(now)
                return

    async def _bulk_and_overall_ready(self, chat_id: int | None) -> float:
        """Wait until no reply waits, no pause holds sends back, and the bulk and overall
        budgets each have a token; the time it happened."""
        while True:
            await self._no_replies_waiting.wait()
            await self._unpaused(chat_id, sends=True)
            now = self._now()
            wait = max(self._overall.wait_for_one(now), self._bulk.wait_for_one(now))
            if wait <= 0 and self._no_replies_waiting.is_set():
                return now
            await self._sleep(wait)

    async def _unpaused(self, chat_id: int | None, *, sends: bool) -> None:
        """Wait until no 429 pause holds this call back."""
        while True:
            until = self._chat_paused_until.get(chat_id, 0.0) if chat_id is not None else 0.0
            if sends:
                until = max(until, self._sends_paused_until)
            wait = until - self._now()
            if wait <= 0:
                return
            await self._sleep(wait)

    def _pause(self, seconds: float, chat_id: int | None, *, sends: bool) -> None:
        """Hold back what a 429 concerns: every send (after one on a send), and the chat."""
        until = self._now() + seconds
        if sends:
            self._sends_paused_until = max(self._sends_paused_until, until)
        if chat_id is not None:
            self._chat_paused_until[chat_id] = max(self._chat_paused_until.get(chat_id, 0), until)

    def _chat(self, buckets: dict[int, TokenBucket], chat_id: int, burst: float) -> TokenBucket:
        """The chat's bucket in `buckets` (idle ones are forgotten once there are many)."""
        bucket = buckets.get(chat_id)
        if bucket is None:
            now = self._now()
            if len(buckets) >= MAX_CHATS:
                for idle in [key for key, b in buckets.items() if b.is_full(now)]:
                    del buckets[idle]
                expired = [key for key, u in self._chat_paused_until.items() if u <= now]
                for key in expired:
                    del self._chat_paused_until[key]
            bucket = buckets[chat_id] = TokenBucket(self._per_chat_rate, burst, now)
        return bucket


def _chat_of(data: dict[str, Any]) -> int | None:
    """The chat a call concerns, if it names one by number."""
    try:
        return int(data["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


def _is_send(endpoint: str) -> bool:
    """Whether a Bot API method sends a message (what Telegram's limits are about)."""
    lowered = endpoint.lower()
    return lowered.startswith(("send", "copymessage", "forwardmessage")) and (
        lowered != "sendchataction"
    )
