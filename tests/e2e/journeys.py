"""Journeys people take, and the set-ups end-to-end tests share: people who joined through
the chat (or were made directly, having pressed Start), the outbox settled, and what the
database holds."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Cohort, Delivery, DeliveryStatus, Person, Role
from bot.sandbox import ChatUser, SandboxClient
from tests.factories import make_cohort, make_invite, make_person

if TYPE_CHECKING:
    from tests.e2e.conftest import BotHarness

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # Monday 2 March, 10:00 in London (GMT)


async def expect_all(user: ChatUser, *fragments: str, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Wait until the bot has sent messages containing every fragment, in any order (notices
    sent at the same moment through the outbox may arrive either way round)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        said = [m.get("text") or "" for m in await user.bot_messages()]
        missing = [f for f in fragments if not any(f.lower() in text.lower() for text in said)]
        if not missing:
            return
        if loop.time() > deadline:
            raise AssertionError(f"no message containing {missing}:\n{await user.transcript()}")
        await asyncio.sleep(0.05)


async def onboard_partner(user: ChatUser, code: str, *, name: str | None = None) -> None:
    """A partner joins with an invite and completes onboarding by tapping (typing a name if
    given)."""
    await user.send(f"/start {code}")
    await user.expect("welcome to Tandem")
    await user.press("Tell me more")
    await user.expect("Your role")
    await user.press("Next")
    await user.expect("How we work together")
    await user.press("Next")
    await user.expect("Payment, expenses and support")
    await user.press("Next")
    await user.expect("What we ask")
    await user.press("I agree")
    await user.expect("Your reflections")
    await user.press("Yes, keep my answers")
    await user.expect("What would you like me to call you?")
    if name is None:
        await user.press(f"Call me {user.first_name}")
    else:
        await user.send(name)
    await user.expect("Which time zone")
    await user.press("UK time")
    await user.expect("When should I stay quiet?")
    await user.press("9pm to 8am (suggested)")
    await user.expect("You're all set")


async def onboard_staff(user: ChatUser, code: str) -> None:
    """A facilitator or coordinator joins and completes the shorter onboarding."""
    await user.send(f"/start {code}")
    await user.expect("You're joining as")
    await user.press("I understand")
    await user.expect("What would you like me to call you?")
    await user.press(f"Call me {user.first_name}")
    await user.expect("Which time zone")
    await user.press("UK time")
    await user.expect("When should I stay quiet?")
    await user.press("No quiet hours")
    await user.expect("You're set up as")


AGREEMENT_STEPS = (
    ("Tell me more", "Your role"),
    ("Next", "How we work together"),
    ("Next", "Payment, expenses and support"),
    ("Next", "What we ask"),
    ("I agree", "Your reflections"),
    ("Yes, keep my answers", "What would you like me to call you?"),
)


async def tap_through(user: ChatUser, steps: tuple[tuple[str, str], ...]) -> None:
    """Tap each label and wait for the screen that should follow it."""
    for label, expected in steps:
        await user.press(label)
        await user.expect(expected)


async def start_and_agree(user: ChatUser, code: str) -> None:
    """Join and agree to everything, stopping at the name question."""
    await user.send(f"/start {code}")
    await user.expect("welcome to Tandem")
    await tap_through(user, AGREEMENT_STEPS)


async def partner_joins(
    telegram: SandboxClient,
    db: Database,
    clock: FakeClock,
    cohort: Cohort | None = None,
    name: str = "Amina",
    *,
    typed_name: str | None = None,
) -> ChatUser:
    """A new Telegram user opens a partner invite (to a new cohort unless one is given) and
    completes onboarding in the chat."""
    user = await telegram.create_user(name)
    await onboard_partner(
        user, make_invite(db, clock, cohort or make_cohort(db, clock)), name=typed_name
    )
    return user


async def staff_joins(
    telegram: SandboxClient,
    db: Database,
    clock: FakeClock,
    cohort: Cohort | None,
    name: str = "Margaret",
    role: Role = Role.FACILITATOR,
) -> ChatUser:
    """A new Telegram user opens a facilitator (or coordinator) invite and onboards."""
    user = await telegram.create_user(name)
    await onboard_staff(user, make_invite(db, clock, cohort, role))
    return user


async def facilitator_then_partner(
    telegram: SandboxClient, db: Database, clock: FakeClock, cohort: Cohort
) -> tuple[ChatUser, ChatUser]:
    """Margaret joins the cohort as its facilitator, then Amina as a partner, both through
    the chat (so Margaret is told that Amina has joined)."""
    margaret = await staff_joins(telegram, db, clock, cohort)
    return margaret, await partner_joins(telegram, db, clock, cohort)


async def person(
    telegram: SandboxClient,
    db: Database,
    clock: FakeClock,
    cohort: Cohort | None,
    name: str,
    role: Role = Role.PARTNER,
    **options: object,
) -> ChatUser:
    """Someone who pressed Start and has joined (made directly, not through the chat); they
    keep no quiet hours unless told."""
    user = await telegram.create_user(name, started=True)
    chosen: dict[str, object] = {"quiet": None} | options
    make_person(db, clock, cohort, role=role, name=name, telegram_user_id=user.id, **chosen)  # type: ignore[arg-type]
    return user


async def texts_of(user: ChatUser, fragment: str) -> list[str]:
    """Texts of the bot's (undeleted) messages in a chat that contain `fragment`."""
    return [m["text"] for m in await user.bot_messages() if fragment in m["text"]]


async def settle_outbox(bot: BotHarness, db: Database) -> None:
    """Send everything due, until nothing is waiting or in flight."""
    for _ in range(50):
        await bot.tick()
        with db.transaction() as session:
            busy = session.exec(
                select(Delivery).where(
                    Delivery.status.in_([DeliveryStatus.SENDING]),  # type: ignore[attr-defined]
                )
            ).first()
        if busy is None:
            return
        await asyncio.sleep(0.05)


def stored_person(
    db: Database, *, name: str | None = None, telegram_user_id: int | None = None
) -> Person:
    """The one person with this preferred name or Telegram id, as the database holds them."""
    query = select(Person)
    if name is not None:
        query = query.where(Person.preferred_name == name)
    if telegram_user_id is not None:
        query = query.where(Person.telegram_user_id == telegram_user_id)
    with db.transaction() as session:
        return session.exec(query).one()


def stored_anywhere(db: Database, database_url: str, needle: str) -> bool:
    """Whether a value appears anywhere: in the SQLite files' raw bytes, or in any row of
    any PostgreSQL table."""
    if db.is_sqlite:
        path = Path(database_url.removeprefix("sqlite:///"))
        files = [path, path.with_name(path.name + "-wal")]
        return any(f.exists() and needle.encode() in f.read_bytes() for f in files)
    with db.engine.connect() as connection:
        for table in inspect(db.engine).get_table_names():
            rows = connection.execute(text(f'SELECT CAST(t.* AS text) FROM "{table}" AS t'))
            if any(needle in row[0] for row in rows):
                return True
    return False
