"""Run a standalone sandbox: python -m bot.sandbox [--port 8081] [--token T] [--username U]."""

from __future__ import annotations

import argparse
import asyncio
import gc
import signal
from typing import Any

from bot.sandbox.server import DEFAULT_TOKEN, SandboxServer


async def serve_forever(
    *,
    host: str = "127.0.0.1",
    port: int = 8081,
    token: str | None = None,
    username: str = "tandem_test_bot",
    enforce_limits: bool = False,
) -> None:
    """Serve a sandbox and print its URL until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = SandboxServer(
        token=token or DEFAULT_TOKEN,
        username=username,
        host=host,
        port=port,
        enforce_limits=enforce_limits,
    )
    try:
        async with server:
            _keep_collections_short()
            print(f"Bot API sandbox on {server.url}", flush=True)
            print(f"  TELEGRAM_BASE_URL={server.bot_api_base_url}", flush=True)
            print(f"  token={server.token}", flush=True)
            await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def _keep_collections_short() -> None:
    """Keep the garbage collector from re-scanning what the sandbox has kept.

    The sandbox keeps every message, update and event it has seen. A full collection
    scans all of them, and these pauses grow with the world: 70-170 ms after 6,000
    updates (bench/updates.py), each holding up every Bot API call the bot was waiting
    on, so they showed up as the bot's latency. What survives a full collection is
    frozen, so the next one scans only what came since.
    """
    gc.freeze()

    def after_a_full_collection(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            gc.freeze()

    gc.callbacks.append(after_a_full_collection)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--username", default="tandem_test_bot")
    parser.add_argument("--enforce-limits", action="store_true")
    args = parser.parse_args(argv)
    asyncio.run(
        serve_forever(
            host=args.host,
            port=args.port,
            token=args.token,
            username=args.username,
            enforce_limits=args.enforce_limits,
        )
    )


if __name__ == "__main__":
    main()
