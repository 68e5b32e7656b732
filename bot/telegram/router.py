"""`tandem route`: one poller in front of several Tandem processes (issue 16).

Telegram lets one process poll a bot's updates. When one process is not enough, the router
polls and hands each update to one of several `tandem run` processes ("workers", in webhook
mode behind the router: TANDEM_BEHIND_ROUTER=1), always the same worker for the same chat,
so each person's updates are still handled in order by one process. The workers share one
PostgreSQL database: one of them plans, one sends the outbox (one Telegram budget), and any
of them answers the people routed to it.

Nothing is lost on the way: an update is confirmed to Telegram (the next getUpdates offset)
only once its worker has accepted it. The router asks again from the oldest update not yet
accepted and skips those it already holds; a router that stops or crashes leaves the rest
to be delivered again, and the workers' update log (processed once) drops what was already
handled. A worker that cannot be reached holds up only its own chats: their updates wait,
in order, and are retried with backoff.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.telegram.updates import ALLOWED_UPDATES

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
POLL_SECONDS = 25  # long poll
HELD_MAX = 2_000  # updates held (not yet accepted by a worker) before polling waits
RETRY_FIRST, RETRY_MAX = 0.25, 10.0  # seconds between tries at a worker that failed
_KINDS_WITH_A_CHAT = ("message", "edited_message", "channel_post", "my_chat_member")


def chat_key(update: dict[str, Any]) -> int:
    """Which conversation an update belongs to: its chat, else its sender (0: neither)."""
    for kind in _KINDS_WITH_A_CHAT:
        if isinstance(part := update.get(kind), dict):
            chat = part.get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return int(chat["id"])
    query = update.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return int(message["chat"].get("id", 0))
        sender = query.get("from")
        if isinstance(sender, dict):
            return int(sender.get("id", 0))
    for part in update.values():
        if isinstance(part, dict) and isinstance(part.get("from"), dict):
            return int(part["from"].get("id", 0))
    return 0


def worker_for(key: int, workers: int) -> int:
    """The worker a conversation goes to: stable across restarts and routers."""
    return zlib.crc32(key.to_bytes(8, "big", signed=True)) % workers


@dataclass
class _Worker:
    url: str
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    forwarded: int = 0
    failures: int = 0


class RouterError(Exception):
    """The router cannot go on (Telegram refused the token, say)."""


class Router:
    """Polls Telegram and forwards each update to its chat's worker, in order."""

    def __init__(
        self,
        *,
        token: str,
        base_url: str,
        workers: Sequence[str],
        secret: str,
        poll_seconds: int = POLL_SECONDS,
        held_max: int = HELD_MAX,
    ) -> None:
        if not workers:
            raise ValueError("the router needs at least one worker")
        self._api = f"{base_url}{token}"
        self._workers = [_Worker(url) for url in workers]
        self._secret = secret
        self._poll_seconds = poll_seconds
        self._held_max = held_max
        self._held: set[int] = set()  # update ids queued or in flight to a worker
        self._newest = -1  # the highest update id taken from Telegram
        self._accepted = 0  # updates workers have accepted so far
        self._progress = asyncio.Event()  # set each time a worker accepts one
        self._session: aiohttp.ClientSession | None = None

    @property
    def forwarded(self) -> list[int]:
        """Updates each worker has accepted so far."""
        return [worker.forwarded for worker in self._workers]

    def _offset(self) -> int | None:
        """Where the next getUpdates starts: the oldest update a worker has not accepted."""
        if self._held:
            return min(self._held)
        return self._newest + 1 if self._newest >= 0 else None

    async def run(self, stop: asyncio.Event) -> None:
        """Route until `stop` is set; what is held then is left for Telegram to resend."""
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            self._session = session
            # getUpdates is refused while a webhook is set.
            await self._call("deleteWebhook", {"drop_pending_updates": False})
            senders = [asyncio.create_task(self._send_all(w)) for w in self._workers]
            try:
                while not stop.is_set():
                    await self._poll_once(stop)
            finally:
                for task in senders:
                    task.cancel()
                await asyncio.gather(*senders, return_exceptions=True)
                self._session = None

    async def _poll_once(self, stop: asyncio.Event) -> None:
        accepted = self._accepted
        if len(self._held) >= self._held_max:
            await self._wait_for_progress(stop, accepted)
            return
        params: dict[str, Any] = {"timeout": self._poll_seconds, "allowed_updates": ALLOWED_UPDATES}
        if (offset := self._offset()) is not None:
            params["offset"] = offset
        poll = asyncio.create_task(self._call("getUpdates", params))
        halt = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({poll, halt}, return_when=asyncio.FIRST_COMPLETED)
        halt.cancel()
        if poll not in done:
            poll.cancel()
            return
        try:
            updates = poll.result()
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("getUpdates failed (%s); trying again", exc)
            await asyncio.sleep(1.0)
            return
        fresh = [
            u for u in updates if isinstance(u, dict) and u.get("update_id", -1) > self._newest
        ]
        for update in fresh:
            update_id = int(update["update_id"])
            self._newest = max(self._newest, update_id)
            self._held.add(update_id)
            worker = self._workers[worker_for(chat_key(update), len(self._workers))]
            worker.queue.put_nowait(update)
        if updates and not fresh:
            # Only updates already on their way came back: wait until one more is accepted.
            await self._wait_for_progress(stop, accepted)

    async def _wait_for_progress(self, stop: asyncio.Event, accepted: int) -> None:
        """Until a worker accepts an update after the `accepted`-th (or a second passes)."""
        while self._accepted == accepted and not stop.is_set():
            self._progress.clear()
            waits = [asyncio.create_task(self._progress.wait()), asyncio.create_task(stop.wait())]
            done, _ = await asyncio.wait(waits, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
            for task in waits:
                task.cancel()
            if not done:
                return

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        assert self._session is not None
        async with self._session.post(f"{self._api}/{method}", json=params) as response:
            body = await response.json(content_type=None)
        if response.status == 401:
            raise RouterError("Telegram refused TELEGRAM_BOT_TOKEN (unauthorized).")
        if not isinstance(body, dict) or not body.get("ok"):
            retry = (
                (body.get("parameters") or {}).get("retry_after") if isinstance(body, dict) else 0
            )
            if retry:
                await asyncio.sleep(float(retry))
            raise aiohttp.ClientError(f"{method}: {response.status} {body!r:.200}")
        return body.get("result")

    async def _send_all(self, worker: _Worker) -> None:
        """Forward a worker's updates one at a time, in order, each until it is accepted."""
        while True:
            update = await worker.queue.get()
            await self._deliver(worker, update)
            self._held.discard(int(update["update_id"]))
            self._accepted += 1
            self._progress.set()

    async def _deliver(self, worker: _Worker, update: dict[str, Any]) -> None:
        assert self._session is not None
        delay = RETRY_FIRST
        while True:
            try:
                async with self._session.post(
                    worker.url, json=update, headers={SECRET_HEADER: self._secret}
                ) as response:
                    status = response.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                status, reason = 0, str(exc) or type(exc).__name__
            else:
                reason = f"HTTP {status}"
            if 200 <= status < 300:
                worker.forwarded += 1
                worker.failures = 0
                return
            if status in (400, 413):  # the worker cannot read it: retrying will not help
                log.error(
                    "worker %s refused update %s (%s)", worker.url, update["update_id"], reason
                )
                return
            worker.failures += 1
            if worker.failures in (1, 10) or worker.failures % 100 == 0:
                log.warning(
                    "worker %s failed %s time(s) (%s); its chats wait and it is tried again",
                    worker.url,
                    worker.failures,
                    reason,
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX)


async def run_router(*, token: str, base_url: str, workers: Sequence[str], secret: str) -> None:
    """`tandem route`: route until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    router = Router(token=token, base_url=base_url, workers=workers, secret=secret)
    log.info("routing updates to %s worker(s)", len(workers))
    await router.run(stop)
    log.info("stopped; updates forwarded per worker: %s", router.forwarded)
