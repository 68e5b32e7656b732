"""Fixtures: a running sandbox, a control client, a PTB Bot and a raw HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot

from bot.sandbox import DEFAULT_TOKEN as TOKEN
from bot.sandbox import ChatUser, SandboxClient, SandboxServer


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(token=TOKEN, username="tandem_test_bot") as running:
        yield running


@pytest.fixture
async def sandbox(server: SandboxServer) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(server.url) as client:
        yield client


@pytest.fixture
async def bot(server: SandboxServer) -> AsyncIterator[Bot]:
    async with Bot(
        TOKEN, base_url=server.bot_api_base_url, base_file_url=server.bot_api_file_url
    ) as ptb_bot:
        yield ptb_bot


@pytest.fixture
async def http(server: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{server.url}/bot{TOKEN}") as client:
        yield client


@pytest.fixture
async def amina(sandbox: SandboxClient) -> ChatUser:
    """A user who has started the bot (so it may write to her)."""
    user = await sandbox.create_user("Amina", username="amina61", last_name="Khan")
    await user.send("/start")
    return user
