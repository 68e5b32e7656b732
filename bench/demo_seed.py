"""Benchmark: seeding the `tandem demo` programme, step by step, as `tandem demo` does it.

The demo's bot runs in this process against the in-process sandbox (as in `tandem demo`),
on a fresh SQLite file, or on PostgreSQL with --database-url (its public schema is dropped
first: give a scratch database). Prints the seconds each seeding step took and the total;
--profile FILE also writes a cProfile of the whole seed (read it with `python -m pstats`).

    .venv/bin/python bench/demo_seed.py
    .venv/bin/python bench/demo_seed.py --database-url postgresql+psycopg://.../scratch

Every test that starts `tandem demo` pays this seed (issue 16).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.db import create_db_engine  # noqa: E402
from bot.demo import runner  # noqa: E402
from bot.demo.clock import demo_clock, parse_clock  # noqa: E402
from bot.runtime import Runner  # noqa: E402
from bot.sandbox import SandboxClient, SandboxServer  # noqa: E402

STEPS = [name for name in vars(runner) if name.startswith("seed_")]


def _timed(name: str, step: Callable[..., Any], took: dict[str, float]) -> Callable[..., Any]:
    """`step`, noting the seconds it took (awaited, for a coroutine function)."""
    if asyncio.iscoroutinefunction(step):

        @functools.wraps(step)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return await step(*args, **kwargs)
            finally:
                took[name] = took.get(name, 0.0) + time.perf_counter() - start

        return timed_async

    @functools.wraps(step)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return step(*args, **kwargs)
        finally:
            took[name] = took.get(name, 0.0) + time.perf_counter() - start

    return timed


def _drop_schema(url: str) -> None:
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


async def seed_once(database_url: str, clock_at: str, profile: Path | None) -> dict[str, float]:
    """Seed a new demo on `database_url`; the seconds each step took, and the total."""
    took: dict[str, float] = {}
    for name in STEPS:
        setattr(runner, name, _timed(name, getattr(runner, name), took))
    clock = demo_clock(parse_clock(clock_at))
    folder = Path(tempfile.mkdtemp(prefix="tandem-demo-bench-"))
    async with SandboxServer(
        token=runner.DEMO_TOKEN,
        username=runner.DEMO_USERNAME,
        clock_offset=clock.offset.total_seconds(),
    ) as sandbox:
        settings = Settings(
            _env_file=None,
            TELEGRAM_BOT_TOKEN=runner.DEMO_TOKEN,
            TELEGRAM_BASE_URL=sandbox.bot_api_base_url,
            DATABASE_URL=database_url,
            PORT=0,
        )
        started = time.perf_counter()
        tandem = runner._build(settings, clock)
        took["migrate and build"] = time.perf_counter() - started
        bot = Runner(tandem)
        await bot.start()
        profiler = cProfile.Profile() if profile else None
        try:
            async with SandboxClient(sandbox.url) as client:
                started = time.perf_counter()
                if profiler:
                    profiler.enable()
                await runner._people(tandem, client, folder)
                if profiler:
                    profiler.disable()
                took["seed (total)"] = time.perf_counter() - started
        finally:
            await bot.stop()
            tandem.db.dispose()
    if profiler and profile:
        profiler.dump_stats(profile)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (default SQLite)")
    parser.add_argument("--clock", default="2026-12-08T15:00", help="the demo's clock (UK time)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the seed here")
    args = parser.parse_args()
    if args.database_url:
        _drop_schema(args.database_url)
        url = args.database_url
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='tandem-demo-bench-')) / 'tandem.db'}"
    took = asyncio.run(seed_once(url, args.clock, args.profile))
    for name, seconds in took.items():
        print(f"{name:<24} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
