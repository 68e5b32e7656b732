"""Webhook mode: Telegram posts updates to the web app instead of the bot polling."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr
from sqlmodel import select

from bot.bootstrap import bootstrap
from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import ProcessedUpdate
from bot.runtime import Runner
from bot.sandbox import SandboxClient, SandboxServer
from bot.serving import bind_socket
from bot.telegram.app import TelegramOptions
from tests.e2e.conftest import TOKEN, BotHarness
from tests.e2e.journeys import partner_joins

SECRET = "s3cret-for-tests-0123456789-abcdefghij"  # Telegram allows 1-256 of A-Za-z0-9_-


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


async def test_webhook_refuses_posts_without_the_secret_and_they_change_nothing(
    webhook_bot: Runner, telegram: SandboxClient, db: Database
) -> None:
    # A forged /start from a real user's id: if it were taken, the bot would answer them.
    user = await telegram.create_user("Margaret", started=True)
    forged = {
        "update_id": 4242,
        "message": {
            "message_id": 1,
            "date": 1_765_000_000,
            "chat": {"id": user.id, "type": "private"},
            "from": {"id": user.id, "is_bot": False, "first_name": "Margaret"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    async with httpx.AsyncClient() as client:
        url = f"{webhook_bot.web.url}/telegram/webhook"
        assert (await client.post(url, json=forged)).status_code == 403
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        assert (await client.post(url, json=forged, headers=wrong)).status_code == 403
        health = await client.get(f"{webhook_bot.web.url}/healthz")
    assert health.json() == {"ok": True, "database": "ok", "telegram": "webhook"}
    with db.transaction() as session:
        assert session.exec(select(ProcessedUpdate)).all() == []
    assert await user.bot_messages() == []
