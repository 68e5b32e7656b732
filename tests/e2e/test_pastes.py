"""A long paste that Telegram splits into several messages is one answer, kept whole."""

from __future__ import annotations

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Answer, Note
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import partner_joins

SENTENCE = "My mother waited four hours for her discharge letter. "


def _parts() -> list[str]:
    """About 9,000 characters cut as a Telegram client cuts a paste: at spaces, each part
    at most 4,096 characters, the space at the cut dropped."""
    words = (SENTENCE * 170).split(" ")[:1520]
    whole = " ".join(words).strip()
    parts, rest = [], whole
    while rest:
        cut = rest.rfind(" ", 0, 4000) if len(rest) > 4000 else len(rest)
        parts.append(rest[:cut])
        rest = rest[cut:].lstrip()
    return parts


async def test_a_long_answer_sent_as_three_messages_is_stored_whole(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    parts = _parts()
    assert len(parts) == 3 and sum(map(len, parts)) > 9000
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("Write in my journal")
    await amina.expect("What's on your mind?")
    for part in parts:
        await amina.send(part)
    await amina.expect("who can see this reflection?")
    await amina.press("Just me")
    await amina.expect("Who can see it: only you")
    with db.transaction() as session:
        stored = session.exec(select(Answer)).one()
        notes = session.exec(select(Note)).all()
    assert stored.text is not None
    # Every word, in order (a cut is joined with a space, or a line break after a sentence).
    assert stored.text.split() == " ".join(parts).split()
    assert stored.text.startswith(parts[0]) and stored.text.endswith(parts[2])
    assert notes == []  # no part was left over as a stray message


async def test_short_messages_in_a_row_are_not_joined(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/reflect")
    await amina.expect("What would you like to reflect on?")
    await amina.press("Write in my journal")
    await amina.expect("What's on your mind?")
    await amina.send("The meeting ran late.")
    await amina.send("/help")
    await amina.expect("who can see this reflection?")
    await amina.expect("How I can help")
    with db.transaction() as session:
        assert session.exec(select(Answer)).one().text == "The meeting ran late."
