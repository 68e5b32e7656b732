"""The Telegram adapter: the only package that imports `telegram`."""

import os

# Opt in to python-telegram-bot's coming behaviour (durations such as RetryAfter.retry_after
# as datetime.timedelta) instead of a deprecation warning on every 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")
