"""A pair proposes an agenda item together (issue 17), through the chat: Amina proposes it
with Bill from her preview; Bill joins; the facilitator sees it comes from the pair and
accepts it for a meeting; both are told; Bill's /agenda shows it as his too, and he can
leave it (it stays Amina's). A partner without a pair never sees the offer."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.when import local_date_label
from bot.models import AgendaItem, AgendaStatus, Person, Role
from bot.sandbox import ChatUser, SandboxClient
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox
from tests.factories import make_cohort, make_meeting, make_pair

TITLE = "Discharge letters are hard to read"
WHY = "I could not understand the letter after my mum's stay."


async def _preview(user: ChatUser) -> dict[str, object]:
    await user.send("/propose")
    await user.expect("What would you like the board to talk about?")
    await user.send(TITLE)
    await user.expect("Why does it matter to you?")
    await user.send(WHY)
    return await user.expect("Only you can see it now")


def _labels(message: dict[str, object]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []  # type: ignore[attr-defined]
    return [button["text"] for row in rows for button in row]


async def test_a_pair_proposes_together_and_both_hear_the_decision(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina, bill, grace = [
        await person(telegram, db, clock, cohort, n) for n in ("Amina", "Bill", "Grace")
    ]
    ids = {n: _id(db, n) for n in ("Margaret", "Amina", "Bill")}
    make_pair(db, clock, ids["Margaret"], cohort, ids["Amina"], ids["Bill"])
    meeting = make_meeting(db, clock, cohort, starts_at=NOW + timedelta(days=10))
    await settle_outbox(bot, db)  # the pair's introductions

    preview = await _preview(grace)  # no pair: no offer
    assert not any("Propose it with" in label for label in _labels(preview))
    await grace.press("Don't share it")
    await grace.expect("I've taken it back")

    preview = await _preview(amina)
    assert "Propose it with Bill" in _labels(preview)
    await amina.press("Propose it with Bill")
    await amina.expect("I've asked Bill to propose it with you")
    item_id = _item_of(db, ids["Amina"]).id or 0
    # Someone else of the cohort cannot join in Bill's place.
    await grace.forge_press(callbacks.AGENDA_PAIR(item_id, "join"))
    await grace.expect("I can't find that item")
    await settle_outbox(bot, db)
    asked = await bill.expect("Amina would like to propose this item for the board with you")
    assert TITLE in asked["text"] and WHY in asked["text"]
    await bill.press("Join as co-proposer")
    await bill.expect("You're now proposing")
    await settle_outbox(bot, db)
    await amina.expect("Bill has joined your item")

    await margaret.expect("A partner suggested an item for the board")
    await margaret.send("/agenda")
    card = await margaret.expect("From a pair: Amina and Bill")
    assert TITLE in card["text"]
    await margaret.press("Accept", message_id=card["message_id"])
    await margaret.expect("Which meeting should")
    await margaret.press(
        f"Frailty board · {local_date_label(meeting.starts_at, 'Europe/London', now=NOW)}"
    )
    await margaret.expect("is on the agenda for Frailty board")
    await settle_outbox(bot, db)
    for user in (amina, bill):
        told = await user.expect("is on the agenda for")
        assert TITLE in told["text"]

    await bill.send("/agenda")
    mine = await bill.expect(TITLE)
    assert "(yours)" in mine["text"] and "Leave this item" in _labels(mine)
    await bill.press("Leave this item")
    await bill.expect("It stays with your pair")
    await settle_outbox(bot, db)
    await amina.expect("Bill has left your item")
    item = _item_of(db, ids["Amina"])
    assert item.status == AgendaStatus.ACCEPTED and item.co_proposer_id is None


def _id(db: Database, name: str) -> int:
    with db.reading() as session:
        found = session.exec(select(Person).where(Person.preferred_name == name)).one()
        return found.id or 0


def _item_of(db: Database, proposer: int) -> AgendaItem:
    with db.reading() as session:
        return session.exec(
            select(AgendaItem).where(
                AgendaItem.proposer_id == proposer, AgendaItem.status != AgendaStatus.WITHDRAWN
            )
        ).one()
