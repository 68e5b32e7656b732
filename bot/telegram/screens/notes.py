"""Screens for notes: what a partner said outside any question, and where it may go."""

from __future__ import annotations

from bot.domain.notes import Kept
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, stacked


def kept_screen(services: Services, kept: Kept, *, at_step: bool) -> Screen:
    """Says the words are safe, and offers what to do with them by buttons. At a step that
    wanted a button, a question for the facilitator comes first (the step is shown next)."""
    texts = services.texts
    note_id = kept.note.id or 0
    journal = Button(texts.render("notes.buttons.journal"), callbacks.NOTE(note_id, "journal"))
    facilitator = (
        [Button(texts.render("notes.buttons.facilitator"), callbacks.NOTE(note_id, "facilitator"))]
        if kept.to_facilitator
        else []
    )
    if at_step:
        return Screen(texts.render("notes.kept_at_step"), stacked([*facilitator, journal]))
    pair = (
        [
            Button(
                texts.render("notes.buttons.pair", name=kept.to_pair),
                callbacks.NOTE(note_id, "pair"),
            )
        ]
        if kept.to_pair is not None
        else []
    )
    key = "notes.kept_voice" if kept.note.voice_file_id else "notes.kept"
    return Screen(
        texts.render(key, joined=kept.joined),
        stacked([journal, *facilitator, *pair, help_button(services)]),
    )
