"""getUpdates: offsets, limits, long polling, conflicts, allowed_updates and replays."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Conflict

from bot.sandbox import SandboxClient, SandboxError


async def get_updates(http: httpx.AsyncClient, **params: Any) -> Any:
    response = await http.post("/getUpdates", json=params, timeout=10)
    return response.json()


async def ids(http: httpx.AsyncClient, **params: Any) -> list[int]:
    return [u["update_id"] for u in (await get_updates(http, **params))["result"]]


async def test_offset_confirms_and_forgets(http: httpx.AsyncClient, sandbox: SandboxClient) -> None:
    user = await sandbox.create_user("Bea")
    sent = [await user.send(f"m{i}") for i in range(4)]
    assert sent == sorted(sent) and len(set(sent)) == 4
    assert await ids(http) == sent
    assert await ids(http) == sent, "unconfirmed updates are returned again"
    assert await ids(http, offset=sent[2]) == sent[2:]
    assert await ids(http, offset=0) == sent[2:], "confirmed updates are gone for good"
    assert await ids(http, offset=sent[3] + 1) == []


async def test_limit_and_negative_offset(http: httpx.AsyncClient, sandbox: SandboxClient) -> None:
    user = await sandbox.create_user("Bea")
    sent = [await user.send(f"m{i}") for i in range(5)]
    assert await ids(http, limit=2) == sent[:2]
    assert await ids(http, offset=-2) == sent[3:]
    assert await ids(http) == sent[3:]


async def test_update_payload(http: httpx.AsyncClient, sandbox: SandboxClient) -> None:
    user = await sandbox.create_user("Bea", username="bea_k", language_code="cy")
    update_id = await user.send("/start@tandem_test_bot CODE")
    (update,) = (await get_updates(http))["result"]
    message = update["message"]
    assert update["update_id"] == update_id
    assert message["from"] == {
        "id": user.id,
        "is_bot": False,
        "first_name": "Bea",
        "username": "bea_k",
        "language_code": "cy",
    }
    assert message["chat"] == {
        "id": user.id,
        "first_name": "Bea",
        "username": "bea_k",
        "type": "private",
    }
    assert message["entities"] == [{"offset": 0, "length": 22, "type": "bot_command"}]
    assert isinstance(message["date"], int)


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    http: httpx.AsyncClient, sandbox: SandboxClient
) -> None:
    user = await sandbox.create_user("Bea")
    started = time.monotonic()
    poll = asyncio.create_task(get_updates(http, timeout=10))
    await asyncio.sleep(0.05)
    assert not poll.done()
    await user.send("hello")
    result = (await poll)["result"]
    assert [u["message"]["text"] for u in result] == ["hello"]
    assert time.monotonic() - started < 2


async def test_long_poll_times_out_empty(http: httpx.AsyncClient) -> None:
    started = time.monotonic()
    assert (await get_updates(http, timeout=0.3)) == {"ok": True, "result": []}
    assert 0.25 < time.monotonic() - started < 2


async def test_second_poll_terminates_the_first(http: httpx.AsyncClient) -> None:
    first = asyncio.create_task(get_updates(http, timeout=10))
    await asyncio.sleep(0.05)
    assert (await get_updates(http, timeout=0)) == {"ok": True, "result": []}
    assert await first == {
        "ok": False,
        "error_code": 409,
        "description": "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
    }


async def test_get_updates_conflicts_with_a_webhook(http: httpx.AsyncClient, bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/hook")
    assert await get_updates(http) == {
        "ok": False,
        "error_code": 409,
        "description": "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    }
    with pytest.raises(Conflict):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_allowed_updates_filter_new_updates_and_persist(
    http: httpx.AsyncClient, bot: Bot, sandbox: SandboxClient
) -> None:
    user = await sandbox.create_user("Bea")
    await user.send("before")
    assert await ids(http, allowed_updates=["callback_query"]) != []
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    await bot.send_message(user.chat_id, "Pick", reply_markup=keyboard)
    await user.send("filtered out")
    press = await user.press("A")
    result = (await get_updates(http, offset=press))["result"]
    assert [list(u)[1] for u in result] == ["callback_query"]
    await get_updates(http, offset=press + 1, allowed_updates=[])
    after = await user.send("default again")
    assert await ids(http) == [after]


async def test_replay_redelivers_a_confirmed_update_once(
    http: httpx.AsyncClient, sandbox: SandboxClient
) -> None:
    user = await sandbox.create_user("Bea")
    first = await user.send("one")
    second = await user.send("two")
    assert await ids(http) == [first, second]
    assert await ids(http, offset=second + 1) == []
    await sandbox.replay(first)
    third = await user.send("three")
    # The bot's offset is already past `first`; the replay is still handed out, in id order.
    assert await ids(http, offset=second + 1) == [first, third]
    assert await ids(http, offset=third + 1) == []


async def test_replay_of_unknown_update_is_404(sandbox: SandboxClient) -> None:
    with pytest.raises(SandboxError, match="404: no update 424242"):
        await sandbox.replay(424242)


async def test_ptb_long_poll(bot: Bot, sandbox: SandboxClient) -> None:
    user = await sandbox.create_user("Bea")
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    await user.send_sticker("🎉")
    (update,) = await poll
    assert update.message is not None and update.message.sticker is not None
    assert update.message.sticker.emoji == "🎉"
