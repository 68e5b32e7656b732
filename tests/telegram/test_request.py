"""Tandem's Bot API transport (aiohttp) against the sandbox: what a person sees arrives
whole, though requests go as JSON and send results come back as ids only."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.constants import ParseMode

from bot.sandbox import DEFAULT_TOKEN as TOKEN
from bot.sandbox import ChatUser, SandboxClient, SandboxServer
from bot.telegram.request import AiohttpRequest

KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("4 out of 5", callback_data="r:1:q1:n:4")],
        [InlineKeyboardButton("Skip – for now", callback_data="r:1:q1:skip")],
    ]
)


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    async with SandboxServer(token=TOKEN, username="tandem_test_bot") as running:
        yield running


@pytest.fixture
async def bot(server: SandboxServer) -> AsyncIterator[Bot]:
    async with Bot(
        TOKEN,
        base_url=server.bot_api_base_url,
        base_file_url=server.bot_api_file_url,
        request=AiohttpRequest(),
    ) as ptb_bot:
        yield ptb_bot


@pytest.fixture
async def amina(server: SandboxServer) -> AsyncIterator[ChatUser]:
    async with SandboxClient(server.url) as client:
        user = await client.create_user("Amina")
        await user.send("/start")
        yield user


async def test_a_long_html_message_with_buttons_arrives_exactly_as_sent(
    bot: Bot, amina: ChatUser
) -> None:
    text = "<b>Did you feel heard?</b> Tell me – &amp; take your time 🙂 " + " ".join(
        ["word"] * 700
    )
    sent = await bot.send_message(
        amina.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )
    shown = (await amina.bot_messages())[-1]
    assert shown["html"] == text
    assert shown["reply_markup"] == KEYBOARD.to_dict()
    # Only the id is read back: the message's text and buttons are not parsed again.
    assert sent.message_id == shown["message_id"]
    assert sent.chat.id == amina.chat_id
    assert sent.text is None and sent.reply_markup is None


async def test_edits_change_the_message_and_answer_with_its_id(bot: Bot, amina: ChatUser) -> None:
    sent = await bot.send_message(amina.chat_id, "How was it?", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text(
        "How was it?\n\n✓ 4 out of 5", chat_id=amina.chat_id, message_id=sent.message_id
    )
    assert not isinstance(edited, bool) and edited.message_id == sent.message_id
    shown = (await amina.bot_messages())[-1]
    assert shown["text"] == "How was it?\n\n✓ 4 out of 5" and not shown.get("reply_markup")


async def test_files_still_go_as_a_form_and_other_answers_stay_whole(
    bot: Bot, amina: ChatUser
) -> None:
    sent = await bot.send_document(
        amina.chat_id, InputFile(b'{"reflections": []}', filename="my-data.json")
    )
    assert sent.document is not None and sent.document.file_name == "my-data.json"
    me = await bot.get_me()
    assert me.username == "tandem_test_bot"
