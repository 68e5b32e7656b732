"""`tandem demo` as a process: ports, a second instance, and a clean Ctrl-C."""

from __future__ import annotations

import socket
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.demo_process import start_demo


def test_demo_serves_the_web_chat_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    demo = start_demo("--port", "0", "--web-port", "0", cwd=tmp_path)
    try:
        page = httpx.get(demo.chat_url, timeout=10)
        assert page.status_code == 200 and "<html" in page.text.lower()
        directory = httpx.get(demo.chat_url.replace("/chat", "/control/directory")).json()
        assert [p["role"] for p in directory["people"]].count("partner") == 6
        assert directory["invite"]["link"].startswith("https://t.me/tandem_demo_bot?start=")
        assert demo.folder.exists()
    finally:
        code = demo.stop()
    assert code == 0
    assert not demo.folder.exists(), "the throwaway data folder is removed"
    assert not any("Traceback" in line for line in demo.output), "\n".join(demo.output)


def test_a_busy_port_moves_to_a_free_one_and_says_so(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        demo = start_demo("--port", str(busy), "--web-port", "0", cwd=tmp_path)
        try:
            assert f"Port {busy} is busy" in "\n".join(demo.output)
            assert f":{busy}/" not in demo.chat_url
            assert httpx.get(demo.chat_url, timeout=10).status_code == 200
        finally:
            assert demo.stop() == 0


def test_a_second_demo_on_the_same_folder_is_refused_plainly(tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    first = start_demo("--dir", str(folder), "--port", "0", "--web-port", "0", cwd=tmp_path)
    try:
        import subprocess
        import sys

        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "bot",
                "demo",
                "--dir",
                str(folder),
                "--port",
                "0",
                "--web-port",
                "0",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 1
        lines = [line for line in second.stderr.splitlines() if line.strip()]
        assert lines == [lines[0]] and "already running with the folder" in lines[0]
    finally:
        assert first.stop() == 0
    assert (folder / "tandem.db").exists(), "a kept demo keeps its data"
    again = start_demo("--dir", str(folder), "--port", "0", "--web-port", "0", cwd=tmp_path)
    try:
        assert "Welcome back" in "\n".join(again.output)
    finally:
        assert again.stop() == 0


def test_the_demo_has_two_past_meetings_and_sends_nothing_for_them(tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    demo = start_demo("--dir", str(folder), "--port", "0", "--web-port", "0", cwd=tmp_path)
    assert demo.stop() == 0
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    with sqlite3.connect(folder / "tandem.db") as db:
        past = [m for (m,) in db.execute("SELECT id FROM meeting WHERE ends_at < ?", (now,))]
        upcoming = db.execute("SELECT count(*) FROM meeting WHERE starts_at > ?", (now,))
        marks = ",".join("?" * len(past))
        sent = db.execute(
            f"SELECT status, count(*) FROM delivery WHERE meeting_id IN ({marks}) GROUP BY 1",
            past,
        )
        debriefs = db.execute(
            "SELECT sharing, count(*) FROM reflection WHERE status = 'finished' "
            f"AND finished_at < ? AND meeting_id IN ({marks}) GROUP BY 1",
            (now, *past),
        )
        assert len(past) == 2 and upcoming.fetchone() == (1,)
        assert dict(sent.fetchall()).keys() == {"cancelled"}, "nothing goes out for them"
        shared = dict(debriefs.fetchall())
        assert shared["private"] == 1 and shared["anonymised"] >= 1 and shared["facilitators"] > 4


def test_the_demo_clock_option_is_documented_and_checked(tmp_path: Path) -> None:
    from tests.cli.test_cli import tandem

    shown = tandem("demo", "--help", cwd=tmp_path)
    assert shown.returncode == 0
    assert "--clock WHEN" in shown.stdout and "TANDEM_DEMO_CLOCK" in shown.stdout
    for refused in (
        tandem("demo", "--clock", "tomorrow", cwd=tmp_path),
        tandem("demo", cwd=tmp_path, TANDEM_DEMO_CLOCK="half past three"),
    ):
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert "is not a date and time like 2026-12-08T15:00 (UK time)" in refused.stderr
