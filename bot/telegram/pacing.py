"""Pace what Tandem sends within Telegram's limits, with replies ahead of bulk sends.

Built on PTB's AIORateLimiter (aiolimiter underneath): every request shares its overall
limit (about 30 a second) and a 429 stops everything for exactly `retry_after`. Bulk sends
(the outbox) are marked with `rate_limit_args=BULK` and additionally:
- keep to a slightly lower rate of their own, so a burst never meets Telegram's ceiling;
- wait while any reply to someone who is chatting is waiting for its turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from bot.metrics import RATE_LIMITED

BULK = -1  # rate_limit_args value that marks a bulk (outbox) send
BURST = 4  # sends that may go back to back (Telegram allows about 30)


class PriorityRateLimiter(AIORateLimiter):
    """AIORateLimiter that lets replies go ahead of bulk sends."""

    def __init__(
        self, *, overall_rate: float = 30.0, bulk_rate: float = 29.0, max_retries: int = 3
    ) -> None:
        # A small bucket (BURST sends), refilled `rate` times a second. Telegram's own
        # bucket holds about a second's worth, so jitter between here and there (a slow
        # loop, a slow network) is absorbed instead of becoming a 429, which it did when
        # both buckets were the same size; a few in hand still let a late tick catch up.
        super().__init__(
            overall_max_rate=BURST,
            overall_time_period=BURST / overall_rate,
            max_retries=max_retries,
        )
        self._bulk_limiter = AsyncLimiter(BURST, BURST / bulk_rate) if bulk_rate else None
        self._replies_waiting = 0
        self._no_replies_waiting = asyncio.Event()
        self._no_replies_waiting.set()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Bulk sends wait for replies and keep their own pace; replies go straight on."""
        callback = _counting_429s(callback)
        if rate_limit_args == BULK:
            await self._no_replies_waiting.wait()
            if self._bulk_limiter is not None:
                await self._bulk_limiter.acquire()
            await self._no_replies_waiting.wait()
            return await super().process_request(callback, args, kwargs, endpoint, data, None)
        self._replies_waiting += 1
        self._no_replies_waiting.clear()
        try:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        finally:
            self._replies_waiting -= 1
            if self._replies_waiting == 0:
                self._no_replies_waiting.set()


def _counting_429s(
    callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
) -> Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]:
    """The request, counting each 429 Telegram answers (the limiter then waits it out)."""

    async def request(*args: Any, **kwargs: Any) -> bool | JSONDict | list[JSONDict]:
        try:
            return await callback(*args, **kwargs)
        except RetryAfter:
            RATE_LIMITED.inc()
            raise

    return request
