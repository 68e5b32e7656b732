"""Server lifecycle, a full PTB Application polling the sandbox, and the standalone runner."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
import time

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.sandbox import DEFAULT_TOKEN as TOKEN
from bot.sandbox import SandboxClient, SandboxServer


def sandbox_tasks() -> set[asyncio.Task[object]]:
    return {t for t in asyncio.all_tasks() if t.get_name().startswith("sandbox-")}


async def test_stop_is_prompt_with_long_polls_and_delays_pending() -> None:
    server = SandboxServer(token=TOKEN)
    await server.start()
    async with SandboxClient(server.url) as sandbox, httpx.AsyncClient(timeout=30) as http:
        user = await sandbox.create_user("Dai")
        await sandbox.add_fault("getMe", delay=30)
        base = f"{server.bot_api_base_url}{TOKEN}"
        poll = asyncio.create_task(http.get(f"{base}/getUpdates", params={"timeout": 30}))
        slow = asyncio.create_task(http.get(f"{base}/getMe"))
        events = asyncio.create_task(sandbox.events(user.chat_id, after=0, timeout=30))
        await asyncio.sleep(0.05)
        assert not (poll.done() or slow.done() or events.done())
        started = time.monotonic()
        await server.stop()
        assert time.monotonic() - started < 0.5
        assert (await poll).json() == {"ok": True, "result": []}
        assert (await slow).json()["ok"] is True
        assert (await events)["events"] == []
    assert sandbox_tasks() == set()


async def test_webhook_task_is_stopped_with_the_server() -> None:
    async with SandboxServer(token=TOKEN) as server, httpx.AsyncClient() as http:
        url = f"{server.bot_api_base_url}{TOKEN}/setWebhook"
        await http.post(url, json={"url": "http://127.0.0.1:9/hook"})
        assert {t.get_name() for t in sandbox_tasks()} == {"sandbox-uvicorn", "sandbox-webhook"}
    assert sandbox_tasks() == set()


async def test_busy_port_raises_without_leaking() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        server = SandboxServer(token=TOKEN, port=holder.getsockname()[1])
        with pytest.raises(OSError, match="in use"):
            await server.start()
    assert sandbox_tasks() == set()


async def test_bad_token_is_rejected() -> None:
    with pytest.raises(ValueError, match="token"):
        SandboxServer(token="not-a-token")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    code = " ".join(context.args or [])
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("Tell me more", callback_data="more")]])
    await update.effective_message.reply_html(
        f"<b>Welcome</b> to Tandem! Code: <code>{code}</code>", reply_markup=buttons
    )


async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Coming up")
    await query.edit_message_text("Tandem pairs you with a buddy between board meetings.")


async def test_ptb_application_end_to_end(server: SandboxServer, sandbox: SandboxClient) -> None:
    application: Application = (  # type: ignore[type-arg]
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(server.bot_api_base_url)
        .base_file_url(server.bot_api_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(more))
    async with application:
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=10)
        await application.start()
        amina = await sandbox.create_user("Amina", username="amina61")
        await amina.send("/start CODE42")
        welcome = await amina.expect("Welcome")
        assert welcome["html"] == "<b>Welcome</b> to Tandem! Code: <code>CODE42</code>"
        await amina.press("Tell me more")
        toast = await amina.expect_toast()
        assert toast["callback_answer"]["text"] == "Coming up"
        edited = await amina.expect("buddy")
        assert edited["message_id"] == welcome["message_id"]
        assert edited["reply_markup"] is None
        stopping = time.monotonic()
        await application.updater.stop()
        await application.stop()
    assert time.monotonic() - stopping < 2
    timings = await sandbox.timings()
    assert all(t["first_reaction_at"] is not None for t in timings)
    assert (await sandbox.stats())["errors"].get("getUpdates", 0) <= 1


async def test_standalone_runner_prints_its_url_and_stops_on_sigint() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.sandbox",
        "--port",
        "0",
        "--username",
        "demo_bot",
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(20):
            line = (await process.stdout.readline()).decode()
        assert line.startswith("Bot API sandbox on http://127.0.0.1:")
        url = line.split(" on ", 1)[1].strip()
        async with SandboxClient(url) as sandbox:
            assert (await sandbox.bot_info())["username"] == "demo_bot"
    finally:
        process.send_signal(signal.SIGINT)
        async with asyncio.timeout(10):
            await process.communicate()
    assert process.returncode == 0
