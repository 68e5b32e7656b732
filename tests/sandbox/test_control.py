"""The control API: users acting, chat snapshots and events, presses, timings, reset."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.sandbox import ChatUser, SandboxClient, SandboxError, SandboxServer


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in buttons])


async def control(server: SandboxServer, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url + "/control") as client:
        return await client.request(method, path, **kwargs)


async def test_health_and_bot_info(server: SandboxServer, sandbox: SandboxClient, bot: Bot) -> None:
    assert (await control(server, "GET", "/health")).json() == {"ok": True}
    info = await sandbox.bot_info()
    assert info == {
        "id": 123456,
        "username": "tandem_test_bot",
        "first_name": "Tandem",
        "token": server.token,
        "webhook": None,
    }
    await bot.set_webhook("http://127.0.0.1:9/hook")
    assert (await sandbox.bot_info())["webhook"]["url"] == "http://127.0.0.1:9/hook"


async def test_user_ids_and_shapes(sandbox: SandboxClient) -> None:
    first = await sandbox.create_user("Amina", username="amina61", last_name="Khan")
    second = await sandbox.create_user("Bea", language_code="cy")
    chosen = await sandbox.create_user("Cai", id=5550001)
    assert (first.id, second.id, chosen.id) == (1000001, 1000002, 5550001)
    assert first.chat_id == first.id
    assert await sandbox.users() == [
        {
            "id": 1000001,
            "is_bot": False,
            "first_name": "Amina",
            "last_name": "Khan",
            "username": "amina61",
            "language_code": "en",
        },
        {"id": 1000002, "is_bot": False, "first_name": "Bea", "language_code": "cy"},
        {"id": 5550001, "is_bot": False, "first_name": "Cai", "language_code": "en"},
    ]
    with pytest.raises(SandboxError, match="409"):
        await sandbox.create_user("Dup", id=5550001)
    assert await sandbox.user(first.id) is first
    with pytest.raises(SandboxError, match="404"):
        await sandbox.user(1)


async def test_unknown_user_and_bad_bodies(server: SandboxServer) -> None:
    response = await control(server, "POST", "/users/999/text", json={"text": "x"})
    assert response.status_code == 404
    assert response.json() == {"ok": False, "description": "no user or chat with id 999"}
    assert (await control(server, "POST", "/users", json={"last_name": "x"})).status_code == 400
    assert (await control(server, "POST", "/users", content=b"[1]")).status_code == 400
    assert (await control(server, "GET", "/chats/1/events?timeout=x")).status_code == 404


async def test_media_messages_are_realistic_and_downloadable(
    bot: Bot, sandbox: SandboxClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    user = await sandbox.create_user("Bea")
    await user.send_sticker("🎉")
    await user.send_photo(caption="Board #photo")
    await user.send_voice(duration=12)
    await user.send_document("plan.md", b"# Plan", mime_type="text/markdown", caption="draft")
    messages = [u.message for u in await bot.get_updates()]
    sticker, photo, voice, document = messages
    assert sticker is not None and sticker.sticker is not None
    assert (sticker.sticker.emoji, sticker.sticker.type, sticker.sticker.width) == (
        "🎉",
        "regular",
        512,
    )
    assert photo is not None and [p.width for p in photo.photo] == [90, 320, 1280]
    assert photo.caption == "Board #photo"
    assert photo.caption_entities[0].type == "hashtag"
    assert voice is not None and voice.voice is not None
    assert voice.voice.duration.total_seconds() == 12  # type: ignore[union-attr]
    assert voice.voice.mime_type == "audio/ogg"
    assert document is not None and document.document is not None
    file = await bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"# Plan"
    biggest = await bot.get_file(photo.photo[-1].file_id)
    assert biggest.file_path is not None and biggest.file_path.endswith(".jpg")
    kinds = [m["kind"] for m in await user.messages()]
    assert kinds == ["sticker", "photo", "voice", "document"]
    snapshot = (await user.messages())[3]
    assert snapshot["document"] == {
        "file_name": "plan.md",
        "mime_type": "text/markdown",
        "file_id": document.document.file_id,
        "file_unique_id": document.document.file_unique_id,
        "file_size": 6,
    }
    assert snapshot["caption"] == "draft" and snapshot["text"] is None


async def test_file_download_headers(server: SandboxServer, sandbox: SandboxClient) -> None:
    user = await sandbox.create_user("Bea")
    await user.send_document("café notes.txt", b"hello", mime_type="text/plain")
    file_id = (await user.messages())[0]["document"]["file_id"]
    response = await control(server, "GET", f"/files/{file_id}")
    assert response.content == b"hello"
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''caf%C3%A9%20notes.txt"
    )
    assert (await control(server, "GET", "/files/nope")).status_code == 404


async def test_press_by_label_data_and_message(bot: Bot, amina: ChatUser) -> None:
    older = await bot.send_message(amina.chat_id, "Old", reply_markup=keyboard(("Yes", "old-yes")))
    newer = await bot.send_message(amina.chat_id, "New", reply_markup=keyboard(("Yes ✅", "yes")))
    await bot.send_message(amina.chat_id, "No buttons here")
    await amina.press("Yes ✅")
    await amina.press("old-yes")
    await amina.press("yes ✅")
    await amina.press("Yes", message_id=older.message_id)
    queries = [u.callback_query for u in (await bot.get_updates())[1:]]
    assert [(q.data, q.message.message_id) for q in queries if q and q.message] == [
        ("yes", newer.message_id),
        ("old-yes", older.message_id),
        ("yes", newer.message_id),
        ("old-yes", older.message_id),
    ]
    first = queries[0]
    assert first is not None and first.from_user.id == amina.id
    assert first.chat_instance and len({q.chat_instance for q in queries if q}) == 1


async def test_press_errors(bot: Bot, amina: ChatUser) -> None:
    sent = await bot.send_message(amina.chat_id, "Pick", reply_markup=keyboard(("A", "a")))
    with pytest.raises(SandboxError) as caught:
        await amina.press("Z", message_id=sent.message_id)
    assert caught.value.status == 404
    assert caught.value.description == (
        f"no inline button 'Z' on message {sent.message_id} in chat {amina.chat_id} "
        "(buttons there: ['A'])"
    )
    link = InlineKeyboardMarkup([[InlineKeyboardButton("Site", url="https://nhs.uk")]])
    await bot.send_message(amina.chat_id, "Link", reply_markup=link)
    with pytest.raises(SandboxError, match="400: button 'Site' is not a callback button"):
        await amina.press("Site")
    await bot.edit_message_reply_markup(chat_id=amina.chat_id, message_id=sent.message_id)
    with pytest.raises(SandboxError, match="404: no inline button 'A' on any bot message"):
        await amina.press("A")


async def test_user_edits_their_message(bot: Bot, amina: ChatUser) -> None:
    await amina.send("typo")
    assert amina.last_message_id is not None
    await amina.edit(amina.last_message_id, "fixed /help")
    updates = await bot.get_updates()
    edited = updates[-1].edited_message
    assert edited is not None and edited.text == "fixed /help"
    assert edited.edit_date is not None
    assert edited.entities[0].type == "bot_command"
    snapshot = (await amina.messages())[-1]
    assert snapshot["edits"][0]["text"] == "typo"
    bot_message = await bot.send_message(amina.chat_id, "mine")
    with pytest.raises(SandboxError, match="404"):
        await amina.edit(bot_message.message_id, "hijack")


async def test_block_unblock_and_auto_unblock(bot: Bot, amina: ChatUser) -> None:
    await amina.block()
    await amina.unblock()
    await amina.block()
    await amina.send("I'm back")
    updates = (await bot.get_updates())[1:]
    statuses = [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member
    ]
    assert statuses == [
        ("member", "kicked"),
        ("kicked", "member"),
        ("member", "kicked"),
        ("kicked", "member"),
    ]
    assert updates[-1].message is not None and updates[-1].message.text == "I'm back"
    assert (await bot.send_message(amina.chat_id, "hello again")).text == "hello again"


async def test_deactivated_users_cannot_act(sandbox: SandboxClient, amina: ChatUser) -> None:
    await amina.deactivate()
    with pytest.raises(SandboxError, match="409: user 1000001 is deactivated"):
        await amina.send("ghost")


async def test_events_long_poll_is_event_driven(
    bot: Bot, amina: ChatUser, sandbox: SandboxClient
) -> None:
    start = await sandbox.events(amina.chat_id)
    assert [e["type"] for e in start["events"]] == ["user_message"]
    assert start["last"] == 1 and start["events"][0]["seq"] == 1
    waiting = asyncio.create_task(sandbox.events(amina.chat_id, after=1, timeout=10))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    loop = asyncio.get_running_loop()
    sent_at = loop.time()
    await bot.send_message(amina.chat_id, "ping")
    result = await waiting
    assert loop.time() - sent_at < 1
    assert [(e["seq"], e["type"], e["message"]["text"]) for e in result["events"]] == [
        (2, "message", "ping")
    ]
    quiet = await sandbox.events(amina.chat_id, after=2, timeout=0.1)
    assert quiet == {"events": [], "last": 2}


async def test_stats_and_timings(bot: Bot, amina: ChatUser, sandbox: SandboxClient) -> None:
    message_update = (await bot.get_updates())[0]
    sent = await bot.send_message(amina.chat_id, "Pick", reply_markup=keyboard(("A", "a")))
    press_id = await amina.press("A", message_id=sent.message_id)
    (press,) = await bot.get_updates(offset=message_update.update_id + 1)
    await bot.send_chat_action(amina.chat_id, "typing")
    assert press.callback_query is not None
    await press.callback_query.answer()
    timings = {t["update_id"]: t for t in await sandbox.timings()}
    first = timings[message_update.update_id]
    assert first["created_at"] <= first["delivered_at"] <= first["first_reaction_at"]
    pressed = timings[press_id]
    assert pressed["delivered_at"] <= pressed["first_reaction_at"]
    assert pressed["chat_id"] == amina.chat_id
    stats = await sandbox.stats()
    assert stats["requests"]["getUpdates"] == 2
    assert stats["requests"]["answerCallbackQuery"] == 1
    assert stats["errors"] == {}


async def test_reset_forgets_users_but_update_ids_keep_growing(
    bot: Bot, sandbox: SandboxClient, amina: ChatUser
) -> None:
    before = (await bot.get_updates())[-1].update_id
    await sandbox.add_fault("getMe", error_code=500)
    await sandbox.reset()
    assert await sandbox.users() == []
    assert await sandbox.faults() == []
    assert await sandbox.timings() == []
    again = await sandbox.create_user("Amina")
    assert again.id == 1000001
    assert await again.send("hi") > before
    assert [u.message.text for u in await bot.get_updates() if u.message] == ["hi"]


async def test_the_all_chats_feed_carries_every_chat_in_order() -> None:
    """The feed long-polls across chats, tags each event with its chat, and ends on stop."""
    server = SandboxServer()
    await server.start()
    async with SandboxClient(server.url) as client:
        first = await client.create_user("Ann")
        second = await client.create_user("Ben")
        waiting = asyncio.create_task(client.feed(after=0, timeout=5))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        async with Bot(server.token, base_url=server.bot_api_base_url) as bot:
            await first.send("/start")
            await second.send("/start")
            await bot.send_message(first.chat_id, "hello Ann")
            await bot.send_message(second.chat_id, "hello Ben")
        early = await waiting
        assert early["events"][0]["chat_id"] == first.chat_id
        everything = await client.feed(after=0)
        bot_said = [e for e in everything["events"] if e["type"] == "message"]
        assert [(e["chat_id"], e["message"]["text"]) for e in bot_said] == [
            (first.chat_id, "hello Ann"),
            (second.chat_id, "hello Ben"),
        ]
        assert (await client.feed(after=everything["last"]))["events"] == []
        pending = asyncio.create_task(client.feed(after=everything["last"], timeout=30))
        await asyncio.sleep(0.05)
        await server.stop()
        assert (await asyncio.wait_for(pending, 2))["events"] == []
