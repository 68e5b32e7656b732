"""Benchmark: several Tandem processes on PostgreSQL sharing one Telegram budget.

    .venv/bin/python bench/scale_out.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/scale
    .venv/bin/python bench/scale_out.py --partners 1000 --processes 1,2   # a quick look

For 1, 2 and 4 `tandem worker` processes (production pacing), against the sandbox enforcing
Telegram's limits (about 30 messages a second, 1 a second per chat): a broadcast to 5,000
partners is queued once the processes are up, and timed until every row is sent. Prints
the wall time, (n / 30 s) / wall (target at least 0.95), the 429s the processes caused
(target 0) and the duplicates delivered (target 0). Then, with 2 processes, the sending one
is killed (SIGKILL) a third of the way through: how long until another is sending, and the
duplicates (at most the sends on the wire at the kill).

The database named is reset (its schema is dropped) for every run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from broadcast import TEXT, TOKEN, make_users, population, start_sandbox  # noqa: E402


def reset(url: str) -> Any:
    """A migrated, empty PostgreSQL database."""
    from sqlalchemy import text

    from bot.db import Database, create_db_engine, upgrade

    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    database = Database(create_db_engine(url))
    upgrade(database)
    return database


async def spawn(count: int, sandbox_url: str, database_url: str) -> list[Any]:
    """`tandem worker` processes, as an operator runs them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TANDEM_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": f"{sandbox_url}/bot",
        "DATABASE_URL": database_url,
    }
    return [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "worker",
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        for _ in range(count)
    ]


async def stats(url: str) -> tuple[int, int]:
    """(sendMessage calls that succeeded, sendMessage calls refused)."""
    from bot.sandbox import SandboxClient

    async with SandboxClient(url) as client:
        figures = await client.stats()
    errors = int(figures["errors"].get("sendMessage", 0))
    return int(figures["requests"].get("sendMessage", 0)) - errors, errors


def sent_rows(db: Any) -> tuple[int, dict[str, int]]:
    """Rows sent, and by which worker."""
    from sqlmodel import func, select

    from bot.models import Delivery, DeliveryStatus

    with db.transaction() as session:
        by = dict(
            session.exec(
                select(Delivery.leased_by, func.count())
                .where(Delivery.status == DeliveryStatus.SENT)
                .group_by(Delivery.leased_by)
            ).all()
        )
    return sum(by.values()), {str(k): int(v) for k, v in by.items()}


async def one_run(database_url: str, partners: int, processes: int, kill_at: float | None) -> None:
    db = reset(database_url)
    sandbox, url = await start_sandbox(enforce=True)
    workers: list[Any] = []
    try:
        chats = await make_users(url, partners)
        people = population(db, 1, partners, chats[0])
        workers = await spawn(processes, url, database_url)
        await asyncio.sleep(4)  # every process up and idle
        from bot.domain.broadcasts import create_broadcast
        from bot.domain.clock import SystemClock

        with db.transaction() as session:
            create_broadcast(session, text=TEXT, person_ids=people, clock=SystemClock())
        started = time.perf_counter()
        takeover = await _until_done(db, url, partners, workers, kill_at)
        wall = time.perf_counter() - started
        delivered, refused = await stats(url)
        _, by_worker = sent_rows(db)
    finally:
        for worker in workers:
            if worker.returncode is None:
                worker.send_signal(signal.SIGTERM)
        for worker in workers:
            await worker.wait()
        sandbox.terminate()
        await sandbox.wait()
        db.dispose()
    ideal = partners / 30
    label = f"{processes} process{'es' if processes > 1 else ''}"
    line = (
        f"{label:12s} {partners} messages in {wall:6.1f} s; (n/30 s)/wall = {ideal / wall:.3f} "
        f"(target >= 0.95); 429s caused: {refused}; duplicates: {delivered - partners}; "
        f"senders: {len(by_worker)}"
    )
    if takeover is not None:
        line += f"; after killing the sender, another sent within {takeover:.1f} s"
    print(line, flush=True)


async def _until_done(
    db: Any, url: str, partners: int, workers: list[Any], kill_at: float | None
) -> float | None:
    """Wait until every row is sent; kill the sending process once `kill_at` of them are."""
    takeover = None
    while True:
        done, by_worker = sent_rows(db)
        if done >= partners:
            return takeover
        if kill_at is not None and takeover is None and done >= partners * kill_at:
            sender = next(iter(by_worker))
            victim = next(w for w in workers if f":{w.pid}:" in sender)
            victim.send_signal(signal.SIGKILL)
            await victim.wait()
            killed, before = time.perf_counter(), (await stats(url))[0]
            for _ in range(6000):  # at most five minutes
                if (await stats(url))[0] > before:
                    break
                await asyncio.sleep(0.05)
            takeover = time.perf_counter() - killed
        await asyncio.sleep(0.5)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/scale_out"
    )
    parser.add_argument("--partners", type=int, default=5000)
    parser.add_argument("--processes", default="1,2,4")
    args = parser.parse_args()
    for count in (int(p) for p in args.processes.split(",")):
        await one_run(args.database_url, args.partners, count, None)
    await one_run(args.database_url, args.partners, 2, kill_at=1 / 3)


if __name__ == "__main__":
    asyncio.run(main())
