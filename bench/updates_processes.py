"""bench/updates.py --processes N: the bot as N worker processes behind `tandem route`, on
PostgreSQL (issue 16: "several processes allowed; say how many").

Each worker is the same Runner as `tandem run` with TANDEM_BEHIND_ROUTER=1 (and, as in the
single-process benchmark, pacing off unless --production-pacing); the router is `tandem
route` itself. The bot's CPU is the workers' own (from /proc), the router's shown apart.

    .venv/bin/python bench/updates.py --processes 2 --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-router-secret-0123456789-abcdefgh"
PATH = "/telegram/updates"


def _cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    sys.path.insert(0, str(ROOT))
    from bot.serving import bind_socket

    probe = bind_socket("127.0.0.1", 0)
    port: int = probe.getsockname()[1]
    probe.close()
    return port


async def _wait_until_up(url: str) -> None:
    import httpx

    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                if (await http.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"a worker did not start ({url})")


async def run_processes(
    args: argparse.Namespace, sandbox_url: str, database_url: str, code: str
) -> dict[str, Any]:
    """Start the workers and the router, let the driver play the people, stop them all."""
    from updates import TOKEN, _drive_in_subprocess  # bench/updates.py

    ports = [_free_port() for _ in range(args.processes)]
    pacing = ["--production-pacing"] if args.production_pacing else []
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable, __file__, str(port), sandbox_url, database_url, *pacing
        )
        for port in ports
    ]
    for port in ports:
        await _wait_until_up(f"http://127.0.0.1:{port}/healthz")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TANDEM_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": f"{sandbox_url}/bot",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    addresses = [arg for port in ports for arg in ("--worker", f"http://127.0.0.1:{port}{PATH}")]
    router = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "route", *addresses, env=env, cwd=str(ROOT)
    )
    before = [_cpu_seconds(p.pid) for p in workers]
    router_before = _cpu_seconds(router.pid)
    try:
        out = await _drive_in_subprocess(args, sandbox_url, code)
        bot_cpu = sum(_cpu_seconds(p.pid) - b for p, b in zip(workers, before, strict=True))
        router_cpu = _cpu_seconds(router.pid) - router_before
    finally:
        for process in (router, *workers):
            process.send_signal(signal.SIGTERM)
        for process in (router, *workers):
            await process.wait()
    import json

    outcome: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    outcome["bot_cpu"] = bot_cpu
    outcome["router_cpu"] = router_cpu
    return outcome


async def serve(port: int, sandbox_url: str, database_url: str, production_pacing: bool) -> None:
    """One worker: `tandem run` behind the router, until SIGTERM."""
    sys.path.insert(0, str(ROOT))
    from updates import TOKEN  # bench/updates.py

    from bot.bootstrap import bootstrap, open_database
    from bot.config import Settings
    from bot.domain.clock import SystemClock
    from bot.runtime import Runner
    from bot.telegram.app import TelegramOptions

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=f"{sandbox_url}/bot",
        DATABASE_URL=database_url,
        TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{port}{PATH}",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        TANDEM_BEHIND_ROUTER=True,
    )
    options = TelegramOptions(
        token=TOKEN,
        base_url=settings.telegram_base_url,
        webhook=True,
        overall_rate=30.0 if production_pacing else None,
    )
    tandem = bootstrap(settings, clock=SystemClock(), telegram=options, db=open_database(settings))
    runner = Runner(tandem, port=port)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await runner.start()
    try:
        await stop.wait()
    finally:
        await runner.stop()
        tandem.db.dispose()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    port_text, sandbox, database = sys.argv[1:4]
    asyncio.run(serve(int(port_text), sandbox, database, "--production-pacing" in sys.argv))
