"""Update processing: concurrent across people, in order for each person, and a person who
floods the bot is slowed down without slowing anyone else."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.metrics import UPDATE_SECONDS

log = logging.getLogger(__name__)

# A person may send bursts of about this many updates; beyond it their updates wait.
PERSON_BURST = 20
PERSON_WINDOW_SECONDS = 10.0
# Updates waiting per person beyond which new ones are dropped with one notice.
PERSON_BACKLOG = 60

FloodNotice = Callable[[int], Awaitable[None]]


@dataclass
class _Lane:
    """One person's queue: a lock keeps their updates in order, a limiter paces them."""

    limiter: AsyncLimiter
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0
    warned: bool = False
    idle_since: float = 0.0


class PerPersonProcessor(BaseUpdateProcessor):
    """Runs updates of different people concurrently and each person's updates in order.

    PTB holds a slot of `max_concurrent_updates` while an update waits here, so that bound is
    set generously; `working` bounds the updates actually being handled at once.
    """

    def __init__(
        self,
        *,
        working: int = 64,
        flood_notice: FloodNotice | None = None,
        backlog: int = PERSON_BACKLOG,
        burst: int = PERSON_BURST,
        window: float = PERSON_WINDOW_SECONDS,
    ) -> None:
        super().__init__(max_concurrent_updates=4096)
        self._working = asyncio.Semaphore(working)
        self._lanes: dict[int, _Lane] = {}
        self._flood_notice = flood_notice
        self._backlog = backlog
        self._burst, self._window = burst, window

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def set_flood_notice(self, notice: FloodNotice) -> None:
        """What to call (with the chat id) when a person's backlog overflows."""
        self._flood_notice = notice

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this person's turn and pace, then handle the update."""
        key = _lane_key(update)
        if key is None:
            async with self._working:
                await coroutine
            return
        lane = self._lanes.get(key)
        if lane is None:
            self._forget_idle_lanes()
            lane = self._lanes[key] = _Lane(AsyncLimiter(self._burst, self._window))
        if lane.waiting >= self._backlog:
            _discard(coroutine)
            await self._warn_once(lane, key)
            return
        lane.waiting += 1
        try:
            async with lane.lock:
                await lane.limiter.acquire()
                async with self._working:
                    with UPDATE_SECONDS.time():
                        await coroutine
        finally:
            lane.waiting -= 1
            if lane.waiting == 0:
                lane.warned = False
                lane.idle_since = asyncio.get_running_loop().time()

    def _forget_idle_lanes(self) -> None:
        """Drop lanes idle for a whole window: their limiter has fully drained, so a fresh one
        is the same. Keeping busier lanes is what makes the pacing hold between bursts."""
        if len(self._lanes) < 256:
            return
        cutoff = asyncio.get_running_loop().time() - self._window
        for key in [
            k for k, lane in self._lanes.items() if lane.waiting == 0 and lane.idle_since < cutoff
        ]:
            del self._lanes[key]

    async def _warn_once(self, lane: _Lane, chat_id: int) -> None:
        if lane.warned or self._flood_notice is None:
            return
        lane.warned = True
        log.warning("chat %s is flooding the bot; dropping updates over the backlog", chat_id)
        try:
            await self._flood_notice(chat_id)
        except Exception:
            log.warning("could not send the flood notice", exc_info=True)


def _lane_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else None


def _discard(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
