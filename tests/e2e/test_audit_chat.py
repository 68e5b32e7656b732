"""The audit trail is complete in chat: every command a facilitator may use and every
button they may press leaves an audit event in their name (the command, or the button's
kind and the ids it names), and never anyone's words."""

from __future__ import annotations

import itertools

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import AuditEvent, Role
from bot.sandbox import ChatUser, SandboxClient
from bot.telegram import callbacks, menus
from bot.telegram.app import BUTTONS
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, stored_person
from tests.e2e.test_button_fuzz import _fill
from tests.factories import make_cohort


async def _done(user: ChatUser, marker: str) -> None:
    """Wait until everything before `marker` has been handled."""
    await user.send(marker)
    while True:
        event = await user.next_event(types=("message",), timeout=10.0)
        if marker in str(event["message"].get("text") or ""):
            return


def _actions(db: Database, actor: int) -> list[str]:
    with db.transaction() as session:
        return list(session.exec(select(AuditEvent.action).where(AuditEvent.actor_id == actor)))


async def test_every_staff_command_and_button_is_audited(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    await bot.restart_for_a_flood()
    clock.set(NOW)
    margaret = await person(
        telegram, db, clock, make_cohort(db, clock), "Margaret", Role.FACILITATOR
    )
    actor = stored_person(db, name="Margaret").id or 0
    markers = itertools.count(1)
    commands = [f"/{name}" for name, _ in menus.commands_for(Role.FACILITATOR)]
    commands.remove("/stop")  # would leave Tandem; it is audited like any other command
    silent = []
    for command in commands:
        before = len(_actions(db, actor))
        await margaret.send(command)
        await _done(margaret, f"/zz{next(markers)}")
        if f"chat.{command}" not in _actions(db, actor)[before:]:
            silent.append(command)
    staff_buttons = [
        route.kind
        for route in BUTTONS
        if route.access.roles is None or Role.FACILITATOR in route.access.roles
    ]
    for kind in staff_buttons:
        if kind in (callbacks.STOP, callbacks.FORGET):
            continue  # leaving and erasing act on Margaret herself; audited the same way
        before = len(_actions(db, actor))
        await margaret.forge_press(_fill(kind))
        await _done(margaret, f"/zz{next(markers)}")
        if f"chat.{callbacks.name_of(kind).lower()}" not in _actions(db, actor)[before:]:
            silent.append(callbacks.name_of(kind))
    assert silent == [], f"staff actions that left no audit event: {silent}"
    with db.transaction() as session:
        details = [e.detail or "" for e in session.exec(select(AuditEvent))]
    assert not any("zz" in d for d in details), "free text from a button is never recorded"
