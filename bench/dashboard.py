"""Benchmark: the dashboard's reflections page and CSV export over 100,000 answers.

    .venv/bin/python bench/dashboard.py                  # SQLite, 1-2 minutes
    .venv/bin/python bench/dashboard.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Seeds 1,000 partners in 4 cohorts (24 meetings) with after-meeting reflections up to 100,000
answers (most shared with facilitators, some anonymised, some private), signs in as a
coordinator over HTTP and measures (a) GET /dashboard/reflections: p50/p95/max over 200 views
with varied filters and pages, and each filter's median (target p95 at most 100 ms); (b) the
full GET /dashboard/reflections/export.csv: total time (target at most 5 s), time to first
byte, bytes, rows, and the serving process's RSS before and during the stream (flat memory).
Both count private reflections returned (must be 0).

The app runs in its own process (this file with --serve, uvicorn as in `tandem run`), so its
memory and CPU are measured apart from the client's. --database-url resets that database.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from dashboard_seed import Seeded, seed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = "/dashboard/reflections"
EXPORT = "/dashboard/reflections/export.csv"
TARGET_P95_MS = 100.0
TARGET_EXPORT_S = 5.0
SHOWN = re.compile(r'<article class="reflection" aria-labelledby="r(\d+)"')


async def serve(database_url: str) -> None:
    """--serve: the web app as the composition root builds it, on a free port (printed),
    until SIGTERM."""
    import signal

    from bot.db import Database, create_db_engine
    from bot.domain.clock import SystemClock
    from bot.library.catalogue import Library
    from bot.library.messages import Texts
    from bot.serving import LoopbackServer
    from bot.web.app import create_web_app
    from bot.web.context import Dashboard, make_templates

    db, clock = Database(create_db_engine(database_url)), SystemClock()
    dashboard = Dashboard(
        db=db,
        clock=clock,
        texts=Texts.load(),
        library=Library.load_or_fail(),
        public_url=lambda: server.url,
        templates=make_templates(),
    )
    server = LoopbackServer(create_web_app(db=db, clock=clock, mode="polling", dashboard=dashboard))
    await server.start()
    print(server.port, flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await server.stop()
    db.dispose()


def start_server(database_url: str) -> tuple[subprocess.Popen[str], str]:
    """This file with --serve in its own process; returns it and its base URL."""
    command = [sys.executable, __file__, "--serve", database_url]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    port = process.stdout.readline().strip() if process.stdout else ""
    if not port.isdigit():
        process.kill()
        raise RuntimeError("the dashboard server did not start")
    return process, f"http://127.0.0.1:{port}"


def sign_in(db: Any, person_id: int, http: Any) -> None:
    """A single-use link issued as /dashboard in chat would, redeemed like the confirm page."""
    from bot.domain.clock import SystemClock
    from bot.domain.weblogin import issue_link

    with db.transaction() as session:
        token = issue_link(session, person_id=person_id, clock=SystemClock())
    response = http.post(f"/login/{token}")
    if response.status_code != 303 or "tandem_session" not in http.cookies:
        raise RuntimeError(f"Signing in failed with HTTP {response.status_code}.")


def variants(seeded: Seeded) -> list[tuple[str, dict[str, str], tuple[int, int]]]:
    """(name, filters, pages to pick from): what coordinators are likely to ask for."""
    today = datetime.now(UTC).date()
    window = {"from": str(today - timedelta(days=120)), "to": str(today - timedelta(days=90))}
    cohort, meeting = str(seeded.cohorts[1]), str(seeded.meetings[3][0])
    low = {"score_q": "equal_partner", "score_max": "2"}
    return [
        ("no filter, page 1", {}, (1, 1)),
        ("no filter, pages 2-20", {}, (2, 20)),
        ("no filter, pages 100-500", {}, (100, 500)),
        ("cohort", {"cohort": cohort}, (1, 1)),
        ("cohort, pages 2-100", {"cohort": cohort}, (2, 100)),
        ("meeting, pages 1-5", {"meeting": meeting}, (1, 5)),
        ("anonymised", {"sharing": "anonymised"}, (1, 3)),
        ("with names, pages 1-300", {"sharing": "facilitators"}, (1, 300)),
        ("flagged", {"flagged": "yes"}, (1, 2)),
        ("not flagged", {"flagged": "no"}, (1, 10)),
        ("30-day window", window, (1, 3)),
        ("30-day window + cohort", {**window, "cohort": cohort}, (1, 1)),
        ("prompt set", {"set": "after-meeting"}, (1, 10)),
        ("words, common (jargon)", {"q": "jargon"}, (1, 5)),
        ("words, rare (pharmacy)", {"q": "pharmacy"}, (1, 2)),
        ("words, no match", {"q": "zebra crossing"}, (1, 1)),
        ("words, pages 1-200", {"q": "parking"}, (1, 200)),
        ("partner's name (11 match)", {"who": "partner 12"}, (1, 5)),
        ("equal partner <= 2", low, (1, 5)),
        ("equal partner <= 2 + cohort", {**low, "cohort": cohort}, (1, 2)),
        ("cohort + window + words", {**window, "cohort": cohort, "q": "the"}, (1, 1)),
    ]


def _pct(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _memory_kb(pid: int) -> dict[str, int]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    pairs = (line.split(":", 1) for line in lines)
    return {name: int(value.split()[0]) for name, value in pairs if name in ("VmRSS", "VmHWM")}


def measure_pages(http: Any, pid: int, seeded: Seeded, count: int, seed: int) -> None:
    """`count` page views cycling through the variants, after one warm-up view of each."""
    rng, chosen = random.Random(seed), variants(seeded)
    for _, params, _ in chosen:
        http.get(PAGE, params=params).raise_for_status()
    timings: dict[str, list[float]] = {name: [] for name, _, _ in chosen}
    shown, leaked, cpu = 0, 0, _cpu_seconds(pid)
    for n in range(count):
        name, params, (first, last) = chosen[n % len(chosen)]
        query = params | ({"page": str(rng.randint(first, last))} if last > 1 else {})
        started = time.perf_counter()
        response = http.get(PAGE, params=query)
        timings[name].append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        ids = {int(i) for i in SHOWN.findall(response.text)}
        shown, leaked = shown + len(ids), leaked + len(ids & seeded.private)
    cpu = _cpu_seconds(pid) - cpu
    print(f"\n(a) reflections page, {count} views (after one warm-up view of each filter)")
    print(f"    {'filter':34s} {'n':>3s} {'median ms':>10s} {'max ms':>8s}")
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"    {name:34s} {len(values):3d} {median:10.1f} {max(values):8.1f}")
    every = [ms for values in timings.values() for ms in values]
    p50, p95 = _pct(every, 0.5), _pct(every, 0.95)
    print(
        f"    p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(every):.1f} ms; p95/target "
        f"{p95 / TARGET_P95_MS:.2f} (target p95 <= {TARGET_P95_MS:.0f} ms)\n"
        f"    server CPU {cpu:.1f} s, {cpu * 1000 / count:.0f} ms per view; "
        f"{shown:,} reflections shown, of which private: {leaked} (must be 0)"
    )


def _stream(http: Any, pid: int, out: Path) -> dict[str, Any]:
    """The full CSV into a file, sampling the server's RSS every 5 ms meanwhile."""
    got = {"bytes": 0, "before": _memory_kb(pid), "cpu": _cpu_seconds(pid), "samples": []}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            got["samples"].append((got["bytes"], _memory_kb(pid)["VmRSS"]))
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        with http.stream("GET", EXPORT) as response, out.open("wb") as file:
            got["headers"] = time.perf_counter() - started
            response.raise_for_status()
            for chunk in response.iter_bytes():
                got.setdefault("first", time.perf_counter() - started)
                file.write(chunk)
                got["bytes"] += len(chunk)
        got["total"] = time.perf_counter() - started
    finally:
        done.set()
        sampler.join()
    got["cpu"] = _cpu_seconds(pid) - got["cpu"]
    got["after"] = _memory_kb(pid)
    return got


def measure_export(http: Any, pid: int, seeded: Seeded, out: Path) -> None:
    """Stream the export, then check it: every shared answer once, nothing private."""
    got = _stream(http, pid, out)
    with out.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        next(reader)
        ids = [int(row[0]) for row in reader]
    found, total, size, mb = set(ids), got["total"], got["bytes"], 1 / 1024
    rss0 = got["before"]["VmRSS"]
    peak = max([rss for _, rss in got["samples"]] or [rss0])
    along = []
    for share in (0.25, 0.5, 0.75, 1.0):
        rss = next((r for sent, r in got["samples"] if sent >= share * size), peak)
        along.append(f"{share:.0%} {(rss - rss0) * mb:+.1f}")
    print(
        f"\n(b) CSV export of everything\n"
        f"    total {total:.2f} s (target <= {TARGET_EXPORT_S:.0f} s; ratio "
        f"{total / TARGET_EXPORT_S:.2f}); response headers after {got['headers'] * 1000:.0f} ms, "
        f"first byte after {got.get('first', total) * 1000:.0f} ms\n"
        f"    {size / 1e6:.1f} MB ({size / 1e6 / total:.1f} MB/s), {len(ids):,} rows (expected "
        f"{seeded.shared_answers:,}) from {len(found):,} reflections; private ones: "
        f"{len(found & seeded.private)} (must be 0), shared ones missing: "
        f"{len(seeded.shared - found)}\n"
        f"    server CPU {got['cpu']:.1f} s; server RSS before {rss0 * mb:.1f} MB, peak during "
        f"{peak * mb:.1f} MB, growth {(peak - rss0) * mb:+.1f} MB (VmHWM "
        f"{got['before']['VmHWM'] * mb:.1f} -> {got['after']['VmHWM'] * mb:.1f} MB)\n"
        f"    RSS growth at 25/50/75/100% of the bytes (MB): {', '.join(along)} "
        f"({len(got['samples'])} samples)"
    )


def _reset(database_url: str) -> None:
    """Drop and recreate PostgreSQL's public schema."""
    from sqlalchemy import text

    from bot.db import create_db_engine

    engine = create_db_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def run(args: argparse.Namespace) -> int:
    """Seed, serve, sign in, measure and print."""
    import httpx

    from bot.db import Database, create_db_engine, upgrade

    print(
        f"{os.cpu_count()} cores, shared with other processes (load average "
        f"{os.getloadavg()[0]:.1f} at the start): busy neighbours inflate every figure"
    )
    workdir = Path(tempfile.mkdtemp(prefix="tandem-dashboard-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    if args.database_url:
        _reset(database_url)
    db = Database(create_db_engine(database_url))
    try:
        upgrade(db)
        started = time.perf_counter()
        seeded = seed(db, random.Random(args.seed), partners=args.partners, answers=args.answers)
        print(
            f"{database_url.split(':')[0]}: {args.partners:,} partners in {len(seeded.cohorts)} "
            f"cohorts, {len(seeded.meetings)} meetings, "
            f"{len(seeded.shared) + len(seeded.private):,} reflections ({len(seeded.private):,} "
            f"private), {seeded.answers:,} answers; seeded in {time.perf_counter() - started:.1f} s"
        )
        server, base_url = start_server(database_url)
        try:
            with httpx.Client(base_url=base_url, timeout=120) as http:
                sign_in(db, seeded.coordinator_id, http)
                measure_pages(http, server.pid, seeded, args.requests, args.seed)
                measure_export(http, server.pid, seeded, workdir / "export.csv")
        finally:
            server.terminate()
            server.wait(10)
        print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    finally:
        db.dispose()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def main() -> int:
    """Run the benchmark, or (with --serve) be its web server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="page views to time")
    parser.add_argument("--seed", type=int, default=7, help="random seed for data and pages")
    parser.add_argument("--database-url", help="default: a fresh SQLite file (PostgreSQL: reset)")
    parser.add_argument("--serve", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
