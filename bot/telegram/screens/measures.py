"""Screens for /measures: what matters to us, for partners (suggest, vote) and for staff
(adopt, retire)."""

from __future__ import annotations

from bot.domain.measures import CohortMeasures, PartnerView
from bot.models import Measure
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, stacked

SHOWN = 10  # ideas with buttons on one screen (Telegram keyboards stay short)
PER_ROW = 3


def _in_rows(buttons: list[Button]) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(buttons[i : i + PER_ROW]) for i in range(0, len(buttons), PER_ROW))


def partner_screen(services: Services, view: PartnerView) -> Screen:
    """A partner's /measures: the group's chosen measures, ideas to vote on, votes left."""
    texts = services.texts
    votes, own = [], []
    for number, item in enumerate(view.proposed[:SHOWN], 1):
        if item.voted:
            label, data = texts.render("measures.buttons.unvote", number=number), "no"
        else:
            label, data = texts.render("measures.buttons.vote", number=number), "yes"
        votes.append(Button(label, callbacks.MEASURE_VOTE(item.id, data)))
        if item.mine:
            own.append(
                Button(
                    texts.render("measures.buttons.withdraw", number=number),
                    callbacks.MEASURE_VOTE(item.id, "withdraw"),
                )
            )
    text = texts.render(
        "measures.partner",
        adopted=view.adopted,
        proposed=view.proposed,
        left=view.votes_left,
        each=view.votes_each,
    )
    suggest = Button(texts.render("measures.buttons.suggest"), callbacks.MEASURE_NEW())
    return Screen(text, (*_in_rows(votes), *stacked([*own, suggest, help_button(services)])))


def staff_screen(services: Services, groups: list[CohortMeasures]) -> Screen:
    """Staff's /measures: each cohort's ideas (most votes first) and adopted measures."""
    texts = services.texts
    shown, buttons = [], []
    for group in groups:
        name = group.cohort.name
        proposed = [
            {"number": n, "text": c.measure.text, "votes": c.votes}
            for n, c in enumerate(group.proposed, 1)
        ]
        adopted = [{"text": c.measure.text, "votes": c.votes} for c in group.adopted]
        shown.append(
            {"name": name, "proposed": proposed, "adopted": adopted, "retired": group.retired}
        )
        buttons += [
            Button(
                texts.render("measures.buttons.adopt", number=n, cohort=name),
                callbacks.MEASURE_RUN(c.measure.id or 0, "adopt"),
            )
            for n, c in enumerate(group.proposed[:SHOWN], 1)
        ]
        buttons += [
            Button(
                texts.render("measures.buttons.retire", text=_short(c.measure.text)),
                callbacks.MEASURE_RUN(c.measure.id or 0, "retire"),
            )
            for c in group.adopted[:SHOWN]
        ]
        buttons += [
            Button(
                texts.render("measures.buttons.outcome", text=_short(c.measure.text)),
                callbacks.MEASURE_OUTCOME(c.measure.id or 0),
            )
            for c in group.adopted[:SHOWN]
        ]
    text = texts.render("measures.staff", groups=shown)
    return Screen(text, stacked([*buttons, help_button(services)]))


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39].rstrip() + "…"


def confirm_screen(
    services: Services, measure: Measure, *, votes: int, cohort: str, adopt: bool
) -> Screen:
    """Adopt (or retire) this measure? With the votes and who will be told."""
    texts = services.texts
    key, yes, choice = (
        ("measures.confirm_adopt", "measures.buttons.adopt_yes", "Adopt")
        if adopt
        else ("measures.confirm_retire", "measures.buttons.retire_yes", "Retire")
    )
    return Screen(
        texts.render(key, text=measure.text, votes=votes, cohort=cohort),
        stacked(
            [
                Button(texts.render(yes), callbacks.MEASURE_RUN(measure.id or 0, choice)),
                Button(texts.render("measures.buttons.back"), callbacks.MEASURES()),
            ]
        ),
    )
