"""The `tandem` command: run the bot, manage the database, cohorts and invites, check content."""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import sys
from collections.abc import Callable
from pathlib import Path
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
        from bot.runtime import StartupError
        from bot.texts import Texts

        try:
            return function(*args, **kwargs)
        except ConfigError as exc:
            _fail(str(exc), 2)
        except StartupError as exc:
            _fail(str(exc), exc.exit_code)
        except (DatabaseUnavailable, PortInUse, ContentError) as exc:
            _fail(str(exc), 1)
        except TandemError as exc:
            texts = Texts.load()
            key = f"errors.{exc.key}"
            text = texts.render(key, **exc.params) if texts.has(key) else str(exc)
            _fail(html.unescape(text), 1)

    return wrapper  # type: ignore[return-value]


def _fail(message: str, code: int) -> None:
    click.echo(f"tandem: {message}", err=True)
    sys.exit(code)


def _settings() -> Settings:
    return load_settings()


def _database(settings: Settings, *, migrate: bool = True) -> Database:
    from bot.bootstrap import open_database

    return open_database(settings, migrate=migrate)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tandem")
def main() -> None:
    """Tandem: support for NHS co-design lay partners between meetings, on Telegram."""


@main.command()
@operator_errors
def run() -> None:
    """Run the bot, the scheduler and the web app (applies migrations first)."""
    from bot.bootstrap import bootstrap
    from bot.runtime import run_until_signalled

    _configure_logging()
    settings = _settings()
    settings.bot_token()  # fail fast, before touching the database
    tandem = bootstrap(settings)
    asyncio.run(run_until_signalled(tandem))


def _configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("httpx", "apscheduler", "alembic", "telegram.ext.Application"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@main.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the demo's data in this folder (default: a temporary "
    "folder, deleted when you stop).",
)
@click.option("--reset", is_flag=True, help="Start the kept demo over from scratch.")
@click.option(
    "--port",
    "chat_port",
    type=int,
    default=8081,
    show_default=True,
    help="Port for the web chat (a free one is used if it is busy).",
)
@click.option(
    "--web-port",
    type=int,
    default=8080,
    show_default=True,
    help="Port for Tandem's own web app (a free one is used if it is busy).",
)
@operator_errors
def demo(folder: Path | None, reset: bool, chat_port: int, web_port: int) -> None:
    """Try Tandem in a browser: no token, no set-up. Ctrl-C stops it."""
    from bot.demo import DemoError, DemoOptions, run_demo

    _configure_logging()
    options = DemoOptions(folder=folder, reset=reset, chat_port=chat_port, web_port=web_port)
    try:
        asyncio.run(run_demo(options, announce=lambda line: click.echo(line)))
    except DemoError as exc:
        _fail(str(exc), 1)


@main.group()
def db() -> None:
    """Database tasks."""


@db.command("upgrade")
@operator_errors
def db_upgrade() -> None:
    """Apply pending database migrations."""
    settings = _settings()
    _database(settings)
    click.echo("Database is up to date.")


@main.group()
def cohort() -> None:
    """Create and list cohorts."""


@cohort.command("create")
@click.argument("name")
@click.option("--programme", help="The programme it belongs to, as partners know it.")
@click.option("--timezone", "time_zone", default=None, help="Default: TANDEM_TIMEZONE.")
@click.option(
    "--hours",
    type=int,
    default=8,
    show_default=True,
    help="Roughly how many hours a month the role takes, reading included.",
)
@click.option("--meetings", help='When meetings are, e.g. "monthly, Thursday afternoons".')
@click.option("--contact", help="Who partners contact with questions (name and how).")
@operator_errors
def cohort_create(
    name: str,
    programme: str | None,
    time_zone: str | None,
    hours: int,
    meetings: str | None,
    contact: str | None,
) -> None:
    """Create the cohort NAME."""
    from bot.domain.clock import SystemClock
    from bot.domain.cohorts import create_cohort

    settings = _settings()
    database = _database(settings)
    with database.transaction() as session:
        made = create_cohort(
            session,
            name=name,
            clock=SystemClock(),
            time_zone=time_zone or settings.tandem_timezone,
            programme=programme,
            hours_per_month=hours,
            meetings_note=meetings,
            contact=contact,
        )
        click.echo(f"Created cohort {made.name!r} ({made.time_zone}).")


@cohort.command("list")
@operator_errors
def cohort_list() -> None:
    """List cohorts with their number of active partners."""
    from bot.domain.cohorts import list_cohorts

    database = _database(_settings())
    with database.transaction() as session:
        rows = list_cohorts(session)
    if not rows:
        click.echo("No cohorts yet. Create one with: tandem cohort create NAME")
    for made, partners in rows:
        click.echo(f"{made.name}\t{partners} partners\t{made.time_zone}")


@main.group()
def invite() -> None:
    """Create, list and revoke invite links."""


@invite.command("create")
@click.option("--role", type=click.Choice(["partner", "facilitator", "coordinator"]), required=True)
@click.option("--cohort", "cohort_name", help="Required except for coordinators.")
@click.option("--uses", type=int, default=1, show_default=True, help="How many people may join.")
@click.option(
    "--expires", default="14d", show_default=True, help="How long it works: e.g. 30m, 48h, 14d, 2w."
)
@operator_errors
def invite_create(role: str, cohort_name: str | None, uses: int, expires: str) -> None:
    """Print a new invite code and its t.me deep link."""
    from bot.domain.clock import SystemClock
    from bot.domain.cohorts import get_cohort
    from bot.domain.invites import create_invite, deep_link, parse_duration
    from bot.models import Role

    settings = _settings()
    database = _database(settings)
    expires_in = parse_duration(expires)
    username = _bot_username(settings, database)
    with database.transaction() as session:
        target = get_cohort(session, name=cohort_name) if cohort_name else None
        made = create_invite(
            session,
            role=Role(role),
            cohort=target,
            clock=SystemClock(),
            uses=uses,
            expires_in=expires_in,
        )
    click.echo(f"code: {made.code}")
    click.echo(f"link: {deep_link(username or '<bot username>', made.code)}")
    where = f" in {target.name}" if target else ""
    click.echo(
        f"for: {role}{where}; {uses} use(s); expires {made.invite.expires_at:%Y-%m-%d %H:%M} UTC"
    )
    if not username:
        click.echo(
            "note: the bot's username is not known yet; run `tandem run` once, or set "
            "TELEGRAM_BOT_TOKEN, and replace <bot username> in the link.",
            err=True,
        )


def _bot_username(settings: Settings, database: Database) -> str | None:
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


@invite.command("list")
@operator_errors
def invite_list() -> None:
    """List invites that can still be used (codes are not stored, so not shown)."""
    from bot.domain.clock import SystemClock
    from bot.domain.invites import list_invites

    database = _database(_settings())
    with database.transaction() as session:
        rows = list_invites(session, now=SystemClock().now())
    if not rows:
        click.echo("No usable invites.")
    for made, target in rows:
        where = target.name if target else "(no cohort)"
        click.echo(
            f"#{made.id}\t{made.role.value}\t{where}\t{made.uses}/{made.max_uses} used\t"
            f"expires {made.expires_at:%Y-%m-%d %H:%M} UTC"
        )


@invite.command("revoke")
@click.argument("code")
@operator_errors
def invite_revoke(code: str) -> None:
    """Stop the invite CODE from working."""
    from bot.domain.clock import SystemClock
    from bot.domain.invites import revoke_invite

    database = _database(_settings())
    with database.transaction() as session:
        revoke_invite(session, code=code, clock=SystemClock())
    click.echo("Revoked.")


@main.group()
def content() -> None:
    """Content and message templates."""


@content.command("check")
@click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The content folder (default: ./content of this checkout).",
)
@click.option(
    "--prompts",
    "prompts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The prompts folder (default: ./prompts of this checkout).",
)
def content_check(content_dir: Path | None, prompts_dir: Path | None) -> None:
    """Validate content/ and prompts/; print every problem with its file and line."""
    from bot.content_check import check_all
    from bot.texts import CONTENT_DIR, PROMPTS_DIR

    report = check_all(content_dir or CONTENT_DIR, prompts_dir or PROMPTS_DIR)
    for grade in report.grades:
        click.echo(f"reading grade {grade.grade:5.1f}  {grade.path.name}")
    if report.median_grade is not None:
        click.echo(f"median reading grade of briefings: {report.median_grade:.1f} (house limit 9)")
    for problem in report.problems:
        click.echo(str(problem))
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("Content and prompts are valid.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8081, show_default=True)
@click.option("--token", default=None, help="The token the sandbox accepts (default: a test one).")
@click.option("--username", default="tandem_sandbox_bot", show_default=True)
@click.option("--enforce-limits", is_flag=True, help="Refuse sends over Telegram's rate limits.")
@operator_errors
def sandbox(host: str, port: int, token: str | None, username: str, enforce_limits: bool) -> None:
    """Run the Bot API sandbox alone (point TELEGRAM_BASE_URL at it)."""
    from bot.sandbox.__main__ import serve_forever

    asyncio.run(
        serve_forever(
            host=host, port=port, token=token, username=username, enforce_limits=enforce_limits
        )
    )


if __name__ == "__main__":
    main()
