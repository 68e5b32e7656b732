"""`tandem demo`: the sandbox, a seeded demo programme and the real bot, in one process.

No token and no configuration: the bot talks to the in-process Bot API sandbox exactly as
`tandem run` talks to Telegram, and the sandbox serves a web chat to try it in a browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.bootstrap import Tandem, bootstrap, open_database
from bot.config import Settings
from bot.demo.clock import DEMO_ZONE, demo_clock
from bot.demo.coproduction import seed_coproduction
from bot.demo.growth_att import seed_growth_att
from bot.demo.growth_champions import seed_champions
from bot.demo.growth_claims import seed_claims
from bot.demo.history import seed_history
from bot.demo.seed import (
    DemoPerson,
    seed_cohort_tools,
    seed_database,
    seed_meeting,
    seed_people,
    welcome_back,
)
from bot.domain import weblogin
from bot.domain.clock import Clock, ShiftedClock
from bot.models import Person, PersonStatus, Role
from bot.runtime import Runner
from bot.sandbox import SandboxClient, SandboxServer
from bot.serving import PortInUse, bind_socket
from bot.telegram.app import TelegramOptions

log = logging.getLogger(__name__)

DEMO_TOKEN = "7000000000:" + "DemoTokenForTheSandboxOnly0123456789"
DEMO_USERNAME = "tandem_demo_bot"
STATE_FILE = "demo.json"
LOCK_FILE = "demo.lock"


class DemoError(Exception):
    """The demo cannot start; the message is one plain line for the person running it."""


@dataclass(frozen=True)
class DemoOptions:
    """What `tandem demo` was asked for."""

    folder: Path | None = None
    reset: bool = False
    host: str = "127.0.0.1"
    chat_port: int = 8081
    web_port: int = 8080
    # TANDEM_CONTENT_DIR: the demo shows the content there (None: the shipped content).
    content_dir: Path | None = None
    # --clock / TANDEM_DEMO_CLOCK: start the demo's clock from this moment, not the real time.
    clock: datetime | None = None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the demo folder for this process; a second demo on it is refused plainly."""
    handle: IO[str] = (folder / LOCK_FILE).open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise DemoError(
            f"Another `tandem demo` is already running with the folder {folder}. "
            "Stop it with Ctrl-C in its terminal, or start this one with a different --dir."
        ) from None
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _free_port(host: str, wanted: int, what: str, notes: list[str]) -> int:
    """`wanted` if it is free, else a free one (and a note saying so)."""
    if wanted == 0:
        return 0
    try:
        probe = bind_socket(host, wanted)
    except PortInUse:
        notes.append(f"Port {wanted} is busy, so the {what} uses another free port.")
        return 0
    probe.close()
    return wanted


def _prepare_folder(options: DemoOptions) -> tuple[Path, bool]:
    """The folder holding the demo database (and whether it is a throwaway one)."""
    if options.folder is None:
        return Path(tempfile.mkdtemp(prefix="tandem-demo-")), True
    folder = options.folder.expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder, False


def _reset(folder: Path) -> None:
    for name in ("tandem.db", "tandem.db-wal", "tandem.db-shm", STATE_FILE):
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()


async def run_demo(options: DemoOptions, *, announce: Any = print) -> None:
    """Run the demo until SIGINT or SIGTERM, then stop everything and tidy up."""
    folder, throwaway = _prepare_folder(options)
    try:
        with _locked(folder):
            if options.reset:
                _reset(folder)
            await _serve(options, folder, throwaway, announce)
    finally:
        if throwaway:
            shutil.rmtree(folder, ignore_errors=True)


async def _serve(options: DemoOptions, folder: Path, throwaway: bool, announce: Any) -> None:
    notes: list[str] = []
    chat_port = _free_port(options.host, options.chat_port, "web chat", notes)
    web_port = _free_port(options.host, options.web_port, "Tandem web app", notes)
    stop = _stop_on_signals()
    clock = demo_clock(options.clock, not_before=_stopped_at(folder))
    async with SandboxServer(
        token=DEMO_TOKEN,
        username=DEMO_USERNAME,
        host=options.host,
        port=chat_port,
        clock_offset=clock.offset.total_seconds(),
    ) as sandbox:
        settings = Settings(
            _env_file=None,
            TELEGRAM_BOT_TOKEN=DEMO_TOKEN,
            TELEGRAM_BASE_URL=sandbox.bot_api_base_url,
            DATABASE_URL=f"sqlite:///{folder / 'tandem.db'}",
            PORT=web_port,
            TANDEM_HOST=options.host,
            TANDEM_CONTENT_DIR=options.content_dir,
        )
        tandem = _build(settings, clock)
        runner = Runner(tandem)
        await runner.start()
        try:
            async with SandboxClient(sandbox.url) as client:
                people, returning = await _people(tandem, client, folder)
            login = f"{runner.web.url}/login/{_coordinator_link(tandem)}"
            notes.insert(0, _clock_line(clock))
            _announce(announce, sandbox, runner, folder, throwaway, returning, people, notes, login)
            await stop.wait()
        finally:
            await runner.stop()
            tandem.db.dispose()
            _save_stop(folder, clock)


def _build(settings: Settings, clock: Clock) -> Tandem:
    db = open_database(settings)
    # The demo's people join by tapping through their chats far faster than a person can,
    # against a sandbox that enforces none of Telegram's limits: holding replies to one a
    # second per chat made the seed take about 40 s instead of 5 (issue 16). Bulk sends
    # (the outbox: notices, broadcasts) keep Telegram's pace, as in `tandem run`.
    options = TelegramOptions(
        token=DEMO_TOKEN, base_url=settings.telegram_base_url, per_chat_rate=None
    )
    return bootstrap(settings, clock=clock, telegram=options, db=db)


def _clock_line(clock: ShiftedClock) -> str:
    """What the demo's clock reads, said once at the start."""
    now = clock.now().astimezone(ZoneInfo(DEMO_ZONE))
    return f"The demo's clock says {now:%A %-d %B, %H:%M} UK time, and runs from there."


async def _people(
    tandem: Tandem, client: SandboxClient, folder: Path
) -> tuple[list[DemoPerson], bool]:
    """Seed a new demo (through the real chat flows) or bring back a saved one."""
    state_path = folder / STATE_FILE
    if state_path.exists():
        saved = json.loads(state_path.read_text())
        people = [DemoPerson(**entry) for entry in saved["people"]]
        await welcome_back(client, people, saved["invite_code"], DEMO_USERNAME)
        return people, True
    clock, timetable = tandem.services.clock, tandem.services.library.timetable
    codes = seed_database(tandem.db, clock)
    people = await seed_people(client, codes, DEMO_USERNAME)
    seed_meeting(tandem.db, timetable, clock)
    seed_cohort_tools(tandem.db, timetable, clock)
    seed_history(tandem.db, timetable, clock)
    seed_coproduction(
        tandem.db,
        clock,
        rules=tandem.services.safeguarding,
        votes_each=tandem.settings.tandem_measure_votes,
        library=tandem.services.library,
    )
    seed_growth_att(tandem.db, clock)  # issue 18: attendance, and Amina's record
    seed_champions(tandem.db, clock)  # issue 18: a champion mentoring a newer partner
    seed_claims(tandem.db, clock)  # issue 18: payment rules and claims in every state
    state_path.write_text(
        json.dumps(
            {"people": [p.__dict__ for p in people], "invite_code": codes.newcomer}, indent=2
        )
    )
    return people, False


def _stopped_at(folder: Path) -> datetime | None:
    """When a kept demo's clock stopped last time (its clock never runs backwards)."""
    state_path = folder / STATE_FILE
    if not state_path.exists():
        return None
    stopped = json.loads(state_path.read_text()).get("clock_stopped_at")
    return datetime.fromisoformat(stopped) if stopped else None


def _save_stop(folder: Path, clock: Clock) -> None:
    state_path = folder / STATE_FILE
    if state_path.exists():
        saved = json.loads(state_path.read_text())
        saved["clock_stopped_at"] = clock.now().isoformat()
        state_path.write_text(json.dumps(saved, indent=2))


def _coordinator_link(tandem: Tandem) -> str:
    """A single-use dashboard sign-in token for the demo's coordinator."""
    with tandem.db.transaction() as session:
        tom = session.exec(
            select(Person).where(
                Person.role == Role.COORDINATOR, Person.status == PersonStatus.ACTIVE
            )
        ).first()
        assert tom is not None and tom.id is not None
        return weblogin.issue_link(session, person_id=tom.id, clock=tandem.services.clock)


def _announce(
    announce: Any,
    sandbox: SandboxServer,
    runner: Runner,
    folder: Path,
    throwaway: bool,
    returning: bool,
    people: list[DemoPerson],
    notes: list[str],
    login: str,
) -> None:
    keep = "deleted when you stop" if throwaway else "kept; add --reset to start over"
    lines = [
        "",
        "Tandem demo is running.",
        f"  Web chat:  {sandbox.url}/chat",
        f"  Dashboard: {login}",
        f"  Tandem:    {runner.web.url}/healthz",
        f"  Data:      {folder} ({keep})",
        "",
        "Open the web chat, pick a person on the left (or '+ A new person') and tap away.",
        "Open the dashboard link to review as Tom, the coordinator (it works once, for 15",
        "minutes; for another, send /dashboard as Tom or Margaret in the web chat).",
        f"People: {', '.join(p.name + ' (' + p.role + ')' for p in people)}.",
    ]
    if returning:
        lines.append("Welcome back: what Tandem stored is kept; earlier chat messages are not.")
    lines += [*notes, "Press Ctrl-C to stop.", ""]
    for line in lines:
        announce(line)


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


def default_folder_hint() -> str:
    """Where a kept demo usually lives (for --help)."""
    return os.path.join("~", ".tandem-demo")
