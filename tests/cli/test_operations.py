"""Operators' tools: `tandem doctor` says what is wrong and how to fix it; `tandem db backup`
copies a SQLite database while it is in use (and explains pg_dump on PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.sandbox import SandboxServer

TOKEN = "7000000005:" + "D" * 35


async def _doctor(cwd: Path, **env: str) -> tuple[int, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "TANDEM_", "DATABASE_URL", "PORT"))
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "doctor",
        cwd=cwd,
        env=clean | env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode()


async def _upgraded(cwd: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "db",
        "upgrade",
        cwd=cwd,
        env={**os.environ, "DATABASE_URL": "sqlite:///tandem.db"},
    )
    assert await process.wait() == 0


async def test_doctor_passes_a_deployment_configured_right(tmp_path: Path) -> None:
    await _upgraded(tmp_path)
    async with SandboxServer(token=TOKEN, username="tandem_doctor_bot") as sandbox:
        code, said = await _doctor(
            tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=sandbox.bot_api_base_url
        )
    assert code == 0, said
    assert "this is @tandem_doctor_bot" in said and "All checks passed." in said


async def test_doctor_reports_a_wrong_token_and_a_missing_public_address(tmp_path: Path) -> None:
    await _upgraded(tmp_path)
    async with SandboxServer(token=TOKEN, username="tandem_doctor_bot") as sandbox:
        code, said = await _doctor(
            tmp_path,
            TELEGRAM_BOT_TOKEN="7000000005:" + "W" * 35,  # well formed, but not this bot's
            TELEGRAM_BASE_URL=sandbox.bot_api_base_url,
            TANDEM_HOST="0.0.0.0",  # noqa: S104 (a setting; nothing binds)
        )
    assert code == 1
    assert "PROBLEM TELEGRAM_BOT_TOKEN was refused by Telegram" in said
    assert "to fix: copy the token again from @BotFather" in said
    assert "PROBLEM TANDEM_PUBLIC_URL is not set" in said
    assert "2 problem(s) to fix." in said
    assert "Traceback" not in said


async def test_doctor_reports_an_old_database(tmp_path: Path) -> None:
    async with SandboxServer(token=TOKEN, username="tandem_doctor_bot") as sandbox:
        code, said = await _doctor(
            tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=sandbox.bot_api_base_url
        )
    assert code == 1 and "PROBLEM the database is at migration None" in said
    assert "run `tandem db upgrade`" in said


def test_backup_copies_sqlite_while_in_use_or_explains_pg_dump(
    tmp_path: Path, database_url: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "DATABASE_URL"))}
    target = tmp_path / "copy.db"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "db", "backup", str(target)],
        env=env | {"DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if database_url.startswith("postgresql"):
        assert result.returncode == 1 and "pg_dump --format=custom" in result.stderr
        assert not target.exists()
        return
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(target) as copy:
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    assert {"person", "delivery", "alembic_version"} <= tables


def test_json_logs_are_one_object_a_line() -> None:
    script = (
        "import logging; from bot.cli.support import configure_logging; "
        "configure_logging('json'); logging.getLogger('bot.test').info('dispatched %s', 3)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    [line] = result.stderr.splitlines()
    record = json.loads(line)
    assert record["message"] == "dispatched 3"
    assert record["level"] == "INFO" and record["logger"] == "bot.test" and record["time"]


def test_an_unknown_log_format_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env={**os.environ, "TANDEM_LOG_FORMAT": "xml"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "TANDEM_LOG_FORMAT is not valid" in result.stderr
