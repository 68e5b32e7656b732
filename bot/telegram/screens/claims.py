"""Screens for /claim (issue 18): a partner's claims, one claim with its expenses, and the
steps of adding an expense. Amounts are shown as pounds and pence, exactly."""

from __future__ import annotations

from typing import Any

from bot.domain.claims import ClaimView, MyClaims, pounds
from bot.domain.when import local_date_label
from bot.models import ClaimStatus, Person
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, stacked

SHOWN = 8  # claims and meetings with a button each (keyboards stay short)


def _day(services: Services, person: Person, shown: Any) -> str:
    return local_date_label(shown, person.time_zone, now=services.clock.now())


def _claim_words(services: Services, person: Person, shown: ClaimView) -> dict[str, Any]:
    claim = shown.claim
    return {
        "meeting": shown.meeting,
        "day": _day(services, person, shown.meeting_at),
        "status": services.texts.render(f"claims.status.{claim.status.value}"),
        "basis": claim.basis,
        "hours": f"{claim.hours.normalize():f}",
        "fee": pounds(claim.fee),
        "expenses": [
            {"category": e.category, "amount": pounds(e.amount), "receipt": e.receipt}
            for e in shown.expenses
        ],
        "total": pounds(shown.total),
        "question": claim.question,
        "reason": claim.reason,
    }


def my_claims_screen(services: Services, person: Person, mine: MyClaims) -> Screen:
    """A partner's /claim: their claims and statuses, meetings they can claim for, and the
    choice to be paid or claim expenses only."""
    texts = services.texts
    claims = [_claim_words(services, person, shown) for shown in mine.claims]
    meetings = [
        {"title": m.title, "day": _day(services, person, m.starts_at)} for m in mine.claimable
    ]
    buttons = [
        Button(
            texts.render("claims.buttons.claim_for", **meeting), callbacks.CLAIM_START(m.id or 0)
        )
        for meeting, m in zip(meetings[:SHOWN], mine.claimable, strict=False)
    ]
    buttons += [
        Button(
            texts.render("claims.buttons.open", meeting=words["meeting"], day=words["day"]),
            callbacks.CLAIM_SHOW(shown.id),
        )
        for words, shown in zip(claims[:SHOWN], mine.claims, strict=False)
    ]
    payment = "on" if mine.opted_out else "off"
    buttons.append(
        Button(texts.render(f"claims.buttons.pay_{payment}"), callbacks.CLAIM_PAYMENT(payment))
    )
    text = texts.render("claims.mine", claims=claims, meetings=meetings, opted_out=mine.opted_out)
    return Screen(text, stacked([*buttons, help_button(services)]))


def claim_screen(
    services: Services, person: Person, shown: ClaimView, *, covers_expenses: bool
) -> Screen:
    """One claim: its time, expenses, total and status, with what the partner can do next."""
    texts = services.texts
    buttons = []
    if shown.editable and covers_expenses:
        buttons.append(
            Button(texts.render("claims.buttons.add_expense"), callbacks.CLAIM_EXPENSE(shown.id))
        )
    if shown.claim.status == ClaimStatus.DRAFT:
        buttons.append(Button(texts.render("claims.buttons.send"), callbacks.CLAIM_SEND(shown.id)))
    if shown.claim.status == ClaimStatus.QUERIED:
        buttons.append(
            Button(texts.render("claims.buttons.answer"), callbacks.CLAIM_ANSWER(shown.id))
        )
    buttons.append(Button(texts.render("claims.buttons.back"), callbacks.CLAIMS()))
    text = texts.render("claims.claim", **_claim_words(services, person, shown))
    return Screen(text, stacked(buttons))


def categories_screen(services: Services, claim_id: int, categories: tuple[str, ...]) -> Screen:
    """Which kind of expense: one button for each category the cohort covers."""
    texts = services.texts
    buttons = [
        Button(name.capitalize(), callbacks.CLAIM_CATEGORY(claim_id, number))
        for number, name in enumerate(categories)
    ]
    buttons.append(Button(texts.render("claims.buttons.back"), callbacks.CLAIM_SHOW(claim_id)))
    return Screen(texts.render("claims.choose_category"), stacked(buttons))
