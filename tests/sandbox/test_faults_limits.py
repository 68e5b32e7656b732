"""Injected faults and Telegram-style flood limits."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.sandbox import DEFAULT_TOKEN as TOKEN
from bot.sandbox import ChatUser, SandboxClient, SandboxServer


async def send(http: httpx.AsyncClient, chat_id: int, text: str = "hi") -> httpx.Response:
    return await http.post("/sendMessage", json={"chat_id": chat_id, "text": text})


@pytest.mark.parametrize(
    ("options", "status", "body"),
    [
        (
            {"error_code": 429, "retry_after": 7},
            429,
            {"description": "Too Many Requests: retry after 7", "parameters": {"retry_after": 7}},
        ),
        ({"error_code": 403}, 403, {"description": "Forbidden: bot was blocked by the user"}),
        ({"error_code": 400}, 400, {"description": "Bad Request: chat not found"}),
        ({"error_code": 500}, 500, {"description": "Internal Server Error"}),
        ({"error_code": 502}, 502, {"description": "Bad Gateway"}),
        (
            {"error_code": 400, "description": "Bad Request: TOPIC_CLOSED"},
            400,
            {"description": "Bad Request: TOPIC_CLOSED"},
        ),
    ],
)
async def test_fault_kinds(
    http: httpx.AsyncClient,
    sandbox: SandboxClient,
    amina: ChatUser,
    options: dict[str, Any],
    status: int,
    body: dict[str, Any],
) -> None:
    await sandbox.add_fault("sendMessage", **options)
    response = await send(http, amina.chat_id)
    assert response.status_code == status
    assert response.json() == {"ok": False, "error_code": status, **body}
    assert (await send(http, amina.chat_id)).status_code == 200, "times defaults to 1"
    stats = await sandbox.stats()
    assert stats["errors"] == {"sendMessage": 1}
    assert stats["requests"]["sendMessage"] == 2


async def test_faults_seen_by_ptb(
    bot: Bot, sandbox: SandboxClient, amina: ChatUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    await sandbox.add_fault("sendMessage", error_code=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(amina.chat_id, "x")
    assert caught.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]
    await sandbox.add_fault("sendmessage", error_code=403)
    with pytest.raises(Forbidden):
        await bot.send_message(amina.chat_id, "x")
    await sandbox.add_fault("*", error_code=502)
    with pytest.raises(NetworkError, match=r"Bad Gateway"):
        await bot.get_me()


async def test_fault_matching_by_chat_and_times(
    http: httpx.AsyncClient, sandbox: SandboxClient, amina: ChatUser
) -> None:
    other = await sandbox.create_user("Ola")
    await other.send("hi")
    await sandbox.add_fault("*", chat_id=other.chat_id, error_code=500, times=2)
    assert (await send(http, amina.chat_id)).status_code == 200
    assert (await http.get("/getMe")).status_code == 200
    assert (await send(http, other.chat_id)).status_code == 500
    assert [f["times"] for f in await sandbox.faults()] == [1]
    assert (await send(http, other.chat_id)).status_code == 500
    assert await sandbox.faults() == []
    assert (await send(http, other.chat_id)).status_code == 200


async def test_delay_only_fault_then_proceeds(
    http: httpx.AsyncClient, sandbox: SandboxClient, amina: ChatUser
) -> None:
    await sandbox.add_fault("sendMessage", delay=0.3)
    started = time.monotonic()
    response = await send(http, amina.chat_id, "slow")
    assert response.json()["result"]["text"] == "slow"
    assert time.monotonic() - started >= 0.3


async def test_delay_with_error_and_clearing(
    http: httpx.AsyncClient, sandbox: SandboxClient, amina: ChatUser
) -> None:
    await sandbox.add_fault("sendMessage", delay=0.2, error_code=500)
    started = time.monotonic()
    assert (await send(http, amina.chat_id)).status_code == 500
    assert time.monotonic() - started >= 0.2
    await sandbox.add_fault("sendMessage", error_code=500, times=5)
    await sandbox.clear_faults()
    assert (await send(http, amina.chat_id)).status_code == 200


async def test_per_chat_limit_with_burst(
    http: httpx.AsyncClient, sandbox: SandboxClient, amina: ChatUser
) -> None:
    await sandbox.set_limits(enforce=True, per_chat_per_second=1, per_chat_burst=3)
    statuses = [(await send(http, amina.chat_id)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = (await send(http, amina.chat_id)).json()
    assert limited["description"] == "Too Many Requests: retry after 1"
    assert limited["parameters"] == {"retry_after": 1}
    other = await sandbox.create_user("Ola")
    await other.send("hi")
    assert (await send(http, other.chat_id)).status_code == 200, "other chats are unaffected"
    response = await http.post(
        "/sendChatAction", json={"chat_id": amina.chat_id, "action": "typing"}
    )
    assert response.status_code == 200, "chat actions are not rate limited"


async def test_per_chat_bucket_refills(
    http: httpx.AsyncClient, sandbox: SandboxClient, amina: ChatUser
) -> None:
    await sandbox.set_limits(enforce=True, per_chat_per_second=20, per_chat_burst=1)
    assert (await send(http, amina.chat_id)).status_code == 200
    assert (await send(http, amina.chat_id)).status_code == 429
    await asyncio.sleep(0.06)
    assert (await send(http, amina.chat_id)).status_code == 200


async def test_global_limit_and_whole_second_retry_after(
    http: httpx.AsyncClient, sandbox: SandboxClient
) -> None:
    users = [await sandbox.create_user(f"U{i}") for i in range(6)]
    for user in users:
        await user.send("hi")
    await sandbox.set_limits(enforce=True, global_per_second=0.5, per_chat_burst=10)
    assert (await send(http, users[0].chat_id)).status_code == 200
    response = await send(http, users[1].chat_id)
    assert response.status_code == 429
    assert response.json()["parameters"]["retry_after"] == 2, "one send per two seconds"
    await sandbox.set_limits(enforce=True, global_per_second=5, per_chat_burst=10)
    statuses = [(await send(http, user.chat_id)).status_code for user in users]
    assert statuses == [200] * 5 + [429]
    await sandbox.set_limits(enforce=False)
    assert (await send(http, users[5].chat_id)).status_code == 200


async def test_limits_from_the_constructor() -> None:
    async with (
        SandboxServer(token=TOKEN, enforce_limits=True) as server,
        SandboxClient(server.url) as sandbox,
        httpx.AsyncClient(base_url=f"{server.url}/bot{TOKEN}") as http,
    ):
        user = await sandbox.create_user("Bea")
        await user.send("hi")
        statuses = [(await send(http, user.chat_id)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]


async def test_validation_still_applies_under_faults_that_only_delay(
    bot: Bot, sandbox: SandboxClient, amina: ChatUser
) -> None:
    await sandbox.add_fault("sendMessage", delay=0.01)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(amina.chat_id, " ")
