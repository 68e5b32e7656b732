"""`tandem demo` as a process: ports, a second instance, and a clean Ctrl-C."""

from __future__ import annotations

import socket
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from bot.demo.clock import parse_clock
from tests.demo_process import start_demo


def test_demo_serves_the_web_chat_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    demo = start_demo("--port", "0", "--web-port", "0", cwd=tmp_path)
    try:
        page = httpx.get(demo.chat_url, timeout=10)
        assert page.status_code == 200 and "<html" in page.text.lower()
        directory = httpx.get(demo.chat_url.replace("/chat", "/control/directory")).json()
        # six partners, and two who read in Polish and Arabic (issue 19)
        assert [p["role"] for p in directory["people"]].count("partner") == 8
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


def _coproduction(db: sqlite3.Connection, now: str) -> dict[str, object]:
    """What the demo seeded for co-production (issue 17), as plain facts."""

    def rows(query: str, *args: object) -> list[tuple[object, ...]]:
        return db.execute(query, args).fetchall()

    upcoming = rows("SELECT id FROM meeting WHERE starts_at > ?", now)[0][0]
    last = rows("SELECT id FROM meeting WHERE ends_at < ? ORDER BY starts_at DESC", now)[0][0]
    ratings = rows(
        "SELECT m.id, count(DISTINCT strftime('%Y-%m', a.answered_at)), count(*) "
        "FROM measure m JOIN answer a ON a.question_id = 'measure_' || m.id "
        "WHERE a.number IS NOT NULL AND a.answered_at < ? GROUP BY m.id",
        now,
    )
    return {
        "board": rows(
            "SELECT p.status, p.onboarded_at IS NOT NULL, b.label FROM person p "
            "JOIN boardmember b ON b.person_id = p.id WHERE p.role = 'board' ORDER BY b.label"
        ),
        "agenda": rows(
            "SELECT i.status, i.meeting_id = ?, i.reason IS NOT NULL, "
            "(SELECT count(*) FROM agendasupport s WHERE s.item_id = i.id), "
            "(SELECT count(*) FROM contributionoutcome o WHERE o.agenda_item_id = i.id) "
            "FROM agendaitem i ORDER BY i.status",
            upcoming,
        ),
        "measures": rows(
            "SELECT m.status, count(*), sum((SELECT count(*) FROM measurevote v "
            "WHERE v.measure_id = m.id) > 0) FROM measure m GROUP BY 1 ORDER BY 1"
        ),
        "months rated": sorted({months for _, months, _ in ratings}),
        "ratings": sum(int(str(count)) for _, _, count in ratings),
        "comments shown": rows(
            "SELECT count(*) FROM answer a JOIN reflection r ON r.id = a.reflection_id "
            "WHERE a.question_id LIKE 'measure_%_note' AND a.text IS NOT NULL "
            "AND r.status = 'finished' AND r.sharing IN ('facilitators', 'anonymised')"
        )[0][0],
        "learnings": rows(
            "SELECT l.status, l.label, l.meeting_id = ?, count(r.id) FROM boardlearning l "
            "LEFT JOIN learningreaction r ON r.learning_id = l.id GROUP BY l.id ORDER BY l.label",
            last,
        ),
        # History's notices were cancelled; only the newest learning reaches partners.
        "told partners": sorted(
            {
                ":".join(str(key).split(":")[-3:-1])
                for (key,) in rows(
                    "SELECT d.dedupe_key FROM delivery d JOIN person p ON p.id = d.person_id "
                    "WHERE p.role = 'partner' AND d.status != 'cancelled' AND "
                    "(d.dedupe_key LIKE '%agenda%' OR d.dedupe_key LIKE '%measure%' "
                    "OR d.dedupe_key LIKE '%learning%')"
                )
            }
        ),
    }


@pytest.mark.parametrize("clock", ["2026-12-08T03:00", "2027-01-01T19:30"])
def test_the_demo_seeds_co_production_the_same_at_any_hour(tmp_path: Path, clock: str) -> None:
    folder = tmp_path / "kept"
    demo = start_demo(
        "--dir", str(folder), "--port", "0", "--web-port", "0", "--clock", clock, cwd=tmp_path
    )
    assert demo.stop() == 0
    now = parse_clock(clock).strftime("%Y-%m-%d %H:%M:%S")
    with sqlite3.connect(folder / "tandem.db") as db:
        seeded = _coproduction(db, now)
    assert seeded == {
        "board": [("active", 1, "clinician"), ("active", 1, "manager")],
        "agenda": [
            ("accepted", 1, 0, 2, 0),  # for the next meeting
            ("declined", 1, 1, 0, 0),  # with a reason
            ("done", 0, 0, 2, 1),  # at the last meeting, with a "You said, we did"
            ("open", 1, 0, 2, 0),  # supported by two partners
        ],
        "measures": [("adopted", 3, 3), ("proposed", 1, 1)],
        "months rated": [4],
        "ratings": 3 * 4 * 5,  # three measures, four months, five partners
        "comments shown": 2,
        "learnings": [("shared", "clinician", 1, 0), ("shared", "manager", 1, 2)],
        "told partners": ["learning2:board.learning_notice"],
    }
