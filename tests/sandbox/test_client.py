"""ChatUser's waiting helpers: expect, next_event, toasts, silence and transcripts."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.sandbox import ChatUser

BUTTONS = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Yes", callback_data="y"),
            InlineKeyboardButton("No", callback_data="n"),
        ]
    ]
)


async def test_expect_skips_other_messages_and_advances_the_cursor(
    bot: Bot, amina: ChatUser
) -> None:
    await bot.send_message(amina.chat_id, "Loading…")
    await bot.send_message(amina.chat_id, "<b>Welcome</b> Amina", parse_mode="HTML")
    await bot.send_message(amina.chat_id, "Second welcome")
    first = await amina.expect("WELCOME")
    assert first["text"] == "Welcome Amina"
    second = await amina.expect("welcome")
    assert second["text"] == "Second welcome"
    with pytest.raises(AssertionError, match=r"no bot message containing 'welcome'"):
        await amina.expect("welcome", timeout=0.1)


async def test_expect_sees_edits_and_waits_for_late_messages(bot: Bot, amina: ChatUser) -> None:
    sent = await bot.send_message(amina.chat_id, "Thinking")

    async def later() -> None:
        await asyncio.sleep(0.1)
        await bot.edit_message_text(
            "Done thinking", chat_id=amina.chat_id, message_id=sent.message_id
        )

    task = asyncio.create_task(later())
    snapshot = await amina.expect("done", timeout=3)
    await task
    assert snapshot["message_id"] == sent.message_id
    assert snapshot["edit_date"] is not None


async def test_expect_failure_shows_what_was_seen(bot: Bot, amina: ChatUser) -> None:
    await bot.send_message(amina.chat_id, "Something else", reply_markup=BUTTONS)
    with pytest.raises(AssertionError) as caught:
        await amina.expect("Welcome", timeout=0.1)
    report = str(caught.value)
    assert "no bot message containing 'Welcome' within 0.1s" in report
    assert "bot messages seen meanwhile:\n#2 bot: Something else  [Yes | No]" in report
    assert "--- chat with Amina (1000001) ---\n#1 user: /start\n#2 bot: Something else" in report


async def test_next_event_filters_types(bot: Bot, amina: ChatUser) -> None:
    await bot.send_chat_action(amina.chat_id, "typing")
    await bot.send_message(amina.chat_id, "Hi")
    event = await amina.next_event()
    assert (event["type"], event["message"]["text"]) == ("message", "Hi")
    with pytest.raises(AssertionError, match=r"no message/edit event within 0.1s"):
        await amina.next_event(timeout=0.1)


async def test_expect_toast(bot: Bot, amina: ChatUser) -> None:
    await bot.send_message(amina.chat_id, "Pick", reply_markup=BUTTONS)
    await amina.press("No")
    query = (await bot.get_updates())[-1].callback_query
    assert query is not None
    await query.answer("Maybe later")
    toast = await amina.expect_toast()
    assert toast["callback_answer"]["text"] == "Maybe later"


async def test_expect_silence(bot: Bot, amina: ChatUser) -> None:
    await bot.send_chat_action(amina.chat_id, "typing")
    await amina.expect_silence(0.1)

    async def chatty() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(amina.chat_id, "Surprise")

    task = asyncio.create_task(chatty())
    with pytest.raises(AssertionError, match=r"expected 1.0s of silence, but the bot did: message"):
        await amina.expect_silence(1.0)
    await task


async def test_transcript_and_message_helpers(bot: Bot, amina: ChatUser) -> None:
    await amina.send_sticker("👍")
    kept = await bot.send_message(amina.chat_id, "Pick one", reply_markup=BUTTONS)
    gone = await bot.send_message(amina.chat_id, "Oops")
    await bot.delete_message(amina.chat_id, gone.message_id)
    await bot.edit_message_text("Pick again", chat_id=amina.chat_id, message_id=kept.message_id)
    assert await amina.transcript() == "\n".join(
        [
            "--- chat with Amina (1000001) ---",
            "#1 user: /start",
            "#2 user: [sticker 👍]",
            "#3 bot (edited): Pick again",
            "#4 bot (deleted): Oops",
        ]
    )
    assert [m["text"] for m in await amina.bot_messages()] == ["Pick again"]
    last = await amina.last_bot_message()
    assert last is not None and last["message_id"] == kept.message_id
