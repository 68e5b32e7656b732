"""The bot as its own process, for the crash tests: `tandem run` as it is, only unthrottled
(the sandbox does not enforce limits here) and with short leases so a test need not wait a
minute for a dead dispatcher's rows.

    python tests/crashbot.py run|worker SANDBOX_BOT_API_URL DATABASE_URL
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta
from pathlib import Path

# Run as a script, Python puts this folder first on the path, where tests/telegram (the tests
# of bot/telegram) would hide the real `telegram` package: put the project there instead.
sys.path.remove(sys.path[0])
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.bootstrap import bootstrap
from bot.config import Settings
from bot.runtime import run_until_signalled, run_worker
from bot.telegram.app import TelegramOptions

TOKEN = "7000000003:" + "K" * 35
CONCURRENCY = 4


def main() -> None:
    """Run the bot (or a dispatcher-only worker) until killed."""
    mode, base_url, database_url = sys.argv[1:4]
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=base_url,
        DATABASE_URL=database_url,
        PORT=0,
    )
    tandem = bootstrap(
        settings, telegram=TelegramOptions(token=TOKEN, base_url=base_url, overall_rate=None)
    )
    tandem.dispatcher.lease = timedelta(seconds=2)
    # Few sends on the wire at once, so what a kill leaves in doubt is exactly those: a
    # result recorded late would show as more than this.
    tandem.dispatcher.limit_concurrency(CONCURRENCY)
    asyncio.run(run_until_signalled(tandem) if mode == "run" else run_worker(tandem))


if __name__ == "__main__":
    main()
