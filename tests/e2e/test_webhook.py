"""Webhook mode: Telegram posts updates to the web app instead of the bot polling."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from bot.bootstrap import bootstrap
from bot.db import Database
from bot.domain.clock import FakeClock
from bot.runtime import Runner
from bot.sandbox import SandboxClient, SandboxServer
from bot.serving import bind_socket
from bot.telegram.app import TelegramOptions
from tests.e2e.conftest import TOKEN, BotHarness
from tests.e2e.journeys import partner_joins

SECRET = "s3cret-for-tests"


@pytest.fixture
async def webhook_bot(
    sandbox: SandboxServer, db: Database, clock: FakeClock, database_url: str
) -> AsyncIterator[Runner]:
    probe = bind_socket("127.0.0.1", 0)
    port = probe.getsockname()[1]
    probe.close()
    harness = BotHarness(sandbox, db, clock, database_url)
    settings = harness.settings().model_copy(
        update={
            "telegram_webhook_url": f"http://127.0.0.1:{port}/telegram/webhook",
            "telegram_webhook_secret": SecretStr(SECRET),
        }
    )
    options = TelegramOptions(token=TOKEN, base_url=sandbox.bot_api_base_url, webhook=True)
    tandem = bootstrap(settings, clock=clock, telegram=dataclasses.replace(options), db=db)
    runner = Runner(tandem, port=port)
    await runner.start()
    yield runner
    await runner.stop()


async def test_onboarding_works_over_a_webhook(
    webhook_bot: Runner, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    info = await telegram.bot_info()
    assert info["webhook"]["url"].endswith("/telegram/webhook")
    await partner_joins(telegram, db, clock)  # onboarding completes: every screen arrived


async def test_webhook_refuses_posts_without_the_secret(webhook_bot: Runner) -> None:
    async with httpx.AsyncClient() as client:
        url = f"{webhook_bot.web.url}/telegram/webhook"
        assert (await client.post(url, json={"update_id": 1})).status_code == 403
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        assert (await client.post(url, json={"update_id": 1}, headers=wrong)).status_code == 403
        health = await client.get(f"{webhook_bot.web.url}/healthz")
    assert health.json() == {"ok": True, "database": "ok", "telegram": "webhook"}
