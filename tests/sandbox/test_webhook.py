"""Webhook delivery to a small Starlette receiver: order, secret header, retries, deletion."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot

from bot.sandbox import LoopbackServer, SandboxClient

SECRET = "s3cret-Token_1"


class Receiver:
    """A bot's webhook endpoint that records what it gets and answers scripted statuses."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.statuses: list[int] = []
        self._changed = asyncio.Event()
        self.app = Starlette(routes=[Route("/hook", self.hook, methods=["POST"])])

    async def hook(self, request: Request) -> Response:
        secret = request.headers.get("x-telegram-bot-api-secret-token")
        self.received.append((await request.json(), secret))
        self._changed.set()
        return Response(status_code=self.statuses.pop(0) if self.statuses else 200)

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(5):
            while len(self.received) < count:
                self._changed.clear()
                await self._changed.wait()

    def texts(self) -> list[str]:
        return [body["message"]["text"] for body, _ in self.received]


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    target = Receiver()
    server = LoopbackServer(target.app)
    await server.start()
    try:
        yield target, server.url + "/hook"
    finally:
        await server.stop()


async def test_updates_are_posted_in_order_with_the_secret(
    bot: Bot, sandbox: SandboxClient, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    assert await bot.set_webhook(url, secret_token=SECRET, allowed_updates=["message"])
    user = await sandbox.create_user("Cai")
    sent = [await user.send(text) for text in ("one", "two", "three")]
    await target.wait_for(3)
    assert [body["update_id"] for body, _ in target.received] == sent
    assert target.texts() == ["one", "two", "three"]
    assert {secret for _, secret in target.received} == {SECRET}
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.allowed_updates) == (url, 0, ("message",))
    assert (await sandbox.bot_info())["webhook"]["secret_token"] == SECRET


async def test_failed_deliveries_are_retried_with_backoff_keeping_order(
    bot: Bot, sandbox: SandboxClient, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    target.statuses = [500, 503]
    await bot.set_webhook(url)
    user = await sandbox.create_user("Cai")
    await user.send("first")
    await user.send("second")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await target.wait_for(4)
    assert target.texts() == ["first", "first", "first", "second"]
    assert loop.time() - started >= 0.25, "0.1 s then 0.2 s of backoff"
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 503 Service Unavailable"
    assert info.pending_update_count == 0


async def test_broken_webhook_keeps_updates_until_deleted(bot: Bot, sandbox: SandboxClient) -> None:
    attempts = asyncio.Event()

    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        attempts.set()
        writer.close()
        await writer.wait_closed()

    broken = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = broken.sockets[0].getsockname()[1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook")
        user = await sandbox.create_user("Cai")
        await user.send("are you there?")
        async with asyncio.timeout(5):
            await attempts.wait()
            attempts.clear()
            await attempts.wait()
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 1
        assert info.last_error_message == "Connection reset by peer"
        await bot.delete_webhook()
    finally:
        broken.close()
        await broken.wait_closed()
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.text == "are you there?"


async def test_deleting_the_webhook_stops_delivery(
    bot: Bot, sandbox: SandboxClient, receiver: tuple[Receiver, str]
) -> None:
    target, url = receiver
    await bot.set_webhook(url)
    user = await sandbox.create_user("Cai")
    await user.send("via webhook")
    await target.wait_for(1)
    await bot.delete_webhook()
    await user.send("via polling")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.text == "via polling"
    assert target.texts() == ["via webhook"]


async def test_drop_pending_updates(bot: Bot, sandbox: SandboxClient) -> None:
    user = await sandbox.create_user("Cai")
    await user.send("stale")
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()
    assert (await bot.get_webhook_info()).pending_update_count == 0
