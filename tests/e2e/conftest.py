"""End-to-end fixtures: the Bot API sandbox and the real bot (same Runner as `tandem run`)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.bootstrap import Tandem, bootstrap
from bot.config import Settings
from bot.db import Database
from bot.domain.clock import FakeClock
from bot.runtime import Runner
from bot.sandbox import SandboxClient, SandboxServer
from bot.scheduling.jobs import plan
from bot.telegram.app import TelegramOptions

TOKEN = "7000000001:" + "T" * 35
BOT_USERNAME = "tandem_test_bot"


class BotHarness:
    """The bot under test; `restart()` throws away everything in memory, as a crash would."""

    def __init__(self, sandbox: SandboxServer, db: Database, clock: FakeClock, url: str) -> None:
        self.sandbox, self.db, self.clock, self.url = sandbox, db, clock, url
        self.tandem: Tandem | None = None
        self.runner: Runner | None = None
        self.environment: dict[str, str] = {}  # more settings, as an operator would give them

    def settings(self) -> Settings:
        """Settings as an operator would give them."""
        return Settings(  # type: ignore[call-arg]
            _env_file=None,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_BASE_URL=self.sandbox.bot_api_base_url,
            DATABASE_URL=self.url,
            **self.environment,
        )

    async def start(self, **overrides: Any) -> None:
        """Build and start a fresh bot process state (options may be overridden)."""
        settings = self.settings()
        options = TelegramOptions(
            token=TOKEN,
            base_url=settings.telegram_base_url,
            retry_base_delay=0.01,
            read_timeout=5.0,
            # Test people tap far faster than a person can, and this sandbox enforces no
            # limits: replies are not held to one a second per chat (bulk sends still are;
            # tests/telegram/test_pacing.py and bench/updates.py cover the production pace).
            per_chat_rate=None,
        )
        options = dataclasses.replace(options, **overrides)
        self.tandem = bootstrap(settings, clock=self.clock, telegram=options, db=self.db)
        self.runner = Runner(self.tandem, port=0)
        await self.runner.start()

    async def stop(self) -> None:
        """Stop the bot the way Ctrl-C does."""
        if self.runner is not None:
            await self.runner.stop()
            self.runner = None

    async def tick(self) -> int:
        """What the scheduler does each minute and second, now: plan, then send what is due."""
        assert self.tandem is not None
        library = self.tandem.services.library
        plan(self.db, self.clock, library.timetable)
        return await self.tandem.dispatcher.drain()

    async def restart(self, **overrides: Any) -> None:
        """Stop and start again with nothing carried over in memory."""
        await self.stop()
        await self.start(**overrides)

    async def restart_for_a_flood(self) -> None:
        """Restart for a test that sends hundreds of updates, far faster than a person can:
        no per-person flood limit, and replies not paced to Telegram's 30 a second overall
        (after a burst of 20 each waited 1/30 s, most of these tests' time; issue 16). This
        sandbox enforces no limits; tests/telegram/test_pacing.py covers the pace."""
        await self.restart(person_burst=10_000, overall_rate=None)


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    """A Bot API sandbox on a free loopback port."""
    async with SandboxServer(token=TOKEN, username=BOT_USERNAME) as server:
        yield server


@pytest.fixture
async def telegram(sandbox: SandboxServer) -> AsyncIterator[SandboxClient]:
    """The sandbox's control API: act as Telegram users."""
    async with SandboxClient(sandbox.url) as client:
        yield client


@pytest.fixture
async def bot(
    sandbox: SandboxServer, db: Database, clock: FakeClock, database_url: str
) -> AsyncIterator[BotHarness]:
    """The real bot, running against the sandbox over HTTP."""
    harness = BotHarness(sandbox, db, clock, database_url)
    await harness.start()
    yield harness
    await harness.stop()
