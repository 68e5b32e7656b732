"""Running Tandem: the bot, the scheduler and the web app in one process and one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Coroutine
from typing import Any

from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.bootstrap import Tandem
from bot.domain import places
from bot.domain.outbox import release_all_leases
from bot.domain.updates import set_fact
from bot.serving import LoopbackServer
from bot.telegram import menus
from bot.telegram.updates import ALLOWED_UPDATES

log = logging.getLogger(__name__)

POLL_TIMEOUT_SECONDS = 10


class StartupError(Exception):
    """Tandem could not start; the message is one line for the operator."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Runner:
    """Starts and stops everything `tandem run` runs, in order."""

    def __init__(self, tandem: Tandem, *, host: str | None = None, port: int | None = None):
        self.tandem = tandem
        settings = tandem.settings
        self.web = LoopbackServer(
            tandem.web,
            host=host if host is not None else settings.tandem_host,
            port=port if port is not None else settings.port,
        )
        self._background: set[asyncio.Task[object]] = set()
        self._started = False

    async def start(self) -> None:
        """Connect to Telegram, then serve the web app, poll (or take webhooks) and schedule."""
        tandem, application = self.tandem, self.tandem.application
        await self._initialize()
        services = tandem.services
        services.bot_username = application.bot.username
        with tandem.db.transaction() as session:
            set_fact(session, key="bot_username", value=application.bot.username)
        await menus.set_default_menu(application.bot, services)
        await self.web.start()
        services.public_url = tandem.settings.public_url(self.web.url)
        if not tandem.settings.serves_only_this_machine() and not services.public_url.startswith(
            "https://"
        ):
            log.warning(
                "the dashboard listens beyond this machine (%s) without HTTPS in front (%s): "
                "sign-in links and session cookies can be read on the way; put it behind "
                "HTTPS and set TANDEM_PUBLIC_URL to the https:// address",
                tandem.settings.tandem_host,
                services.public_url,
            )
        # Everything built so far lives as long as the process: keep the garbage collector
        # from re-scanning it in every full collection (those pauses stall every chat).
        # No collection first: it held up the first update by 0.1-0.3 s, to free the few
        # megabytes of garbage a start leaves (issue 16).
        gc.freeze()
        gc.set_threshold(20_000, 20, 20)
        gc.enable()  # `tandem run` turns it off while it builds
        if tandem.settings.tandem_behind_router:
            pass  # `tandem route` polls Telegram and hands this process its chats' updates
        elif tandem.webhook_url:
            await application.bot.set_webhook(
                tandem.webhook_url,
                secret_token=tandem.settings.webhook_secret(),
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            assert application.updater is not None
            await application.updater.start_polling(
                timeout=POLL_TIMEOUT_SECONDS, allowed_updates=ALLOWED_UPDATES
            )
        await application.start()
        # The place search's gazetteer: read when the first person reached the time zone
        # question, its half second of Python stalled a crowd that was already chatting
        # (bot-side p99 about 50 -> 300 ms at 300 updates/s). Now it is read from the
        # start, in a process of its own; only taking it in (about 70 ms) runs here
        # (issue 16).
        places.load_soon()
        if tandem.db.is_sqlite:
            # The only dispatcher on SQLite: anything left "sending" was in flight at a crash.
            with tandem.db.transaction() as session:
                in_doubt = release_all_leases(session, clock=services.clock)
            if in_doubt:
                log.warning(
                    "%s message(s) were being sent when Tandem stopped; sending them "
                    "again (some may arrive twice)",
                    in_doubt,
                )
        tandem.scheduler.start()
        self._started = True
        self._spawn(menus.sync_stale_menus(application.bot, services))
        log.info(
            "Tandem is running as @%s (%s); web on %s",
            application.bot.username,
            _mode(tandem),
            self.web.url,
        )

    async def _initialize(self) -> None:
        try:
            await self.tandem.application.initialize()
        except InvalidToken:
            raise StartupError(
                "Telegram refused TELEGRAM_BOT_TOKEN (unauthorized). Check the token "
                "@BotFather gave you.",
                exit_code=2,
            ) from None
        except (NetworkError, TimedOut) as exc:
            raise StartupError(
                f"Cannot reach Telegram at {self.tandem.settings.telegram_base_url} ({exc}). "
                "Check the network or TELEGRAM_BASE_URL."
            ) from None

    def _spawn(self, coroutine: Coroutine[Any, Any, object]) -> None:
        task: asyncio.Task[object] = asyncio.create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def stop(self) -> None:
        """Stop taking updates, finish what is in hand, then close everything."""
        tandem, application = self.tandem, self.tandem.application
        for task in list(self._background):
            task.cancel()
        # No new jobs, let the batch in hand finish, then stop the scheduler (stopping it
        # first would cancel a dispatch mid-send).
        if tandem.scheduler.running:
            tandem.scheduler.pause()
        try:
            await asyncio.wait_for(tandem.dispatcher.close(), timeout=15)
        except TimeoutError:
            log.warning("stopping with messages still in flight; they will be retried")
        if tandem.scheduler.running:
            tandem.scheduler.shutdown(wait=False)
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await self.web.stop()
        with contextlib.suppress(Exception):
            await application.shutdown()
        self._started = False


def _mode(tandem: Tandem) -> str:
    if tandem.settings.tandem_behind_router:
        return "behind a router"
    return "webhook" if tandem.webhook_url else "polling"


async def run_until_signalled(tandem: Tandem) -> None:
    """`tandem run`: start, wait for SIGINT or SIGTERM, stop cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = Runner(tandem)
    try:
        await runner.start()
        await stop.wait()
        log.info("stopping")
    finally:
        await runner.stop()
        tandem.db.dispose()


async def run_worker(tandem: Tandem, *, poll_seconds: float = 1.0) -> None:
    """`tandem worker`: only dispatch the outbox (another instance takes the updates).

    For high availability on PostgreSQL: claims use SKIP LOCKED, so workers never send the
    same row twice, and a worker that dies leaves its rows to the others once leases end.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    bot = tandem.application.bot
    await bot.initialize()
    try:
        log.info("dispatching as %s", tandem.dispatcher.worker)
        while not stop.is_set():
            if await tandem.dispatcher.drain() == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=poll_seconds)
    finally:
        await bot.shutdown()
        tandem.db.dispose()
