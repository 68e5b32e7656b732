"""Involvement payments and expenses (issue 18), through the sandbox and the bot's own
dashboard: after a confirmed meeting the partner is offered a claim and accepts with one
tap, adds an expense with a receipt photo, and is told as a coordinator approves it, exports
it for finance (CSV and Excel) and marks it paid; a query goes to the partner and their
answer comes back to the claim; a rejection carries its reason."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook
from sqlmodel import select

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import AuditEvent, Claim, ClaimExpense, ClaimStatus, Role
from bot.sandbox import SandboxClient
from tests.e2e.claim_world import attended_meeting, claim_of, set_rules, signed_in
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import person, settle_outbox, stored_person
from tests.factories import make_cohort


async def test_a_claim_with_a_receipt_is_approved_exported_and_paid(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    await person(telegram, db, clock, None, "Tom", Role.COORDINATOR)
    tom_id, amina_id = (
        stored_person(db, name="Tom").id or 0,
        stored_person(db, name="Amina").id or 0,
    )
    margaret_id = stored_person(db, name="Margaret").id or 0
    web, csrf = await signed_in(bot, db, clock, tom_id)
    saved = await web.post(
        f"/dashboard/claims/rules/{cohort.id}",
        data={"csrf": csrf, "hourly": "£25.00", "session": "", "expenses": "travel, parking",
              "receipt_over": "10"},
    )  # fmt: skip
    assert saved.status_code == 303
    assert "£25.00 an hour" in (await web.get("/dashboard/claims/rules")).text

    await web.aclose()
    meeting = attended_meeting(db, clock, cohort, by=margaret_id, there=[amina_id])
    web, csrf = await signed_in(bot, db, clock, tom_id)  # time has passed: sign in again
    await settle_outbox(bot, db)
    offer = await amina.expect("Thank you for coming to")
    assert "Claim 2 hours (£50.00) for your time?" in offer["text"]
    await amina.press("Yes, claim it")
    await amina.expect("Your claim has been sent")

    await amina.press("Add an expense")
    await amina.expect("What kind of expense is it?")
    await amina.press("Travel")
    await amina.expect("How much did you spend on travel?")
    await amina.send("£12.50p")
    await amina.expect("I couldn't read")
    await amina.send("£12.50")
    await amina.expect("Please send a photo of the receipt now")
    await amina.send_photo()
    saved_receipt = await amina.expect("The receipt photo is saved")
    assert "Travel: £12.50 (receipt attached)" in saved_receipt["text"]
    await amina.press("Add an expense")
    await amina.expect("What kind of expense is it?")
    await amina.press("Parking")
    await amina.expect("How much did you spend on parking?")
    await amina.send("3")
    await amina.expect("If you have a receipt, send a photo of it now")
    await amina.press("No receipt")
    added = await amina.expect("The expense is added")
    assert "Total: <b>£65.50</b>" in added["text"] or "Total: £65.50" in added["text"]

    claim = claim_of(db, amina_id, meeting.id or 0)
    with db.reading() as session:
        expenses = session.exec(select(ClaimExpense).where(ClaimExpense.claim_id == claim.id)).all()
    assert [(e.category, e.amount) for e in expenses] == [
        ("travel", Decimal("12.50")),
        ("parking", Decimal("3.00")),
    ]
    receipt = expenses[0].receipt
    assert receipt and expenses[1].receipt is None

    listing = await web.get("/dashboard/claims", params={"status": "submitted"})
    assert "Amina" in listing.text and "£65.50" in listing.text
    page = await web.get(f"/dashboard/claims/{claim.id}")
    assert f"/dashboard/claims/{claim.id}/receipts/{expenses[0].id}" in page.text
    image = await web.get(f"/dashboard/claims/{claim.id}/receipts/{expenses[0].id}")
    assert image.status_code == 200 and image.content == receipt
    assert image.headers["content-type"] == "image/jpeg"

    approved = await web.post(f"/dashboard/claims/{claim.id}/approve", data={"csrf": csrf})
    assert approved.status_code == 303
    await settle_outbox(bot, db)
    told = await amina.expect("has been approved")
    assert "£65.50" in told["text"]

    exported = await web.get("/dashboard/claims/export.csv")
    assert exported.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    month = f"{meeting.starts_at:%Y-%m}"
    line = rows[1]
    assert line[0] == month and line[2] == str(amina_id) and line[3] == "Amina"
    assert line[5:8] == ["2.00", "50.00", "15.50"] and line[9] == "65.50"
    assert "parking 3.00" in line[8] and "travel 12.50" in line[8]
    assert rows[-1][0] == "total" and rows[-1][-1] == "65.50"
    workbook = load_workbook(io.BytesIO((await web.get("/dashboard/claims/export.xlsx")).content))
    sheet = workbook["Claims"]
    values = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert values[1][3] == "Amina" and Decimal(str(values[1][9])) == Decimal("65.50")
    assert values[-1][0] == "total" and Decimal(str(values[-1][9])) == Decimal("65.50")

    paid = await web.post(f"/dashboard/claims/{claim.id}/paid", data={"csrf": csrf})
    assert paid.status_code == 303
    await settle_outbox(bot, db)
    await amina.expect("has been paid: £65.50")
    await amina.send("/claim")
    mine = await amina.expect("Your claims")
    assert "£65.50 (paid)" in mine["text"]
    await web.aclose()
    with db.reading() as session:
        actions = set(session.exec(select(AuditEvent.action).where(AuditEvent.actor_id == tom_id)))
        stored = session.get(Claim, claim.id)
    assert stored is not None and stored.status == ClaimStatus.PAID
    assert {
        "dashboard.payment_rules",
        "dashboard.view_claims",
        "dashboard.view_claim",
        "dashboard.view_receipt",
        "dashboard.claim_approve",
        "dashboard.export",
        "dashboard.claim_paid",
    } <= actions


async def test_a_query_goes_to_the_partner_and_their_answer_comes_back(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    margaret = await person(telegram, db, clock, cohort, "Margaret", Role.FACILITATOR)
    amina = await person(telegram, db, clock, cohort, "Amina")
    margaret_id = stored_person(db, name="Margaret").id or 0
    amina_id = stored_person(db, name="Amina").id or 0
    set_rules(db, clock, cohort, per_session="40", expenses="travel")
    meeting = attended_meeting(db, clock, cohort, by=margaret_id, there=[amina_id])
    await settle_outbox(bot, db)
    offer = await amina.expect("Thank you for coming to")
    assert "Claim £40.00 for your time at this meeting?" in offer["text"]
    await amina.press("Yes, claim it")
    await amina.expect("Your claim has been sent")
    claim = claim_of(db, amina_id, meeting.id or 0)

    web, csrf = await signed_in(bot, db, clock, margaret_id)
    asked = await web.post(
        f"/dashboard/claims/{claim.id}/query",
        data={"csrf": csrf, "question": "Did you travel by train or by car?"},
    )
    assert asked.status_code == 303
    await settle_outbox(bot, db)
    await amina.expect("Did you travel by train or by car?")
    await amina.press("Answer the question")
    await amina.expect("Please type your answer")
    await amina.send("By train, return from Leeds")
    await amina.expect("Your answer is with your claim")
    page = await web.get(f"/dashboard/claims/{claim.id}")
    assert "By train, return from Leeds" in page.text and "submitted" in page.text
    await settle_outbox(bot, db)
    told_staff = await margaret.expect("answered your question about their claim")
    assert "Amina" in told_staff["text"]

    refused = await web.post(
        f"/dashboard/claims/{claim.id}/reject", data={"csrf": csrf, "reason": "  "}
    )
    assert refused.status_code == 400 and "Please give a reason" in refused.text
    rejected = await web.post(
        f"/dashboard/claims/{claim.id}/reject",
        data={"csrf": csrf, "reason": "This meeting was paid by your employer."},
    )
    assert rejected.status_code == 303
    await settle_outbox(bot, db)
    told = await amina.expect("was not approved")
    assert "This meeting was paid by your employer." in told["text"]
    again = await web.post(f"/dashboard/claims/{claim.id}/paid", data={"csrf": csrf})
    assert again.status_code == 409  # only an approved claim can be paid
    await web.aclose()
