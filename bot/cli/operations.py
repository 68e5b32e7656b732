"""Operators' tools: `tandem doctor` (is this deployment configured right?) and
`tandem db backup PATH`."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
import httpx

from bot.cli.support import open_db, operator_errors
from bot.config import SECRET_PATTERN, ConfigError, Settings, load_settings
from bot.db import DatabaseUnavailable, backup_sqlite, schema_revisions


@dataclass(frozen=True)
class Finding:
    """One check's result: fine, or what is wrong and how to put it right."""

    ok: bool
    what: str
    fix: str = ""


def _settings() -> tuple[Settings | None, list[Finding]]:
    try:
        return load_settings(), [Finding(True, "settings can be read")]
    except ConfigError as error:
        return None, [Finding(False, str(error), "correct the setting named, then run again")]


def _web(settings: Settings) -> list[Finding]:
    """The webhook secret and the public address."""
    found = []
    try:
        settings.check_web()
        public = settings.public_url("")
        found.append(
            Finding(True, f"links are built on {public}")
            if public
            else Finding(
                True,
                "links use this machine's own address (set TANDEM_PUBLIC_URL when other "
                "machines reach Tandem)",
            )
        )
        if settings.telegram_webhook_url and not public.startswith("https://"):
            found.append(
                Finding(False, "the public address is not https://", "serve Tandem over HTTPS")
            )
    except ConfigError as error:
        found.append(Finding(False, str(error), "set it in the environment or in .env"))
    return found


async def _telegram(settings: Settings) -> list[Finding]:
    """The token (getMe), and the webhook as Telegram and a stranger see it."""
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    try:
        token = settings.bot_token()
    except ConfigError as error:
        return [Finding(False, str(error))]
    try:
        async with Bot(token, base_url=settings.telegram_base_url) as bot:
            info = await bot.get_webhook_info()
            found = [Finding(True, f"the token works: this is @{bot.username}")]
    except InvalidToken as error:
        return [
            Finding(
                False,
                f"TELEGRAM_BOT_TOKEN was refused by Telegram ({error})",
                "copy the token again from @BotFather (/mybots, API Token)",
            )
        ]
    except TelegramError as error:
        return [Finding(False, f"Telegram could not be reached: {error}", "check the network")]
    wanted = settings.telegram_webhook_url or ""
    if info.url != wanted:
        found.append(
            Finding(
                False,
                f"Telegram's webhook is {info.url or 'not set'}, not {wanted or 'unset'}",
                "start `tandem run` once with these settings: it sets the webhook",
            )
        )
    if info.last_error_message:
        found.append(Finding(False, f"Telegram's last webhook error: {info.last_error_message}"))
    if wanted:
        found += await _webhook_answers(wanted, settings.webhook_secret() or "")
    return found


async def _webhook_answers(url: str, secret: str) -> list[Finding]:
    """Post to the webhook as a stranger (refused) and with the secret (taken): it is
    reachable and checks the secret."""
    header = "X-Telegram-Bot-Api-Secret-Token"
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            stranger = await client.post(url, json={})
            ours = await client.post(url, content=b"not an update", headers={header: secret})
    except httpx.HTTPError as error:
        return [
            Finding(
                False,
                f"the webhook {url} cannot be reached ({error})",
                "route it to this process's PORT",
            )
        ]
    if stranger.status_code != 403:
        return [
            Finding(False, f"the webhook took a post without the secret ({stranger.status_code})")
        ]
    if ours.status_code == 403 or not SECRET_PATTERN.match(secret):
        return [Finding(False, "the webhook refuses our own secret", "restart with this secret")]
    return [Finding(True, "the webhook is reachable and checks its secret")]


def _database(settings: Settings) -> list[Finding]:
    try:
        db = open_db(settings, migrate=False)
    except DatabaseUnavailable as error:
        return [Finding(False, str(error), "check DATABASE_URL and that the database is running")]
    current, head = schema_revisions(db)
    db.dispose()
    if current != head:
        return [
            Finding(
                False,
                f"the database is at migration {current}, this Tandem needs {head}",
                "run `tandem db upgrade` (or `tandem run`, which upgrades first)",
            )
        ]
    return [Finding(True, f"the database is reachable and up to date ({head})")]


def _content(settings: Settings) -> list[Finding]:
    from bot.library.validate import check_all

    dirs = settings.content_dirs()
    problems = check_all(dirs.content, dirs.prompts).problems
    if problems:
        return [
            Finding(False, f"{len(problems)} problem(s) in content", "run `tandem content check`")
        ]
    return [Finding(True, f"content and prompts are valid ({dirs.content.parent})")]


def _time_zones(settings: Settings) -> list[Finding]:
    try:
        ZoneInfo("Europe/London")
        ZoneInfo(settings.tandem_timezone)
    except ZoneInfoNotFoundError:
        return [Finding(False, "time zone data is missing", "pip install tzdata")]
    return [Finding(True, f"time zone data is there ({settings.tandem_timezone})")]


@click.command()
@operator_errors
def doctor() -> None:
    """Check this deployment: token, webhook, database, content, public address, time zones."""
    settings, findings = _settings()
    if settings is not None:
        checks: list[Callable[[Settings], list[Finding]]] = [
            _web,
            _database,
            _content,
            _time_zones,
        ]
        for check in checks:
            findings += check(settings)
        findings += asyncio.run(_telegram(settings))
    for finding in findings:
        mark = "ok     " if finding.ok else "PROBLEM"
        click.echo(
            f"{mark} {finding.what}" + (f"\n        to fix: {finding.fix}" if finding.fix else "")
        )
    problems = sum(1 for f in findings if not f.ok)
    if problems:
        click.echo(f"{problems} problem(s) to fix.", err=True)
        sys.exit(1)
    click.echo("All checks passed.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@operator_errors
def db_backup(path: Path) -> None:
    """A consistent copy of the database while Tandem runs (SQLite), or how to make one."""
    settings = load_settings()
    db = open_db(settings, migrate=False)
    if not db.is_sqlite:
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=True)
        click.echo(
            "On PostgreSQL, back up with pg_dump, which copies a running database "
            f"consistently:\n  pg_dump --format=custom --file {path} '{url}'",
            err=True,
        )
        sys.exit(1)
    size = backup_sqlite(db, path)
    click.echo(f"Backed up to {path} ({size:,} bytes).")
