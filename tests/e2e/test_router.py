"""More than one process (issue 16): `tandem route` polls Telegram and hands each chat's
updates to one of two Tandem workers (webhook mode behind the router, one database). Each
person is answered, always by the same worker; a worker that is down holds up only its own
chats, whose updates wait and arrive in order once it is back; a router restarted with
updates in hand loses none."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.bootstrap import bootstrap
from bot.db import Database
from bot.domain.clock import FakeClock
from bot.runtime import Runner
from bot.sandbox import ChatUser, SandboxClient, SandboxServer
from bot.serving import bind_socket
from bot.telegram.app import TelegramOptions
from bot.telegram.router import Router, worker_for
from tests.e2e.conftest import TOKEN, BotHarness
from tests.e2e.journeys import onboard_partner
from tests.factories import make_cohort, make_invite

SECRET = "router-secret-for-tests-0123456789-abcd"


def _free_port() -> int:
    probe = bind_socket("127.0.0.1", 0)
    port: int = probe.getsockname()[1]
    probe.close()
    return port


class Workers:
    """Two `tandem run` workers behind a router, and the router itself."""

    def __init__(self, sandbox: SandboxServer, db: Database, clock: FakeClock, url: str) -> None:
        self.sandbox, self.db, self.clock, self.url = sandbox, db, clock, url
        self.ports = [_free_port(), _free_port()]
        self.runners: list[Runner | None] = [None, None]
        self.router: Router | None = None
        self._stop = asyncio.Event()
        self._routing: asyncio.Task[None] | None = None

    def address(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}/telegram/updates"

    async def start_worker(self, index: int) -> None:
        harness = BotHarness(self.sandbox, self.db, self.clock, self.url)
        settings = harness.settings().model_copy(
            update={
                "telegram_webhook_url": self.address(index),
                "telegram_webhook_secret": SecretStr(SECRET),
                "tandem_behind_router": True,
            }
        )
        options = TelegramOptions(
            token=TOKEN, base_url=self.sandbox.bot_api_base_url, webhook=True, per_chat_rate=None
        )
        tandem = bootstrap(
            settings, clock=self.clock, telegram=dataclasses.replace(options), db=self.db
        )
        runner = Runner(tandem, port=self.ports[index])
        await runner.start()
        self.runners[index] = runner

    async def stop_worker(self, index: int) -> None:
        runner = self.runners[index]
        if runner is not None:
            await runner.stop()
            self.runners[index] = None

    async def start_router(self) -> None:
        self._stop = asyncio.Event()
        self.router = Router(
            token=TOKEN,
            base_url=self.sandbox.bot_api_base_url,
            workers=[self.address(0), self.address(1)],
            secret=SECRET,
            poll_seconds=1,
        )
        self._routing = asyncio.create_task(self.router.run(self._stop))

    async def stop_router(self) -> None:
        self._stop.set()
        if self._routing is not None:
            await self._routing
            self._routing = None


@pytest.fixture
async def workers(
    sandbox: SandboxServer, db: Database, clock: FakeClock, database_url: str
) -> AsyncIterator[Workers]:
    pair = Workers(sandbox, db, clock, database_url)
    await pair.start_worker(0)
    await pair.start_worker(1)
    await pair.start_router()
    yield pair
    await pair.stop_router()
    await pair.stop_worker(0)
    await pair.stop_worker(1)


async def _people_on_each_worker(telegram: SandboxClient) -> dict[int, list[ChatUser]]:
    """Telegram users until each worker has two (a chat goes where its id says)."""
    on: dict[int, list[ChatUser]] = {0: [], 1: []}
    names = iter(["Amina", "Bill", "Dev", "Grace", "Olu", "Priya", "Sam", "Tom", "Zoë", "Ana"])
    while min(len(people) for people in on.values()) < 2:
        user = await telegram.create_user(next(names))
        on[worker_for(user.id, 2)].append(user)
    return on


async def test_each_person_is_answered_by_one_worker_and_nothing_is_lost(
    workers: Workers, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    on = await _people_on_each_worker(telegram)
    code = make_invite(db, clock, make_cohort(db, clock), uses=10)
    everyone = [user for people in on.values() for user in people]
    await asyncio.gather(*(onboard_partner(user, code) for user in everyone))
    assert workers.router is not None
    first = workers.router.forwarded
    assert min(first) > 0, "each worker took its own people's updates"

    # Worker 1 goes down: its people's messages wait; worker 0's people are still answered.
    await workers.stop_worker(1)
    waiting, answered = on[1][0], on[0][0]
    await waiting.send("/help")
    await waiting.send("/settings")
    await answered.send("/help")
    await answered.expect("How I can help")
    await waiting.expect_silence(0.5)

    # Back again: what waited arrives, in the order it was sent (help, then settings).
    await workers.start_worker(1)
    await waiting.expect("How I can help")
    await waiting.expect("Your settings")
    assert sum(workers.router.forwarded) > sum(first)


async def test_a_router_restarted_with_updates_in_hand_loses_none(
    workers: Workers, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    on = await _people_on_each_worker(telegram)
    user = on[0][0]
    code = make_invite(db, clock, make_cohort(db, clock))
    await onboard_partner(user, code)
    await workers.stop_worker(0)  # the router takes the update but cannot hand it over
    await user.send("/help")
    await asyncio.sleep(0.3)
    await workers.stop_router()  # stops with the update still in hand: never confirmed
    await workers.start_worker(0)
    await user.expect_silence(0.3)
    await workers.start_router()  # Telegram gives the update again
    await user.expect("How I can help")
