"""The `tandem` command as operators use it: one clear line and an exit code on errors."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_TOKEN = "123456789:" + "A" * 35


def tandem(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` in a clean environment (no .env, no inherited settings)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "TANDEM_", "DATABASE_URL", "PORT"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = tandem("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("run", "db", "cohort", "invite", "content", "sandbox"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE), command


def test_run_without_a_token(tmp_path: Path) -> None:
    result = tandem("run", cwd=tmp_path)
    assert result.returncode == 2
    line = _one_line(result)
    assert "TELEGRAM_BOT_TOKEN is not set" in line and "@BotFather" in line


def test_run_in_webhook_mode_without_a_secret_refuses_to_start(tmp_path: Path) -> None:
    result = tandem(
        "run",
        cwd=tmp_path,
        TELEGRAM_BOT_TOKEN=GOOD_TOKEN,
        TELEGRAM_WEBHOOK_URL="https://tandem.example.nhs.uk/telegram/webhook",
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "TELEGRAM_WEBHOOK_SECRET must be set in webhook mode" in result.stderr
    assert not (tmp_path / "tandem.db").exists(), "nothing was started or created"


def test_run_with_a_malformed_token(tmp_path: Path) -> None:
    result = tandem("run", cwd=tmp_path, TELEGRAM_BOT_TOKEN="hello")
    assert result.returncode == 2
    assert "does not look like a bot token" in _one_line(result)


def test_run_with_a_malformed_database_url(tmp_path: Path) -> None:
    result = tandem("run", cwd=tmp_path, TELEGRAM_BOT_TOKEN=GOOD_TOKEN, DATABASE_URL="tandem.db")
    assert result.returncode != 0
    assert _one_line(result).startswith("tandem: DATABASE_URL is not valid")


@pytest.mark.parametrize(
    "url",
    ["postgresql+psycopg://postgres@127.0.0.1:9/nowhere", "sqlite:////proc/no/such/dir/t.db"],
)
def test_run_with_an_unreachable_database(tmp_path: Path, url: str) -> None:
    result = tandem("run", cwd=tmp_path, TELEGRAM_BOT_TOKEN=GOOD_TOKEN, DATABASE_URL=url)
    assert result.returncode == 1
    assert "Cannot open the database" in _one_line(result)


def test_cohort_and_invite_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    assert tandem("db", "upgrade", cwd=tmp_path, DATABASE_URL=url).returncode == 0
    made = tandem(
        "cohort", "create", "Frailty pathway", "--programme", "NWL", cwd=tmp_path, DATABASE_URL=url
    )
    assert made.returncode == 0, made.stderr
    again = tandem("cohort", "create", "frailty  PATHWAY", cwd=tmp_path, DATABASE_URL=url)
    assert again.returncode == 1
    assert "already exists" in _one_line(again)

    result = tandem(
        "invite",
        "create",
        "--role",
        "partner",
        "--cohort",
        "Frailty pathway",
        "--uses",
        "3",
        "--expires",
        "48h",
        cwd=tmp_path,
        DATABASE_URL=url,
    )
    assert result.returncode == 0, result.stderr
    code = re.search(r"^code: ([A-Za-z0-9_-]+)$", result.stdout, re.MULTILINE)
    assert code is not None and len(code.group(1)) >= 22
    assert f"link: https://t.me/<bot username>?start={code.group(1)}" in result.stdout
    assert "3 use(s)" in result.stdout

    listed = tandem("invite", "list", cwd=tmp_path, DATABASE_URL=url)
    assert "partner\tFrailty pathway\t0/3 used" in listed.stdout
    assert code.group(1) not in listed.stdout

    missing = tandem(
        "invite", "create", "--role", "partner", "--cohort", "Nope", cwd=tmp_path, DATABASE_URL=url
    )
    assert missing.returncode == 1
    assert "There is no cohort called Nope" in _one_line(missing)
    bad = tandem(
        "invite",
        "create",
        "--role",
        "partner",
        "--cohort",
        "Frailty pathway",
        "--expires",
        "soon",
        cwd=tmp_path,
        DATABASE_URL=url,
    )
    assert bad.returncode == 1
    assert "length of time" in _one_line(bad)


def test_invite_link_uses_the_remembered_bot_username(tmp_path: Path) -> None:
    from bot.db import Database, create_db_engine, upgrade
    from bot.domain.updates import set_fact

    url = f"sqlite:///{tmp_path / 'ops.db'}"
    database = Database(create_db_engine(url))
    upgrade(database)
    with database.transaction() as session:
        set_fact(session, key="bot_username", value="nwl_tandem_bot")
    database.dispose()
    result = tandem("invite", "create", "--role", "coordinator", cwd=tmp_path, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "link: https://t.me/nwl_tandem_bot?start=" in result.stdout


def test_content_check_passes_on_the_real_folders(tmp_path: Path) -> None:
    result = tandem("content", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def test_meeting_and_timetable_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    env = {"DATABASE_URL": url}
    assert tandem("cohort", "create", "Frailty pathway", cwd=tmp_path, **env).returncode == 0
    added = tandem(
        "meeting",
        "add",
        "--cohort",
        "Frailty pathway",
        "--title",
        "Frailty board",
        "--start",
        "2099-03-10 14:00",
        "--end",
        "16:00",
        "--place",
        "Room 3B",
        "--papers",
        "how-the-nhs-is-organised",
        cwd=tmp_path,
        **env,
    )
    assert added.returncode == 0, added.stderr
    assert "Added meeting #1: Frailty board" in added.stdout
    listed = tandem("meeting", "list", "--all", cwd=tmp_path, **env)
    assert "#1\t2099-03-10 14:00 Europe/London\tFrailty pathway\tFrailty board\tscheduled" in (
        listed.stdout
    )
    moved = tandem("meeting", "move", "1", "--start", "2099-03-17 10:00", cwd=tmp_path, **env)
    assert moved.returncode == 0 and "Moved meeting #1" in moved.stdout
    assert "2099-03-17 10:00" in tandem("meeting", "list", "--all", cwd=tmp_path, **env).stdout
    off = tandem(
        "timetable",
        "set",
        "--cohort",
        "Frailty pathway",
        "--rule",
        "nudge",
        "--off",
        cwd=tmp_path,
        **env,
    )
    assert off.returncode == 0, off.stderr
    shown = tandem("timetable", "show", "--cohort", "Frailty pathway", cwd=tmp_path, **env)
    assert "nudge\toff" in shown.stdout and "briefing\t7d before the start at 18:00" in (
        shown.stdout
    )
    cancelled = tandem("meeting", "cancel", "1", cwd=tmp_path, **env)
    assert cancelled.returncode == 0 and "Cancelled meeting #1" in cancelled.stdout
    bad = tandem(
        "meeting",
        "add",
        "--cohort",
        "Frailty pathway",
        "--title",
        "X",
        "--start",
        "next tuesday",
        cwd=tmp_path,
        **env,
    )
    assert bad.returncode == 1 and "as a date and time" in _one_line(bad)
    past = tandem(
        "meeting",
        "add",
        "--cohort",
        "Frailty pathway",
        "--title",
        "X",
        "--start",
        "2001-01-01 10:00",
        cwd=tmp_path,
        **env,
    )
    assert past.returncode == 1 and "already passed" in _one_line(past)


def test_languages_for_a_cohort_and_an_invite(tmp_path: Path) -> None:
    """Issue 19: a cohort's default language, and an invite's, from the command line; a
    language Tandem does not speak is refused, naming those it does."""
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    assert tandem("db", "upgrade", cwd=tmp_path, DATABASE_URL=url).returncode == 0
    made = tandem(
        "cohort", "create", "Maternity", "--language", "pl", cwd=tmp_path, DATABASE_URL=url
    )
    assert made.returncode == 0, made.stderr
    shown = tandem("cohort", "language", "Maternity", cwd=tmp_path, DATABASE_URL=url)
    assert "Maternity: new people read in pl." in shown.stdout
    changed = tandem("cohort", "language", "Maternity", "ar", cwd=tmp_path, DATABASE_URL=url)
    assert "Maternity: new people read in ar." in changed.stdout
    wrong = tandem("cohort", "language", "Maternity", "xx", cwd=tmp_path, DATABASE_URL=url)
    assert wrong.returncode == 2 and "'xx': Tandem speaks en, ar, pl" in wrong.stderr
    invite = tandem(
        "invite", "create", "--role", "partner", "--cohort", "Maternity", "--language", "pl",
        cwd=tmp_path, DATABASE_URL=url,
    )  # fmt: skip
    assert invite.returncode == 0, invite.stderr
    with sqlite3.connect(tmp_path / "ops.db") as connection:
        assert connection.execute("select language from invite").fetchall() == [("pl",)]
