"""Benchmark: broadcasting through the outbox, side by side with a plain PTB loop.

    .venv/bin/python bench/broadcast.py                # all three parts (about 7 minutes)
    .venv/bin/python bench/broadcast.py --parts b,c    # skip the 3-minute throttled runs

(a) 5,000 partners, the sandbox enforcing Telegram's limits (about 30 messages/s): wall time
    and (5000 / 30 s) / wall, target at least 0.95, and how many 429s we caused (target 0);
    the same for a plain loop: `for chat in chats: await bot.send_message(...)` with PTB's
    AIORateLimiter.
(b) The sandbox unthrottled: messages per second (target at least 1,000 on 2 cores).
(c) 10,000 partners in 100 cohorts: an idle dispatch tick (target at most 5 ms) and planning
    one meeting for 1,000 partners (target at most 1 s).

The sandbox runs as its own process; the bot side runs here.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "7000000004:" + "Z" * 35
TEXT = "Papers for Thursday are out: the room has changed to 3B."


async def start_sandbox(enforce: bool) -> tuple[asyncio.subprocess.Process, str]:
    """A sandbox process on a free port."""
    import httpx

    from bot.serving import bind_socket

    probe = bind_socket("127.0.0.1", 0)
    port = probe.getsockname()[1]
    probe.close()
    args = ["-m", "bot.sandbox", "--port", str(port), "--token", TOKEN]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        *(["--enforce-limits"] if enforce else []),
        stdout=asyncio.subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as http:
        for _ in range(200):
            try:
                if (await http.get(f"{url}/control/health")).status_code == 200:
                    return process, url
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("the sandbox did not start")


def population(
    db: Any, cohorts: int, per_cohort: int, first_id: int, prefix: str = "Cohort"
) -> list[int]:
    """Bulk-insert cohorts of active partners; returns person ids."""
    from bot.domain.clock import SystemClock

    now = SystemClock().now()
    people: list[int] = []
    with db.transaction() as session:
        connection = session.connection()
        for c in range(cohorts):
            cohort_id = _insert_cohort(connection, f"{prefix} {c}", now)
            ids = list(range(first_id + c * per_cohort, first_id + (c + 1) * per_cohort))
            people += _insert_partners(connection, cohort_id, ids, now)
    return people


def _insert_cohort(connection: Any, name: str, now: datetime) -> int:
    """One cohort; its id."""
    from sqlalchemy import insert

    from bot.models import Cohort

    return int(
        connection.execute(
            insert(Cohort)
            .values(name=name, time_zone="Europe/London", hours_per_month=8, created_at=now)
            .returning(Cohort.id)
        ).scalar_one()
    )


def _insert_partners(connection: Any, cohort_id: int, ids: list[int], now: datetime) -> list[int]:
    """Active partners with these Telegram ids (and chat ids), members of the cohort; their
    person ids."""
    from sqlalchemy import insert, select

    from bot.models import Membership, Person
    from bot.telegram.menus import MENU_VERSION

    connection.execute(
        insert(Person),
        [
            {
                "telegram_user_id": i,
                "chat_id": i,
                "preferred_name": f"P{i}",
                "role": "partner",
                "time_zone": "Europe/London",
                "quiet_start": None,
                "quiet_end": None,
                "status": "active",
                "commands_version": MENU_VERSION,
                "created_at": now,
            }
            for i in ids
        ],
    )
    rows = list(
        connection.execute(select(Person.id).where(Person.telegram_user_id.in_(ids))).scalars()
    )
    connection.execute(
        insert(Membership),
        [
            {"person_id": p, "cohort_id": cohort_id, "role": "partner", "joined_at": now}
            for p in rows
        ],
    )
    return rows


async def make_users(url: str, count: int) -> list[int]:
    """Sandbox users who pressed Start earlier."""
    from bot.sandbox import SandboxClient

    async with SandboxClient(url, timeout=120) as client:
        users = await client.create_users([f"P{n}" for n in range(count)])
    return [u["id"] for u in users]


def fresh_database(workdir: Path, name: str) -> Any:
    from bot.db import Database, create_db_engine, upgrade

    database = Database(create_db_engine(f"sqlite:///{workdir / name}"))
    upgrade(database)
    return database


async def dispatch_all(url: str, db: Any, people: list[int], *, rate: float | None) -> float:
    """Queue a broadcast to everyone and time the dispatcher sending it all."""
    from bot.bootstrap import bootstrap
    from bot.config import Settings
    from bot.domain.broadcasts import create_broadcast
    from bot.domain.clock import SystemClock
    from bot.telegram.app import TelegramOptions

    settings = Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=TOKEN,  # type: ignore[call-arg]
        TELEGRAM_BASE_URL=f"{url}/bot",
        DATABASE_URL=str(db.engine.url),
    )
    tandem = bootstrap(
        settings,
        db=db,
        telegram=TelegramOptions(token=TOKEN, base_url=f"{url}/bot", overall_rate=rate),
    )
    with db.transaction() as session:
        create_broadcast(session, text=TEXT, person_ids=people, clock=SystemClock())
    await tandem.application.bot.initialize()
    try:
        started = time.perf_counter()
        while await tandem.dispatcher.drain():
            pass
        return time.perf_counter() - started
    finally:
        await tandem.application.bot.shutdown()


async def plain_loop(url: str, chats: list[int]) -> float:
    """The plain python-telegram-bot way, for comparison."""
    from telegram.ext import AIORateLimiter, ExtBot

    bot = ExtBot(TOKEN, base_url=f"{url}/bot", rate_limiter=AIORateLimiter(max_retries=3))
    async with bot:
        started = time.perf_counter()
        for chat in chats:
            await bot.send_message(chat, TEXT)
        return time.perf_counter() - started


async def errors_429(url: str) -> int:
    from bot.sandbox import SandboxClient

    async with SandboxClient(url) as client:
        return int((await client.stats())["errors"].get("sendMessage", 0))


async def part_a(workdir: Path, partners: int) -> None:
    ideal = partners / 30
    for name in ("tandem outbox", "plain PTB loop"):
        sandbox, url = await start_sandbox(enforce=True)
        try:
            chats = await make_users(url, partners)
            if name == "tandem outbox":
                db = fresh_database(workdir, "a.db")
                wall = await dispatch_all(url, db, population(db, 1, partners, chats[0]), rate=30.0)
            else:
                wall = await plain_loop(url, chats)
            limited = await errors_429(url)
        finally:
            sandbox.terminate()
            await sandbox.wait()
        print(
            f"(a) {name:15s} {partners} messages in {wall:6.1f} s; "
            f"(n/30 s)/wall = {ideal / wall:.3f} (target >= 0.95); 429s caused: {limited}"
        )


async def part_b(workdir: Path, partners: int) -> None:
    sandbox, url = await start_sandbox(enforce=False)
    try:
        chats = await make_users(url, partners)
        db = fresh_database(workdir, "b.db")
        wall = await dispatch_all(url, db, population(db, 1, partners, chats[0]), rate=None)
    finally:
        sandbox.terminate()
        await sandbox.wait()
    print(
        f"(b) unthrottled: {partners} messages in {wall:.2f} s = {partners / wall:.0f} "
        f"messages/s (target >= 1000; ratio {partners / wall / 1000:.2f})"
    )


async def part_c(workdir: Path) -> None:
    db = fresh_database(workdir, "c.db")
    population(db, 99, 90, 2_000_000)
    population(db, 1, 1000, 3_000_000, prefix="Big")  # 99 x 90 + 1,000 = 9,910 partners
    await _idle_ticks(db)
    _plan_big_meeting(db)


async def _idle_ticks(db: Any) -> None:
    """Time 200 dispatcher ticks with nothing due."""
    from bot.bootstrap import bootstrap
    from bot.config import Settings
    from bot.telegram.app import TelegramOptions

    settings = Settings(
        _env_file=None,
        TELEGRAM_BOT_TOKEN=TOKEN,  # type: ignore[call-arg]
        DATABASE_URL=str(db.engine.url),
    )
    tandem = bootstrap(
        settings,
        db=db,
        telegram=TelegramOptions(token=TOKEN, base_url="http://127.0.0.1:9/bot", overall_rate=None),
    )
    ticks = []
    for _ in range(200):
        started = time.perf_counter()
        await tandem.dispatcher.tick()
        ticks.append((time.perf_counter() - started) * 1000)
    print(
        f"(c) idle dispatch tick: median {statistics.median(ticks):.2f} ms, "
        f"p99 {sorted(ticks)[197]:.2f} ms (target <= 5 ms)"
    )


def _plan_big_meeting(db: Any) -> None:
    """Time adding a meeting (and planning its messages) for the cohort of 1,000, three times."""
    from sqlmodel import select

    from bot.domain.clock import SystemClock
    from bot.domain.meetings import add_meeting
    from bot.library.catalogue import Library
    from bot.models import Cohort

    library, _ = Library.load()
    clock = SystemClock()
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=8)
    with db.transaction() as session:
        big = session.exec(select(Cohort).where(Cohort.name == "Big 0")).one()
    timings = []
    for attempt in range(3):
        started = time.perf_counter()
        with db.transaction() as session:
            plan = add_meeting(
                session,
                cohort=big,
                title=f"Board {attempt}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                clock=clock,
                timetable=library.timetable,
            )
        timings.append(time.perf_counter() - started)
    print(
        f"(c) planning one meeting for 1,000 partners: {plan.planned} rows, median "
        f"{statistics.median(timings) * 1000:.0f} ms (target <= 1000 ms)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="a,b,c")
    parser.add_argument("--partners", type=int, default=5000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tandem-broadcast-"))
    parts = set(args.parts.split(","))
    if "a" in parts:
        await part_a(workdir, args.partners)
    if "b" in parts:
        await part_b(workdir, args.partners)
    if "c" in parts:
        await part_c(workdir)


if __name__ == "__main__":
    asyncio.run(main())
