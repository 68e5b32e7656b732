"""What every `tandem` command shares: one-line errors, settings, the database."""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from bot.config import ConfigError, Settings, load_settings
from bot.db import Database, DatabaseUnavailable
from bot.domain.errors import TandemError
from bot.serving import PortInUse

F = TypeVar("F", bound=Callable[..., Any])


def operator_errors(function: F) -> F:
    """Turn known failures into one clear line on stderr and a non-zero exit, no traceback."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from bot.library.catalogue import ContentError
        from bot.library.messages import Texts
        from bot.runtime import StartupError

        try:
            return function(*args, **kwargs)
        except ConfigError as exc:
            fail(str(exc), 2)
        except StartupError as exc:
            fail(str(exc), exc.exit_code)
        except (DatabaseUnavailable, PortInUse, ContentError) as exc:
            fail(str(exc), 1)
        except TandemError as exc:
            texts = Texts.load()
            key = f"errors.{exc.key}"
            text = texts.render(key, **exc.params) if texts.has(key) else str(exc)
            fail(html.unescape(text), 1)

    return wrapper  # type: ignore[return-value]


def fail(message: str, code: int) -> None:
    """Print one line to stderr and exit with `code`."""
    click.echo(f"tandem: {message}", err=True)
    sys.exit(code)


def load() -> Settings:
    """Settings from the environment (ConfigError on anything malformed)."""
    return load_settings()


def open_db(settings: Settings, *, migrate: bool = True) -> Database:
    """The database, checked and migrated."""
    from bot.bootstrap import open_database

    return open_database(settings, migrate=migrate)


def configure_logging(log_format: str = "text") -> None:
    """INFO logs for long-running commands, without the chattier libraries; as one JSON
    object a line when asked (TANDEM_LOG_FORMAT=json)."""
    handler = logging.StreamHandler()
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    for noisy in ("httpx", "apscheduler", "alembic", "telegram.ext.Application"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def bot_username(settings: Settings, database: Database) -> str | None:
    """The bot's username: remembered from the last run, else asked of Telegram if possible."""
    from bot.domain.updates import get_fact, set_fact

    with database.transaction() as session:
        known = get_fact(session, key="bot_username")
    if known or settings.telegram_bot_token is None:
        return known
    try:
        username = asyncio.run(_ask_username(settings))
    except Exception:  # offline or a bad token: the code is still useful without the link
        return None
    with database.transaction() as session:
        set_fact(session, key="bot_username", value=username)
    return username


async def _ask_username(settings: Settings) -> str:
    from telegram import Bot

    async with Bot(settings.bot_token(), base_url=settings.telegram_base_url) as bot:
        return bot.username
