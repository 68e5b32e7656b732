"""Benchmark: N simulated people go through onboarding and a reflection at once, via the
Bot API sandbox.

Three processes, as in production the bot shares the machine with nobody but Telegram:
the sandbox (a subprocess), the bot (this process, the same Runner as `tandem run`), and a
driver (a subprocess: bench/updates_driver.py) playing the people. Each person taps
through onboarding, pausing a "think time" between taps, so the offered load is about
people / think-time updates/s.

Bot-side latency is measured by the sandbox: from handing an update to the bot (getUpdates
reply) to the bot's first Bot API call about it (answerCallbackQuery or sendMessage).

Tap-to-reply is measured by the driver: from a person's tap or message to the bot's answer
(the message or edit the person waits for) reaching their chat.

    .venv/bin/python bench/updates.py --people 300 --think 1.0
    .venv/bin/python bench/updates.py --people 30 --production-pacing
    .venv/bin/python bench/updates.py --database-url postgresql+psycopg://postgres@127.0.0.1/test
    .venv/bin/python bench/updates.py --processes 2 --database-url postgresql+psycopg://...
    .venv/bin/python bench/updates.py --onboarding-only   # then CPU for the reflection alone is
        # (CPU of a whole run - CPU of this one) / (updates of a whole run - updates of this)

Targets (reported, not asserted): p99 <= 50 ms bot-side at 300 updates/s on a 2-core machine;
with --production-pacing (the bot's real rate limiter, against a sandbox enforcing Telegram's
limits), 30 partners at once: p99 tap-to-reply <= 300 ms and no 429 caused.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from updates_driver import ONBOARDING_STEPS, STEPS  # noqa: E402  (this folder)
from updates_report import report  # noqa: E402  (this folder: bench/updates_report.py)

TOKEN = "7000000002:" + "B" * 35


async def run_bot_and_measure(args: argparse.Namespace) -> int:
    """Start the sandbox and the bot, run the driver, print the figures."""
    from bot.sandbox import SandboxClient

    sandbox, sandbox_url = await _start_sandbox(enforce_limits=args.production_pacing)
    workdir = Path(tempfile.mkdtemp(prefix="tandem-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    try:
        await _wait_for(sandbox_url)
        outcome = await _run_bot(args, sandbox_url, database_url)
        async with SandboxClient(sandbox_url) as client:
            timings = await client.timings()
            outcome["stats"] = await client.stats()
    finally:
        sandbox.terminate()
        await sandbox.wait()
    report(args, outcome, timings, database_url)
    return 0 if outcome["completed"] == args.people else 1


async def _start_sandbox(*, enforce_limits: bool) -> tuple[asyncio.subprocess.Process, str]:
    """The sandbox as a subprocess on a free port (enforcing Telegram's limits if asked), and
    its URL."""
    from bot.serving import bind_socket

    probe = bind_socket("127.0.0.1", 0)
    port = probe.getsockname()[1]
    probe.close()
    sandbox = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.sandbox",
        "--port",
        str(port),
        "--token",
        TOKEN,
        *(["--enforce-limits"] if enforce_limits else []),
        stdout=asyncio.subprocess.DEVNULL,
    )
    return sandbox, f"http://127.0.0.1:{port}"


async def _run_bot(args: argparse.Namespace, sandbox_url: str, database_url: str) -> dict[str, Any]:
    """The bot (the same Runner as `tandem run`) serving the driver's people; the driver's
    outcome, with the CPU the bot used meanwhile."""
    from bot.bootstrap import bootstrap, open_database
    from bot.config import Settings
    from bot.db import create_db_engine
    from bot.domain.clock import SystemClock
    from bot.runtime import Runner
    from bot.telegram.app import TelegramOptions

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=f"{sandbox_url}/bot",
        DATABASE_URL=database_url,
    )
    if args.database_url:
        _reset(create_db_engine(database_url))
    db = open_database(settings)
    clock = SystemClock()
    code = _invite_code(db, clock, args.people)
    if args.processes:
        from updates_processes import run_processes  # this folder

        db.dispose()
        return await run_processes(args, sandbox_url, database_url, code)
    # Without --production-pacing the benchmark measures the bot's own capacity, unpaced.
    options = TelegramOptions(
        token=TOKEN,
        base_url=settings.telegram_base_url,
        overall_rate=30.0 if args.production_pacing else None,
    )
    tandem = bootstrap(settings, clock=clock, telegram=options, db=db)
    runner = Runner(tandem, port=0)
    statements = _count_statements(db, Path(args.sql_log) if args.sql_log else None)
    await runner.start()
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    cpu_before = time.process_time()
    try:
        if profiler is not None:
            profiler.enable()
        out = await _drive_in_subprocess(args, sandbox_url, code)
    finally:
        bot_cpu = time.process_time() - cpu_before
        if profiler is not None:
            profiler.disable()
        await runner.stop()
    if profiler is not None:
        print("bot process CPU profile (cProfile, its overhead included), top 15 by own time:")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        saved = Path(tempfile.gettempdir()) / "tandem-bench.prof"
        profiler.dump_stats(str(saved))
        print(f"whole profile (python -m pstats): {saved}")
    outcome: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    outcome["bot_cpu"] = bot_cpu
    outcome["sql"] = dict(statements)
    db.dispose()
    return outcome


def _count_statements(db: Any, log: Path | None) -> dict[str, int]:
    """Counts of the SQL statements and transactions the bot runs (each statement's text
    written to `log` too, when given: run it with --people 1 to read one person's)."""
    from sqlalchemy import event

    counts = {"statements": 0, "transactions": 0}
    out = log.open("w") if log else None

    def statement(_conn: Any, _cursor: Any, text: str, *_args: Any) -> None:
        counts["statements"] += 1
        if out is not None:
            out.write(" ".join(text.split())[:300] + "\n")

    def begin(_conn: Any) -> None:
        counts["transactions"] += 1
        if out is not None:
            out.write("-- BEGIN\n")

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(db.engine, "begin", begin)
    return counts


def _invite_code(db: Any, clock: Any, people: int) -> str:
    """A cohort for the benchmark, and an invite code that `people` partners can join with."""
    from bot.domain.cohorts import create_cohort
    from bot.domain.invites import create_invite
    from bot.models import Role

    with db.transaction() as session:
        cohort = create_cohort(session, name="Bench", clock=clock)
        return create_invite(
            session, role=Role.PARTNER, cohort=cohort, clock=clock, uses=people
        ).code


async def _drive_in_subprocess(args: argparse.Namespace, sandbox_url: str, code: str) -> bytes:
    """bench/updates_driver.py, playing the people; what it printed."""
    driver = await asyncio.create_subprocess_exec(
        sys.executable,
        str(Path(__file__).with_name("updates_driver.py")),
        sandbox_url,
        "--code",
        code,
        "--people",
        str(args.people),
        "--think",
        str(args.think),
        "--ramp",
        str(args.ramp),
        "--steps",
        str(ONBOARDING_STEPS if args.onboarding_only else len(STEPS)),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await driver.communicate()
    return out


def _reset(engine: object) -> None:
    from sqlalchemy import Engine, text

    assert isinstance(engine, Engine)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


async def _wait_for(url: str) -> None:
    import httpx

    async with httpx.AsyncClient() as http:
        for _ in range(200):
            try:
                if (await http.get(f"{url}/control/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("the sandbox did not start")


def main() -> int:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument(
        "--think", type=float, default=1.0, help="average seconds a person waits between taps"
    )
    parser.add_argument(
        "--ramp", type=float, default=3.0, help="seconds over which people first arrive (/start)"
    )
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument(
        "--production-pacing",
        action="store_true",
        help="the bot's real rate limiter on, against a sandbox enforcing Telegram's limits",
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile the bot process; print the top 15"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="the bot as this many worker processes behind `tandem route` (PostgreSQL)",
    )
    parser.add_argument(
        "--sql-log", metavar="FILE", help="count SQL statements; write each one to FILE"
    )
    parser.add_argument(
        "--onboarding-only",
        action="store_true",
        help="people stop after onboarding (no reflection), to tell the two phases' CPU apart",
    )
    args = parser.parse_args()
    if args.processes and not (args.database_url or "").startswith("postgresql"):
        parser.error("--processes needs --database-url postgresql+psycopg://...")
    return asyncio.run(run_bot_and_measure(args))


if __name__ == "__main__":
    sys.exit(main())
