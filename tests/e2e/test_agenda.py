"""Agenda items from partners (issue 17), through the chat: a partner proposes, two others
support, the facilitator accepts it for a meeting, the briefing and the calendar entry show
it, and what happened reaches everyone who asked; "not this time" needs a reason; taking an
item back hides it; another cohort can neither see nor support it; /forget erases it."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.when import local_date_label
from bot.models import AgendaItem, AgendaStatus, AgendaSupport, ContributionOutcome, Role
from bot.sandbox import ChatUser, SandboxClient
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox
from tests.factories import make_cohort, make_meeting

TITLE = "Discharge letters are hard to read"
ZONE = "Europe/London"
WHY = "I could not understand the letter after my mum's stay."


def _item(db: Database) -> AgendaItem:
    with db.reading() as session:
        return session.exec(select(AgendaItem)).one()


async def _propose(user: ChatUser, title: str = TITLE, why: str = WHY) -> None:
    await user.send("/propose")
    await user.expect("What would you like the board to talk about?")
    await user.send(title)
    await user.expect("Why does it matter to you?")
    await user.send(why)
    await user.expect("Only you can see it now")


async def _support(user: ChatUser) -> None:
    await user.send("/agenda")
    await user.expect(TITLE)
    await user.press("I support this")
    await user.expect("Your support is counted")


async def test_a_proposal_goes_from_partner_to_meeting_and_back_as_an_outcome(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort, other = make_cohort(db, clock), make_cohort(db, clock, name="Maternity voices")
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina, bill, grace = [
        await person(telegram, db, clock, cohort, n) for n in ("Amina", "Bill", "Grace")
    ]
    chloe = await person(telegram, db, clock, other, "Chloe")
    meeting = make_meeting(db, clock, cohort, starts_at=NOW + timedelta(days=10))

    await _propose(amina)
    await bill.send("/agenda")  # a draft is the proposer's alone
    await bill.expect("There are no items yet")
    await amina.press("Share it with my group")
    await amina.expect("Your group can see it now")
    await settle_outbox(bot, db)
    await margaret.expect("A partner suggested an item for the board")

    await _support(bill)
    await bill.press("Add a comment")
    await bill.expect("Type your comment")
    await bill.send("Mine was the same.")
    await bill.expect("Your comment is saved")
    await _support(grace)
    # Another cohort's partner sees nothing, and a forged Support changes nothing.
    item_id = _item(db).id or 0
    await chloe.send("/agenda")
    await chloe.expect("There are no items yet")
    await chloe.forge_press(callbacks.AGENDA_SUPPORT(item_id))
    await chloe.expect("I can't find that item")
    assert TITLE not in await chloe.transcript()

    await margaret.send("/agenda")
    card = await margaret.expect(TITLE)
    assert "From Amina" in card["text"] and "2 partners support" in card["text"]
    assert "Mine was the same." in card["text"]
    await margaret.press("Not this time")
    await margaret.expect("Why not this time?")
    await margaret.send("no")  # not a reason the partner could understand: refused
    await margaret.expect("Please give a reason")
    assert _item(db).status == AgendaStatus.OPEN
    await margaret.press("Cancel")
    await margaret.press("Accept", message_id=card["message_id"])
    await margaret.expect("Which meeting should")
    await margaret.press(f"Frailty board · {local_date_label(meeting.starts_at, ZONE, now=NOW)}")
    await margaret.expect("is on the agenda for Frailty board")
    await settle_outbox(bot, db)
    await amina.expect("is on the agenda for")

    # The week before: the briefing lists it, and so does the calendar entry.
    clock.set(meeting.starts_at - timedelta(days=7) + timedelta(hours=9))
    await settle_outbox(bot, db)
    briefing = await grace.expect("Items lay partners asked for")
    assert TITLE in briefing["text"]
    await grace.forge_press(callbacks.CALENDAR(meeting.id or 0))
    ics = await grace.expect("")
    while "document" not in ics:
        ics = await grace.expect("")
    calendar = (await telegram.download(ics["document"]["file_id"])).decode()
    unfolded = calendar.replace("\r\n ", "")
    assert "Items lay partners asked for:" in unfolded and TITLE in unfolded

    # After the meeting: what happened reaches the proposer and both supporters.
    clock.set(meeting.ends_at + timedelta(hours=1))
    await margaret.send("/agenda")
    await margaret.expect(TITLE)
    await margaret.press("Record what happened")
    await margaret.expect("What happened about")
    await margaret.send("The team will rewrite the letters with two lay partners.")
    await margaret.expect("Everyone who suggested or supported it will be told")
    await settle_outbox(bot, db)
    for user in (amina, bill, grace):
        told = await user.expect("You said, we did")
        assert "rewrite the letters" in told["text"] and TITLE in told["text"]
    with db.reading() as session:
        outcome = session.exec(select(ContributionOutcome)).one()
    assert outcome.agenda_item_id == item_id and _item(db).status == AgendaStatus.DONE


async def test_taking_an_item_back_hides_it_and_forget_erases_it(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    make_meeting(db, clock, cohort, starts_at=NOW + timedelta(days=10))
    amina, bill = [await person(telegram, db, clock, cohort, n) for n in ("Amina", "Bill")]
    await _propose(amina)
    await amina.press("Share it with my group")
    await amina.expect("Your group can see it now")
    await _support(bill)
    await amina.send("/agenda")
    await amina.expect("(yours)")
    await amina.press("Take it back")
    await amina.expect("I've taken it back")
    await bill.send("/agenda")
    await bill.expect("There are no items yet")

    await _propose(amina, "Parking at the Civic Centre", "It costs too much.")
    await amina.press("Share it with my group")
    await amina.expect("Your group can see it now")
    await amina.send("/forget")
    await amina.expect("Do you want to erase everything")
    await amina.press("Yes, erase everything")
    await amina.expect("has been erased")
    with db.reading() as session:
        assert session.exec(select(AgendaItem)).all() == []
        assert session.exec(select(AgendaSupport)).all() == []
    await bill.send("/agenda")
    await bill.expect("There are no items yet")
