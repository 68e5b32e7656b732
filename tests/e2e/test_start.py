"""/start: strangers, every kind of unusable invite, and people who already joined."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import func, select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Membership, Person
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import onboard_partner, partner_joins
from tests.factories import make_cohort, make_invite


def _rows(db: Database) -> tuple[int, int]:
    with db.transaction() as session:
        people = session.exec(select(func.count()).select_from(Person)).one()
        memberships = session.exec(select(func.count()).select_from(Membership)).one()
    return int(people), int(memberships)


async def test_bare_start_from_a_stranger_explains_how_to_join(
    bot: BotHarness, telegram: SandboxClient, db: Database
) -> None:
    stranger = await telegram.create_user("Sam")
    await stranger.send("/start")
    reply = await stranger.expect("you need an invite link")
    assert "programme team" in reply["text"]
    assert _rows(db) == (0, 0)


@pytest.mark.parametrize(
    ("case", "answer"),
    [
        ("unknown", "I don't recognise that invite link"),
        ("malformed", "I don't recognise that invite link"),
        ("expired", "that invite link has expired"),
        ("used_up", "that invite link has already been used"),
    ],
)
async def test_unusable_invites_get_a_kind_answer_and_store_nothing(
    bot: BotHarness,
    telegram: SandboxClient,
    db: Database,
    clock: FakeClock,
    case: str,
    answer: str,
) -> None:
    cohort = make_cohort(db, clock)
    code = make_invite(db, clock, cohort, expires_in=timedelta(hours=1))
    if case == "used_up":
        first = await telegram.create_user("First")
        await first.send(f"/start {code}")
        await first.expect("welcome to Tandem")
    if case == "expired":
        clock.advance(timedelta(hours=2))
    before = _rows(db)
    sam = await telegram.create_user("Sam")
    attempt = {"unknown": "A" * 32, "malformed": "<script>&amp;"}.get(case, code)
    await sam.send(f"/start {attempt}")
    reply = await sam.expect(answer)
    assert "ask the person who sent it" in reply["text"] or "tap the link again" in reply["text"]
    assert _rows(db) == before


async def test_a_member_tapping_their_link_again_is_reassured(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    code = make_invite(db, clock, cohort, uses=5)
    amina = await telegram.create_user("Amina")
    await onboard_partner(amina, code)
    await amina.send(f"/start {code}")
    reply = await amina.expect("already part of")
    assert "Frailty pathway" in reply["text"]
    await amina.send("/start")
    await amina.expect("Welcome back, Amina")


async def test_joining_a_second_cohort_needs_no_second_onboarding(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    other = make_cohort(db, clock, "Diabetes prevention")
    await amina.send(f"/start {make_invite(db, clock, other)}")
    reply = await amina.expect("You've joined")
    assert "Diabetes prevention" in reply["text"]
    assert _rows(db) == (1, 2)
