"""Malformed or tampered button data, for every kind of button Tandem sends: each press is
answered exactly once, kindly, and nothing logs a traceback. (Data that does not parse gets
the out-of-date button answer; data that parses but names nothing gets a refusal.)"""

from __future__ import annotations

import logging

import pytest

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Role
from bot.sandbox import ChatUser, SandboxClient
from bot.telegram import callbacks
from bot.telegram.callbacks import Kind
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person
from tests.factories import make_cohort

NOT_NUMBERS = ("", "-1", "2147483648", "9223372036854775808", "1e3", "zz")


def _fill(kind: Kind, replace: int | None = None, bad: str = "") -> str:
    """The kind's data with every field valid but naming nothing that exists, or with the
    field at `replace` swapped for `bad`."""
    parts = []
    for index, field in enumerate(kind.fields):
        if index == replace:
            parts.append(bad)
        elif field is int:
            parts.append(str(2**31 - 1))
        elif isinstance(field, tuple):
            parts.append(field[0])
        else:
            parts.append("zz")
    return ":".join([kind.prefix, *parts])


def variants(kind: Kind) -> list[str]:
    """Tampered data for one kind: cut short, a field that does not fit, names nothing."""
    if not kind.fields:
        return [kind.prefix + ":", kind.prefix + "x", kind.prefix + ":1"]
    found = [kind.prefix, kind.prefix + ":", _fill(kind)]
    if len(kind.fields) > 1:
        found.append(":".join([kind.prefix, *_fill(kind).split(":")[1:-1]]))  # one short
    for index, field in enumerate(kind.fields):
        if field is int:
            found += [_fill(kind, index, bad) for bad in NOT_NUMBERS]
        elif isinstance(field, tuple):
            found.append(_fill(kind, index, "nope"))
    return found


async def _press_all(user: ChatUser, data: list[str], batch: int = 8) -> int:
    """Press everything (a few at a time, as a person could, so none is dropped as a
    flood), waiting each time until the bot has answered a marker sent after them."""
    answered = 0
    for start in range(0, len(data), batch):
        for item in data[start : start + batch]:
            await user.forge_press(item)
        marker = f"/zz{start}"
        await user.send(marker)
        while True:
            event = await user.next_event(types=("message", "callback_answer"), timeout=30.0)
            if event["type"] == "callback_answer":
                answered += 1
            elif marker in str(event["message"].get("text") or ""):
                break
    return answered


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.PARTNER])
async def test_every_kind_of_tampered_button_is_answered_once_without_a_traceback(
    role: Role,
    bot: BotHarness,
    telegram: SandboxClient,
    db: Database,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await bot.restart_for_a_flood()
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    user = await person(
        telegram, db, clock, cohort, "Margaret" if role != Role.PARTNER else "Amina", role
    )
    await user.send("/help")  # a message of the bot's for the presses to come from
    await user.expect("/settings")
    data = [item for kind in callbacks.every_kind().values() for item in variants(kind)]
    with caplog.at_level(logging.WARNING):
        answered = await _press_all(user, data)
    assert answered == len(data), "every press answered exactly once"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert errors == [], "\n".join(f"{r.name}: {r.getMessage()}" for r in errors[:5])
