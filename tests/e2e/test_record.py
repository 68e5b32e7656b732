"""/record (issue 18), through the sandbox: a partner adds and removes achievements, their
facilitator writes an endorsement (from /attendance) which the partner approves, and the
PDF they choose to make holds their meetings, outcomes and approved words, and never a
private reflection. Another partner cannot approve it; another group's facilitator cannot
write one; /mydata shows it all and /forget erases it."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader
from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Achievement, Endorsement, EndorsementStatus, Role
from bot.sandbox import ChatUser, SandboxClient
from bot.telegram import callbacks
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, settle_outbox, stored_person
from tests.factories import make_cohort
from tests.record_history import (
    ATTENDED,
    ITEM,
    ITEM_OUTCOME,
    MEASURE,
    MISSED,
    PRIVATE_WORDS,
    SAID_OUTCOME,
    give_history,
)

PRAISE = "Zoë helped us rewrite the discharge letters. She speaks up for carers."


async def _add(zoe: ChatUser, title: str, line: str | None) -> None:
    await zoe.press("Add an achievement")
    await zoe.expect("What did you do?")
    await zoe.send(title)
    await zoe.expect("Would you like to add one line")
    if line is None:
        await zoe.press("No, that's all")
    else:
        await zoe.send(line)
    await zoe.expect(f"Added to your record: {title}")


async def _pdf_text(telegram: SandboxClient, zoe: ChatUser) -> str:
    await zoe.send("/record")
    await zoe.expect("Your record of contribution")
    await zoe.press("Get my record as a PDF")
    sent = await zoe.expect("Here is your record of contribution")
    assert sent["document"]["file_name"] == "tandem-record-of-contribution.pdf"
    data = await telegram.download(sent["document"]["file_id"])
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


async def test_a_partner_makes_their_record_with_an_approved_endorsement(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort, other = make_cohort(db, clock), make_cohort(db, clock, "Stroke services")
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    priya = await person(telegram, db, clock, other, "Priya", Role.FACILITATOR)
    zoe = await person(telegram, db, clock, cohort, "Zoë")
    bill = await person(telegram, db, clock, cohort, "Bill")
    zoe_id = stored_person(db, name="Zoë").id or 0
    history = give_history(
        db, clock, cohort, partner=zoe_id, facilitator=stored_person(db, name="Margaret").id or 0
    )

    await zoe.send("/record")
    summary = await zoe.expect("Your record of contribution")
    assert "Meetings attended: 1" in summary["text"] and "Achievements: 0" in summary["text"]
    await _add(zoe, "Spoke at the March board", "About discharge letters")
    await _add(zoe, "Finished a course", None)
    await zoe.press("Remove 2")
    mine = await zoe.expect("Removed: Finished a course")
    assert "Spoke at the March board: About discharge letters" in mine["text"]

    # Margaret writes about Zoë from /attendance; Priya (another group) cannot.
    await priya.send("/attendance")
    await priya.expect("Who came to each meeting")
    await priya.forge_press(callbacks.ENDORSE(zoe_id))
    await priya.expect("isn't one of yours")
    await margaret.send("/attendance")
    await margaret.expect("Who came to each meeting")
    await margaret.press("Write about a partner")
    await margaret.expect("Who would you like to write about?")
    await margaret.press("Zoë (Frailty pathway)")
    await margaret.expect("What would you like to say about Zoë's work")
    await margaret.send(PRAISE)
    await margaret.expect("It goes on their record only if they agree")
    await settle_outbox(bot, db)
    asked = await zoe.expect("your facilitator in Frailty pathway, wrote this about you")
    assert PRAISE in asked["text"]
    endorsement = _endorsements(db)[0]

    # Nobody else may approve it; Zoë does.
    await bill.send("/record")
    await bill.expect("Your record of contribution")
    await bill.forge_press(callbacks.RECORD_ENDORSEMENT(endorsement.id or 0, "yes"))
    await bill.expect("I can't find that")
    assert _endorsements(db)[0].status == EndorsementStatus.PENDING
    await zoe.press("Add it to my record")
    await zoe.expect("Added to your record. Send /record")
    assert _endorsements(db)[0].status == EndorsementStatus.APPROVED

    text = await _pdf_text(telegram, zoe)
    for shown in (
        "Zoë",
        "North West London integrated care",
        ATTENDED,
        history.briefing_title,
        ITEM,
        ITEM_OUTCOME,
        SAID_OUTCOME,
        MEASURE,
        "Spoke at the March board",
        PRAISE,
        "Written by Margaret",
    ):
        assert shown in text, shown
    for hidden in (PRIVATE_WORDS, MISSED, "Finished a course"):
        assert hidden not in text, hidden

    await zoe.send("/mydata")
    data_file = await zoe.expect("everything Tandem holds about you")
    data = json.loads(await telegram.download(data_file["document"]["file_id"]))
    assert [a["title"] for a in data["record_achievements"]] == ["Spoke at the March board"]
    assert [e["text"] for e in data["record_endorsements"]] == [PRAISE]

    await zoe.send("/forget")
    await zoe.expect("Do you want to erase everything")
    await zoe.press("Yes, erase everything")
    await zoe.expect("has been erased")
    with db.reading() as session:
        assert session.exec(select(Achievement)).all() == []
    assert _endorsements(db) == []


def _endorsements(db: Database) -> list[Endorsement]:
    with db.reading() as session:
        return list(session.exec(select(Endorsement)).all())
