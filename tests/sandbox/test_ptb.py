"""A real, unmodified PTB Bot against the sandbox: messages, edits, files, commands, errors."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden

from bot.sandbox import ChatUser, SandboxClient, SandboxServer

KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Tell me more", callback_data="more")],
        [InlineKeyboardButton("Website", url="https://www.england.nhs.uk")],
    ]
)


async def test_send_html_with_keyboard(bot: Bot, amina: ChatUser) -> None:
    message = await bot.send_message(
        amina.chat_id,
        "<b>Welcome</b>, Amina 👋 <i>ready?</i>",
        parse_mode=ParseMode.HTML,
        reply_markup=KEYBOARD,
    )
    assert message.text == "Welcome, Amina 👋 ready?"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bold", 0, 7),
        ("italic", 18, 6),
    ]
    assert message.reply_markup == KEYBOARD
    assert message.from_user is not None and message.from_user.is_bot
    snapshot = await amina.expect("welcome")
    assert snapshot["html"] == "<b>Welcome</b>, Amina 👋 <i>ready?</i>"
    assert snapshot["message_id"] == message.message_id


async def test_edit_text_records_history_and_drops_absent_keyboard(
    bot: Bot, amina: ChatUser
) -> None:
    sent = await bot.send_message(amina.chat_id, "Draft", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Final", chat_id=amina.chat_id, message_id=sent.message_id)
    assert isinstance(edited, type(sent))
    assert edited.text == "Final"
    assert edited.edit_date is not None
    assert edited.reply_markup is None
    snapshot = (await amina.bot_messages())[-1]
    assert snapshot["text"] == "Final"
    assert snapshot["edits"] == [
        {"text": "Draft", "entities": [], "reply_markup": KEYBOARD.to_dict(), "edit_date": None}
    ]
    event = await amina.next_event(types=("edit",))
    assert event["message"]["text"] == "Final"


async def test_edit_errors(bot: Bot, amina: ChatUser) -> None:
    sent = await bot.send_message(amina.chat_id, "Same", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified: specified new message"):
        await bot.edit_message_text(
            "Same", chat_id=amina.chat_id, message_id=sent.message_id, reply_markup=KEYBOARD
        )
    with pytest.raises(BadRequest, match=r"(?i)^message to edit not found$"):
        await bot.edit_message_text("x", chat_id=amina.chat_id, message_id=999)
    users_own = (await amina.messages())[0]
    assert users_own["from"] == "user"
    with pytest.raises(BadRequest, match=r"(?i)^message can't be edited$"):
        await bot.edit_message_text("x", chat_id=amina.chat_id, message_id=users_own["message_id"])


async def test_edit_reply_markup(bot: Bot, amina: ChatUser) -> None:
    sent = await bot.send_message(amina.chat_id, "Pick", reply_markup=KEYBOARD)
    other = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="done")]])
    edited = await bot.edit_message_reply_markup(
        chat_id=amina.chat_id, message_id=sent.message_id, reply_markup=other
    )
    assert not isinstance(edited, bool) and edited.reply_markup == other
    cleared = await bot.edit_message_reply_markup(chat_id=amina.chat_id, message_id=sent.message_id)
    assert not isinstance(cleared, bool) and cleared.reply_markup is None
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_reply_markup(chat_id=amina.chat_id, message_id=sent.message_id)


async def test_documents_by_upload_file_id_and_url(
    bot: Bot, amina: ChatUser, sandbox: SandboxClient
) -> None:
    upload = InputFile(b"agenda bytes", filename="agenda.txt")
    first = await bot.send_document(amina.chat_id, upload, caption="Agenda")
    assert first.document is not None
    assert (first.document.file_name, first.document.mime_type) == ("agenda.txt", "text/plain")
    assert first.caption == "Agenda"
    again = await bot.send_document(amina.chat_id, first.document.file_id)
    assert again.document is not None and again.document.file_id == first.document.file_id
    by_url = await bot.send_document(amina.chat_id, "https://example.org/files/report.pdf")
    assert by_url.document is not None and by_url.document.file_name == "report.pdf"
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier/http url specified"):
        await bot.send_document(amina.chat_id, "no-such-file-id")
    snapshot = (await amina.bot_messages())[0]
    assert snapshot["kind"] == "document"
    assert snapshot["document"]["file_name"] == "agenda.txt"
    assert await sandbox.download(first.document.file_id) == b"agenda bytes"


async def test_caption_limit_counts_after_parsing(bot: Bot, amina: ChatUser) -> None:
    fits = "<b>" + "c" * 1024 + "</b>"
    await bot.send_document(
        amina.chat_id, InputFile(b"x", filename="a.txt"), caption=fits, parse_mode="HTML"
    )
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(
            amina.chat_id, InputFile(b"x", filename="a.txt"), caption="c" * 1025
        )


async def test_get_file_and_download(bot: Bot, amina: ChatUser) -> None:
    await amina.send_document("notes.csv", b"a,b\n1,2\n", mime_type="text/csv")
    update = (await bot.get_updates())[-1]
    assert update.message is not None and update.message.document is not None
    file = await update.message.document.get_file()
    assert file.file_size == 8
    assert bytes(await file.download_as_bytearray()) == b"a,b\n1,2\n"


async def test_delete_message(bot: Bot, amina: ChatUser, server: SandboxServer) -> None:
    sent = await bot.send_message(amina.chat_id, "oops")
    assert await bot.delete_message(amina.chat_id, sent.message_id) is True
    with pytest.raises(BadRequest, match=r"(?i)^message to delete not found$"):
        await bot.delete_message(amina.chat_id, sent.message_id)
    snapshot = (await amina.messages())[-1]
    assert snapshot["deleted"] is True
    assert await amina.bot_messages() == []
    old = await bot.send_message(amina.chat_id, "old news")
    server.world.chats[amina.chat_id].messages[old.message_id].date -= 48 * 3600 + 1
    with pytest.raises(BadRequest, match=r"(?i)message can't be deleted for everyone"):
        await bot.delete_message(amina.chat_id, old.message_id)


async def test_callback_query_answers(bot: Bot, amina: ChatUser) -> None:
    await bot.send_message(amina.chat_id, "Pick", reply_markup=KEYBOARD)
    await amina.press("Tell me more")
    query = (await bot.get_updates())[-1].callback_query
    assert query is not None and query.data == "more"
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await query.answer("x" * 201)
    assert await query.answer("Noted", show_alert=True) is True
    toast = await amina.expect_toast()
    assert toast["callback_answer"] == {
        "callback_query_id": query.id,
        "text": "Noted",
        "show_alert": True,
    }
    with pytest.raises(BadRequest, match=r"(?i)query is too old and response timeout expired"):
        await query.answer("again")


async def test_chat_action_and_get_chat(bot: Bot, amina: ChatUser) -> None:
    assert await bot.send_chat_action(amina.chat_id, ChatAction.TYPING) is True
    event = await amina.next_event(types=("chat_action",))
    assert event["action"] == "typing"
    chat = await bot.get_chat(amina.chat_id)
    assert (chat.id, chat.type, chat.first_name, chat.username) == (
        amina.chat_id,
        "private",
        "Amina",
        "amina61",
    )


async def test_commands_by_scope_and_language(
    bot: Bot, amina: ChatUser, sandbox: SandboxClient
) -> None:
    default = [BotCommand("start", "Start"), BotCommand("help", "Help")]
    private = [BotCommand("today", "What is on today")]
    mine = [BotCommand("admin", "Only for Amina")]
    await bot.set_my_commands(default)
    assert [c["command"] for c in await sandbox.commands_for(amina.chat_id)] == ["start", "help"]
    await bot.set_my_commands(private, scope=BotCommandScopeAllPrivateChats())
    await bot.set_my_commands(
        private + default, scope=BotCommandScopeAllPrivateChats(), language_code="en"
    )
    assert [c["command"] for c in await sandbox.commands_for(amina.chat_id)] == [
        "today",
        "start",
        "help",
    ]
    await bot.set_my_commands(mine, scope=BotCommandScopeChat(amina.chat_id))
    assert await sandbox.commands_for(amina.chat_id) == [
        {"command": "admin", "description": "Only for Amina"}
    ]
    assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats()) == tuple(private)
    assert await bot.get_my_commands(language_code="de") == ()
    await bot.delete_my_commands(scope=BotCommandScopeChat(amina.chat_id))
    assert len(await sandbox.all_commands()) == 3


@pytest.mark.parametrize(
    ("commands", "error"),
    [
        ([BotCommand("Start", "Upper case")], "bot_command_invalid"),
        ([BotCommand("x" * 33, "Too long")], "bot_command_invalid"),
        ([BotCommand("ok", "")], "bot_command_description_invalid"),
        ([BotCommand("ok", "d" * 257)], "bot_command_description_invalid"),
        ([BotCommand(f"c{i}", "d") for i in range(101)], "bot_commands_too_much"),
    ],
)
async def test_command_validation(bot: Bot, commands: list[BotCommand], error: str) -> None:
    with pytest.raises(BadRequest, match=rf"(?i)^{error}$"):
        await bot.set_my_commands(commands)


async def test_blocked_user_raises_forbidden(bot: Bot, amina: ChatUser) -> None:
    await amina.block()
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await bot.send_message(amina.chat_id, "still there?")
    await amina.unblock()
    assert (await bot.send_message(amina.chat_id, "welcome back")).text == "welcome back"


async def test_bot_settings_round_trip(bot: Bot, amina: ChatUser) -> None:
    assert await bot.set_my_description("Supports lay partners") is True
    assert (await bot.get_my_description()).description == "Supports lay partners"
    assert await bot.set_my_short_description("Tandem") is True
    assert (await bot.get_my_short_description()).short_description == "Tandem"
    assert await bot.set_chat_menu_button(chat_id=amina.chat_id) is True
    assert (await bot.get_chat_menu_button(chat_id=amina.chat_id)).type == "default"
    assert await bot.log_out() is True
