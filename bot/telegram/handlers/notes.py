"""Notes: nothing a partner says is lost. Words that answer no question are kept at once as
a draft note, and the partner chooses by buttons what happens to them."""

from __future__ import annotations

from bot.db import Session
from bot.domain import notes
from bot.domain.answers import Voice
from bot.models import NoteStatus, Role
from bot.telegram import callbacks
from bot.telegram.common import Caller
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens import help_button
from bot.telegram.screens.notes import kept_screen
from bot.telegram.services import Services
from bot.telegram.ui import Screen, reply, rows, settle


def keep_words(
    session: Session,
    services: Services,
    caller: Caller,
    *,
    text: str | None = None,
    voice: Voice | None = None,
    at_step: str | None = None,
) -> Screen:
    """Keep what the person sent as a draft note; the screen offering where it may go."""
    kept = notes.keep(
        session,
        person_id=caller.person_id,
        clock=services.clock,
        text=text,
        voice=voice,
        at_step=at_step,
    )
    return kept_screen(services, kept, at_step=at_step is not None)


@on_button(callbacks.NOTE, roles=frozenset({Role.PARTNER}), onboarding_ok=True, left_ok=True)
async def note_button(tap: Tap) -> None:
    """Keep a note in the journal, or send it to the facilitator or the pair."""
    services, (note_id, where) = tap.services, tap.values
    texts = services.texts
    with services.db.transaction() as session:
        filed = notes.file(
            session,
            person_id=tap.caller.person_id,
            note_id=note_id,
            where=NoteStatus(where),
            clock=services.clock,
        )
    if filed.already:
        await settle(tap.query, texts.render("notes.already"), shown="")
        return
    if filed.refused is not None:  # still a draft: its buttons stay, to keep it instead
        await tap.query.answer()
        name = filed.to[0] if filed.to else ""
        await reply(tap.update, Screen(texts.render(filed.refused, pair=name)))
        return
    await settle(tap.query)
    if where == "journal":
        said = texts.render("notes.in_journal")
    elif where == "facilitator":
        said = texts.render("notes.sent_facilitator", names=filed.to)
    else:
        said = texts.render("notes.sent_pair", name=filed.to[0] if filed.to else "")
    await reply(tap.update, Screen(said, rows(help_button(services))))
