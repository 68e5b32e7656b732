"""/claim: involvement payments and expenses (issue 18). A partner answers the offer after a
meeting with one tap, adds expenses (category by button, amount typed, receipt photo sent in
chat), sends the claim, answers a query, and can opt out of payment (expenses only)."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.db import Session
from bot.domain import claims, conversation
from bot.domain.errors import InvalidInput, TandemError
from bot.models import ClaimStatus
from bot.telegram import callbacks, flows
from bot.telegram.common import PARTNERS, Caller, gate, load_caller
from bot.telegram.flows import Reply, Tap, Turn, on_button
from bot.telegram.handlers import fallback
from bot.telegram.screens import error_screen
from bot.telegram.screens.claims import categories_screen, claim_screen, my_claims_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, settle, stacked

log = logging.getLogger(__name__)

AMOUNT_FLOW = "claim_amount"
RECEIPT_FLOW = "claim_receipt"
ANSWER_FLOW = "claim_answer"


def _mine(session: Session, services: Services, caller: Caller) -> Screen:
    assert caller.person is not None
    found = claims.my_claims(session, person_id=caller.person_id)
    return my_claims_screen(services, caller.person, found)


def _claim(session: Session, services: Services, caller: Caller, claim_id: int) -> Screen:
    assert caller.person is not None
    shown = claims.view(session, person_id=caller.person_id, claim_id=claim_id)
    covered = claims.rules_for(session, cohort_id=shown.claim.cohort_id).expenses
    return claim_screen(services, caller.person, shown, covers_expenses=bool(covered))


@gate(roles=PARTNERS)
async def claim_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/claim: my claims and their statuses, and meetings I can still claim for."""
    with context.services.db.transaction() as session:
        screen = _mine(session, context.services, caller)
    await reply(update, screen)


@on_button(callbacks.CLAIMS, roles=PARTNERS)
async def list_button(tap: Tap) -> None:
    """Back to my claims."""
    with tap.services.db.transaction() as session:
        flows.cancel(session, person_id=tap.caller.person_id)
        screen = _mine(session, tap.services, tap.caller)
    await settle(tap.query, shown="")
    await reply(tap.update, screen)


@on_button(callbacks.CLAIM_OFFER, roles=PARTNERS)
async def offer_button(tap: Tap) -> None:
    """The offer after a meeting: claim it now, not now, or no payment for me."""
    services, (claim_id, choice) = tap.services, tap.values
    with services.db.transaction() as session:
        shown = claims.answer_offer(
            session, person_id=tap.caller.person_id, claim_id=claim_id, choice=choice,
            clock=services.clock,
        )  # fmt: skip
        key = "claims.sent" if shown.claim.status != ClaimStatus.DRAFT else f"claims.offer_{choice}"
        screen = _claim(session, services, tap.caller, claim_id)
    await settle(tap.query)
    await reply(tap.update, screen.with_text_before(services.texts.render(key)))


@on_button(callbacks.CLAIM_START, roles=PARTNERS)
async def start_button(tap: Tap) -> None:
    """Start a claim for a meeting I was at."""
    services, (meeting_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        shown = claims.start_claim(
            session, person_id=tap.caller.person_id, meeting_id=meeting_id, clock=services.clock
        )
        screen = _claim(session, services, tap.caller, shown.id)
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.CLAIM_SHOW, roles=PARTNERS)
async def show_button(tap: Tap) -> None:
    """One of my claims."""
    with tap.services.db.transaction() as session:
        screen = _claim(session, tap.services, tap.caller, tap.values[0])
    await settle(tap.query, shown="")
    await reply(tap.update, screen)


@on_button(callbacks.CLAIM_EXPENSE, roles=PARTNERS)
async def expense_button(tap: Tap) -> None:
    """Add an expense: which kind?"""
    services, (claim_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        shown = claims.view(session, person_id=tap.caller.person_id, claim_id=claim_id)
        covered = claims.rules_for(session, cohort_id=shown.claim.cohort_id).expenses
        if not shown.editable:
            screen = _claim(session, services, tap.caller, claim_id).with_text_before(
                services.texts.render("errors.claims.closed")
            )
        elif not covered:
            screen = Screen(services.texts.render("claims.no_expenses"))
        else:
            screen = categories_screen(services, claim_id, covered)
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.CLAIM_CATEGORY, roles=PARTNERS)
async def category_button(tap: Tap) -> None:
    """The kind chosen: now type the amount."""
    services, (claim_id, category) = tap.services, tap.values
    with services.db.transaction() as session:
        shown = claims.view(session, person_id=tap.caller.person_id, claim_id=claim_id)
        covered = claims.rules_for(session, cohort_id=shown.claim.cohort_id).expenses
        if not 0 <= category < len(covered):
            raise InvalidInput("claims.category_unknown")
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=AMOUNT_FLOW,
            data={"claim_id": claim_id, "category": category},
            text=services.texts.render("claims.ask_amount", category=covered[category]),
        )
    await settle(tap.query)
    await reply(tap.update, screen)


def amount_text(turn: Turn, text: str) -> Reply:
    """The amount, typed: kept as an exact sum; then the receipt, if there is one."""
    services, person_id = turn.services, turn.caller.person_id
    try:
        expense = claims.add_expense(
            turn.session, person_id=person_id, claim_id=int(turn.data["claim_id"]),
            category=int(turn.data["category"]), amount=text, clock=services.clock,
        )  # fmt: skip
    except InvalidInput as error:  # not an amount: say why, and wait again
        again = error_screen(services, error).text
        return Reply.of(Screen(again, stacked([flows.cancel_button(services)])))
    needed = claims.needs_receipt(turn.session, person_id=person_id, expense_id=expense.id or 0)
    skip = Button(
        services.texts.render("claims.buttons.no_receipt"),
        callbacks.CLAIM_NO_RECEIPT(expense.id or 0),
    )
    screen = flows.ask(
        turn.session,
        services,
        person_id=person_id,
        flow=RECEIPT_FLOW,
        data={"expense_id": expense.id, "claim_id": expense.claim_id},
        text=services.texts.render(
            "claims.ask_receipt",
            category=expense.category,
            amount=claims.pounds(expense.amount),
            needed=needed,
        ),
        extra=() if needed else (skip,),
    )
    return Reply.of(screen)


def receipt_text(turn: Turn, text: str) -> Reply:
    """Words while a receipt photo is awaited: say how to send one."""
    return Reply.of(Screen(turn.services.texts.render("claims.receipt_photo_please")))


def receipt_other(turn: Turn, kind: str) -> Reply:
    """A sticker or file while a receipt photo is awaited."""
    return Reply.of(Screen(turn.services.texts.render("claims.receipt_photo_please")))


@on_button(callbacks.CLAIM_NO_RECEIPT, roles=PARTNERS)
async def no_receipt_button(tap: Tap) -> None:
    """No receipt for this expense: back to the claim."""
    services, (expense_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        person_id = tap.caller.person_id
        if claims.needs_receipt(session, person_id=person_id, expense_id=expense_id):
            raise InvalidInput("claims.receipt_required")
        state = conversation.get_state(session, person_id=person_id)
        claim_id = int(state.data.get("claim_id", 0)) if state else 0
        conversation.clear_state(session, person_id=person_id)
        screen = _mine(session, services, tap.caller)
        if claim_id:
            screen = _claim(session, services, tap.caller, claim_id)
    await settle(tap.query)
    await reply(tap.update, screen.with_text_before(services.texts.render("claims.expense_added")))


async def _download(message: Message, context: TandemContext) -> bytes:
    """The largest size of the photo that fits the cap, fetched with getFile."""
    sizes = [p for p in message.photo if (p.file_size or 0) <= claims.RECEIPT_LIMIT]
    if not sizes:
        raise InvalidInput("claims.receipt_too_big", megabytes=claims.RECEIPT_LIMIT // 1048576)
    found = await context.bot.get_file(sizes[-1].file_id)
    return bytes(await found.download_as_bytearray())


async def on_photo(update: Update, context: TandemContext) -> None:
    """A photo: a receipt when one is awaited; otherwise what any photo gets."""
    services, message = context.services, update.effective_message
    assert message is not None
    with services.db.transaction() as session:
        caller = load_caller(session, update)
        state = (
            conversation.get_state(session, person_id=caller.person_id)
            if caller.person is not None
            else None
        )
    if state is None or state.flow != RECEIPT_FLOW:
        await fallback.on_media(update, context)
        return
    data = await _download(message, context)
    with services.db.transaction() as session:
        expense = claims.attach_receipt(
            session, person_id=caller.person_id, expense_id=int(state.data["expense_id"]),
            data=data, content_type="image/jpeg",
        )  # fmt: skip
        conversation.clear_state(session, person_id=caller.person_id)
        screen = _claim(session, services, caller, expense.claim_id)
    await reply(update, screen.with_text_before(services.texts.render("claims.receipt_saved")))


@on_button(callbacks.CLAIM_SEND, roles=PARTNERS)
async def send_button(tap: Tap) -> None:
    """Send the claim for review."""
    services, (claim_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        claims.submit(
            session, person_id=tap.caller.person_id, claim_id=claim_id, clock=services.clock
        )
        screen = _claim(session, services, tap.caller, claim_id)
    await settle(tap.query)
    await reply(tap.update, screen.with_text_before(services.texts.render("claims.sent")))


@on_button(callbacks.CLAIM_ANSWER, roles=PARTNERS)
async def answer_button(tap: Tap) -> None:
    """Answer staff's question about a claim: wait for it, typed."""
    services, (claim_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        shown = claims.view(session, person_id=tap.caller.person_id, claim_id=claim_id)
        if shown.claim.status != ClaimStatus.QUERIED:
            raise InvalidInput("claims.no_query")
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=ANSWER_FLOW,
            data={"claim_id": claim_id},
            text=services.texts.render("claims.ask_answer", question=shown.claim.question or ""),
        )
    await settle(tap.query)
    await reply(tap.update, screen)


def answer_text(turn: Turn, text: str) -> Reply:
    """The answer, typed: kept with the claim, which goes back for review."""
    services = turn.services
    try:
        claims.answer_query(
            turn.session, person_id=turn.caller.person_id, claim_id=int(turn.data["claim_id"]),
            text=text, clock=services.clock,
        )  # fmt: skip
    except TandemError as error:
        conversation.clear_state(turn.session, person_id=turn.caller.person_id)
        return Reply.of(error_screen(services, error))
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    return Reply.of(Screen(services.texts.render("claims.answer_sent")))


@on_button(callbacks.CLAIM_PAYMENT, roles=PARTNERS)
async def payment_button(tap: Tap) -> None:
    """Be paid for my time, or claim expenses only."""
    services, (choice,) = tap.services, tap.values
    with services.db.transaction() as session:
        wanted = claims.set_payment(
            session, person_id=tap.caller.person_id, wanted=choice == "on", clock=services.clock
        )
        screen = _mine(session, services, tap.caller)
    key = "claims.payment_on" if wanted else "claims.payment_off"
    await settle(tap.query)
    await reply(tap.update, screen.with_text_before(services.texts.render(key)))


flows.register(AMOUNT_FLOW, amount_text)
flows.register(RECEIPT_FLOW, receipt_text, other=receipt_other)
flows.register(ANSWER_FLOW, answer_text)
