"""Update processing: concurrent across people, in order for each person, and a person who
floods the bot is slowed down without slowing anyone else."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.metrics import UPDATE_SECONDS
from bot.telegram import pastes

log = logging.getLogger(__name__)

# A person may send bursts of about this many updates; beyond it their updates wait.
PERSON_BURST = 20
PERSON_WINDOW_SECONDS = 10.0
# Updates waiting per person beyond which new ones are dropped with one notice.
PERSON_BACKLOG = 60

FloodNotice = Callable[[int], Awaitable[None]]
Rerun = Callable[[Update], Awaitable[Any]]


@dataclass
class _Lane:
    """One person's queue: a lock keeps their updates in order, a limiter paces them."""

    limiter: AsyncLimiter
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0
    warned: bool = False
    idle_since: float = 0.0
    # Updates that arrived and have not started, in order; parts of a paste joined onto an
    # earlier update are skipped when their turn comes.
    pending: deque[Update] = field(default_factory=deque)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    consumed: set[int] = field(default_factory=set)


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
        self._rerun: Rerun | None = None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def set_flood_notice(self, notice: FloodNotice) -> None:
        """What to call (with the chat id) when a person's backlog overflows."""
        self._flood_notice = notice

    def set_rerun(self, rerun: Rerun) -> None:
        """How to handle an update made here (a long paste joined into one message)."""
        self._rerun = rerun

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
        assert isinstance(update, Update)
        lane.pending.append(update)
        lane.arrived.set()
        try:
            async with lane.lock:
                lane.pending.remove(update)
                if update.update_id in lane.consumed:  # joined onto the part before it
                    lane.consumed.discard(update.update_id)
                    _discard(coroutine)
                    return
                await lane.limiter.acquire()
                whole = await self._join_paste(lane, update)
                if whole is not None and self._rerun is not None:
                    _discard(coroutine)
                    coroutine = self._rerun(whole)
                async with self._working:
                    with UPDATE_SECONDS.time():
                        await coroutine
        finally:
            lane.waiting -= 1
            if lane.waiting == 0:
                lane.warned = False
                lane.idle_since = asyncio.get_running_loop().time()

    async def _join_paste(self, lane: _Lane, update: Update) -> Update | None:
        """The update with the rest of a long paste joined on (None: nothing to join)."""
        last = pastes.may_continue(update) if self._rerun is not None else None
        parts = []
        while last is not None:
            following = await self._next_update(lane)
            if following is None or not pastes.is_next_part(last, following):
                break
            lane.consumed.add(following.update_id)
            assert following.message is not None
            parts.append(following.message)
            last = following.message if pastes.may_continue(following) else None
        return pastes.joined(update, parts) if parts else None

    async def _next_update(self, lane: _Lane) -> Update | None:
        """The person's next update not yet handled, waiting a moment for one to arrive."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + pastes.JOIN_WAIT
        while True:
            waiting = [u for u in lane.pending if u.update_id not in lane.consumed]
            if waiting:
                return waiting[0]
            lane.arrived.clear()
            try:
                await asyncio.wait_for(lane.arrived.wait(), max(0.0, deadline - loop.time()))
            except TimeoutError:
                return None

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
