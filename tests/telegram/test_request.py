"""Tandem's Bot API transport (aiohttp) and its send and edit helpers against the sandbox:
what a person sees arrives whole, though requests go as JSON and only ids come back."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile

from bot.sandbox import DEFAULT_TOKEN as TOKEN
from bot.sandbox import ChatUser, SandboxClient, SandboxServer
from bot.telegram.request import AiohttpRequest
from bot.telegram.ui import Button, Screen, edit_message, send

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
    buttons = tuple(
        tuple(Button(b.text, str(b.callback_data)) for b in row) for row in KEYBOARD.inline_keyboard
    )
    sent = await send(bot, amina.chat_id, Screen(text, buttons))
    shown = (await amina.bot_messages())[-1]
    assert shown["html"] == text
    assert shown["reply_markup"] == KEYBOARD.to_dict()
    # Only the id is read back: the message's text and buttons are not parsed again.
    assert sent == shown["message_id"]


async def test_an_edit_changes_the_message_and_takes_its_buttons_off(
    bot: Bot, amina: ChatUser
) -> None:
    sent = await bot.send_message(amina.chat_id, "How was it?", reply_markup=KEYBOARD)
    await edit_message(bot, amina.chat_id, sent.message_id, "How was it?\n\n✓ 4 out of 5")
    shown = (await amina.bot_messages())[-1]
    assert shown["message_id"] == sent.message_id
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
