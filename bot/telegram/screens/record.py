"""Screens for /record (issue 18): a partner's record of contribution in short, with
endorsements waiting for their choice, and their own achievements."""

from __future__ import annotations

from bot.domain.record import Record
from bot.models import Achievement, Endorsement
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, stacked

SHOWN = 15  # achievements with a Remove button on one screen


def summary_screen(services: Services, record: Record) -> Screen:
    """The record in short: programme, dates, a count per section, and what to do next."""
    texts = services.texts
    sections = [
        {"heading": texts.render(f"record.pdf.headings.{s.key}", count=s.count), "count": s.count}
        for s in record.sections
    ]
    text = texts.render(
        "record.summary",
        programme=record.programme,
        start=record.covered_from,
        sections=sections,
        pending=len(record.pending),
    )
    buttons = [
        Button(texts.render("record.buttons.pdf"), callbacks.RECORD_PDF()),
        Button(texts.render("record.buttons.add"), callbacks.RECORD_ADD()),
        Button(texts.render("record.buttons.mine"), callbacks.RECORD_MINE()),
    ]
    return Screen(text, stacked(buttons))


def pending_screen(services: Services, endorsement: Endorsement) -> Screen:
    """An endorsement waiting for the partner's choice."""
    texts = services.texts
    return Screen(
        texts.render("record.pending", author=endorsement.signature or "", text=endorsement.text),
        stacked(
            [
                Button(
                    texts.render("record.buttons.approve"),
                    callbacks.RECORD_ENDORSEMENT(endorsement.id or 0, "yes"),
                ),
                Button(
                    texts.render("record.buttons.not_now"),
                    callbacks.RECORD_ENDORSEMENT(endorsement.id or 0, "no"),
                ),
            ]
        ),
    )


def mine_screen(services: Services, achievements: list[Achievement]) -> Screen:
    """The partner's own achievements, each with a button to remove it."""
    texts = services.texts
    shown = achievements[:SHOWN]
    text = texts.render(
        "record.mine",
        items=[{"title": a.title, "detail": a.detail or ""} for a in shown],
    )
    remove = [
        Button(texts.render("record.buttons.remove", number=n), callbacks.RECORD_REMOVE(a.id or 0))
        for n, a in enumerate(shown, 1)
    ]
    rows = tuple(tuple(remove[i : i + 3]) for i in range(0, len(remove), 3))
    more = stacked(
        [
            Button(texts.render("record.buttons.add"), callbacks.RECORD_ADD()),
            Button(texts.render("record.buttons.back"), callbacks.RECORD()),
            help_button(services),
        ]
    )
    return Screen(text, (*rows, *more))
