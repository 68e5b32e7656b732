"""The `tandem` command: run the bot, try the demo, manage the database, cohorts, invites and
meetings, and check content."""

from __future__ import annotations

import asyncio
import gc
import sys
from datetime import datetime
from pathlib import Path

# httpx (which PTB imports, though Tandem talks to Telegram over aiohttp) tries to import
# its command-line client, and with it rich and pygments where they are installed: a third
# of a second at every start, for a client Tandem never uses. A None entry makes that import
# fail at once, and httpx falls back as it does when they are not installed (issue 16).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import click

from bot.cli.meetings import meeting, timetable
from bot.cli.operations import db_backup, doctor
from bot.cli.payments import cohort_payments  # noqa: F401  (registers `tandem cohort payments`)
from bot.cli.people import cohort, invite
from bot.cli.support import configure_logging, fail, load, open_db, operator_errors


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tandem")
def main() -> None:
    """Tandem: support for NHS co-design lay partners between meetings, on Telegram."""


@main.command()
@operator_errors
def run() -> None:
    """Run the bot, the scheduler and the web app (applies migrations first)."""
    # What is built from here to the first update lives as long as the process: no garbage
    # collections meanwhile (they took an eighth of the start); Runner.start freezes it all
    # and turns the collector back on (issue 16).
    gc.disable()
    try:
        from bot.bootstrap import bootstrap
        from bot.runtime import run_until_signalled

        settings = load()
        configure_logging(settings.tandem_log_format)
        settings.bot_token()  # fail fast, before touching the database
        tandem = bootstrap(settings)
        asyncio.run(run_until_signalled(tandem))
    finally:
        gc.enable()  # when it stops, or could not start


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
@click.option(
    "--clock",
    "start",
    metavar="WHEN",
    envvar="TANDEM_DEMO_CLOCK",
    default=None,
    callback=lambda _ctx, _param, value: _demo_clock(value),
    help="Start the demo's clock from WHEN, UK time (e.g. 2026-12-08T03:00), instead of "
    "now; also TANDEM_DEMO_CLOCK. A start between 20:00 and 08:30 moves to 13:55 that "
    "day, so quiet hours never hide the demo's story.",
)
@operator_errors
def demo(
    folder: Path | None, reset: bool, chat_port: int, web_port: int, start: datetime | None
) -> None:
    """Try Tandem in a browser: no token, no set-up. Ctrl-C stops it.

    The demo runs on its own clock, at the real pace from a daytime hour: the real time
    if it is daytime in the UK, else 13:55. The board meets tomorrow at 14:00, and the
    web chat shows times in UK time."""
    from bot.config import load_content_settings
    from bot.demo import DemoError, DemoOptions, run_demo

    configure_logging()
    content = load_content_settings()  # only TANDEM_CONTENT_DIR: the demo needs no other setting
    options = DemoOptions(
        folder=folder,
        reset=reset,
        chat_port=chat_port,
        web_port=web_port,
        content_dir=content.tandem_content_dir,
        clock=start,
    )
    try:
        asyncio.run(run_demo(options, announce=lambda line: click.echo(line)))
    except DemoError as exc:
        fail(str(exc), 1)


def _demo_clock(value: str | None) -> datetime | None:
    """--clock: a date and time (UK time unless it says otherwise)."""
    from bot.demo.clock import parse_clock

    if value is None:
        return None
    try:
        return parse_clock(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@operator_errors
def worker() -> None:
    """Only send what the outbox says is due: an extra dispatcher (PostgreSQL set-ups)."""
    from bot.bootstrap import bootstrap
    from bot.runtime import run_worker

    settings = load()
    configure_logging(settings.tandem_log_format)
    settings.bot_token()
    tandem = bootstrap(settings)
    if tandem.db.is_sqlite:
        fail(
            "tandem worker needs PostgreSQL (DATABASE_URL); on SQLite, tandem run "
            "already dispatches.",
            2,
        )
    asyncio.run(run_worker(tandem))


@main.command()
@click.option(
    "--worker",
    "workers",
    multiple=True,
    required=True,
    metavar="URL",
    help="A worker's update address (its TELEGRAM_WEBHOOK_URL); give one per worker.",
)
@operator_errors
def route(workers: tuple[str, ...]) -> None:
    """Poll Telegram and hand each chat's updates to one of several workers (PostgreSQL)."""
    from aiohttp import ClientError

    from bot.telegram.router import RouterError, run_router

    settings = load()
    configure_logging(settings.tandem_log_format)
    token, secret = settings.bot_token(), settings.router_secret()
    try:
        asyncio.run(
            run_router(
                token=token, base_url=settings.telegram_base_url, workers=workers, secret=secret
            )
        )
    except RouterError as exc:
        fail(str(exc), 2)
    except ClientError as exc:
        fail(f"Cannot reach Telegram at {settings.telegram_base_url} ({exc}).", 1)


@main.group()
def db() -> None:
    """Database tasks."""


@db.command("upgrade")
@operator_errors
def db_upgrade() -> None:
    """Apply pending database migrations."""
    settings = load()
    open_db(settings)
    click.echo("Database is up to date.")


@main.group()
def content() -> None:
    """Content and message templates."""


@content.command("check")
@click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The content folder (default: content/ in TANDEM_CONTENT_DIR, else the shipped one).",
)
@click.option(
    "--prompts",
    "prompts_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The prompts folder (default: prompts/ in TANDEM_CONTENT_DIR, else the shipped one).",
)
@operator_errors
def content_check(content_dir: Path | None, prompts_dir: Path | None) -> None:
    """Validate content/ and prompts/; print every problem with its file and line."""
    from bot.library.paths import chosen
    from bot.library.validate import check_all

    dirs = chosen(content_dir, prompts_dir)  # a bad TANDEM_CONTENT_DIR is one line, exit 2
    click.echo(f"Checking {dirs.content} and {dirs.prompts}")
    report = check_all(dirs.content, dirs.prompts)
    for grade in report.grades:
        click.echo(f"reading grade {grade.grade:5.1f}  {grade.path.name}")
    if report.median_grade is not None:
        click.echo(f"median reading grade of briefings: {report.median_grade:.1f} (house limit 9)")
    for code, files in report.unreviewed.items():
        if files:
            click.echo(
                f"translation {code}: {len(files)} file(s) not yet reviewed by a native speaker"
                f" (record reviewers in prompts/translations/{code}/language.yaml)"
            )
    for problem in report.problems:
        click.echo(str(problem))
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo("Content and prompts are valid.")


@content.command("grades")
@click.option("--content", "content_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--prompts", "prompts_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--all", "show_all", is_flag=True, help="List every text over the limit.")
@operator_errors
def content_grades(content_dir: Path | None, prompts_dir: Path | None, show_all: bool) -> None:
    """Reading grades of partner-facing texts: figures, and the ten hardest with file:line."""
    from bot.library.check import GRADE_LIMIT, GradeSummary, text_grades, worst
    from bot.library.paths import chosen

    dirs = chosen(content_dir, prompts_dir)
    grades = text_grades(dirs.content, dirs.prompts)
    click.echo(f"Reading grades (Flesch-Kincaid) of partner-facing texts, limit {GRADE_LIMIT:.0f}")
    click.echo(f"all: {GradeSummary.of(grades) or 'nothing graded'}")
    for area in ("messages", "sets", "timetable", "glossary", "briefings", "safeguarding"):
        summary = GradeSummary.of([g for g in grades if g.text.area == area])
        if summary:
            click.echo(f"  {area}: {summary}")
    shown = [g for g in grades if g.grade > GRADE_LIMIT] if show_all else grades
    click.echo("Every text over the limit:" if show_all else "The ten hardest:")
    for graded in worst(shown, len(shown) if show_all else 10):
        text = graded.text
        note = f"  (exception: {text.reason})" if text.reason else ""
        where = (
            text.path.relative_to(Path.cwd()) if text.path.is_relative_to(Path.cwd()) else text.path
        )
        click.echo(f"{graded.grade:5.1f}  {where}:{text.line} {text.key}{note}")


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


main.add_command(doctor)
db.add_command(db_backup)
main.add_command(cohort)
main.add_command(invite)
main.add_command(meeting)
main.add_command(timetable)

if __name__ == "__main__":
    main()
