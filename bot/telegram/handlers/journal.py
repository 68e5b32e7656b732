"""/journal: a partner reads their own reflections back and changes who may read each.

It stays open after /stop (until /forget): what someone wrote is theirs to read."""

from __future__ import annotations

from telegram import Message, Update

from bot.domain import reflection_sharing, reflections, review
from bot.models import Sharing
from bot.telegram import callbacks
from bot.telegram.common import Caller, gate
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens import help_button
from bot.telegram.screens.reflect import answer_words, change_sharing_screen, journal_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Screen, edit, reply, rows, settle


@gate(left_ok=True)
async def journal_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/journal: read your own reflections, newest first (also after /stop, until /forget)."""
    await reply(update, _journal(context.services, caller, 0))


def _journal(services: Services, caller: Caller, index: int) -> Screen:
    assert caller.person is not None
    with services.db.transaction() as session:
        view, total = review.journal_page(
            session,
            person_id=caller.person_id,
            index=index,
            prompt_sets=services.library.prompt_sets,
            words=answer_words(services),
        )
    return journal_screen(services, view, index, total, caller.person.time_zone)


@on_button(callbacks.JOURNAL, left_ok=True)
async def journal_button(tap: Tap) -> None:
    """Page through the journal."""
    (index,) = tap.values
    await tap.query.answer()
    screen = _journal(tap.services, tap.caller, index)
    if isinstance(tap.query.message, Message):
        await edit(tap.query, screen)
    else:
        await reply(tap.update, screen)


@on_button(callbacks.JOURNAL_SHARING)
async def sharing_button(tap: Tap) -> None:
    """Who may read one of your reflections: choose again."""
    services, (reflection_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        reflection = reflections.resume(
            session,
            person_id=tap.caller.person_id,
            reflection_id=reflection_id,
            prompt_sets=services.library.prompt_sets,
        ).reflection
        screen = change_sharing_screen(services, reflection)
    await settle(tap.query)
    await reply(tap.update, screen)


@on_button(callbacks.JOURNAL_SHARE)
async def share_button(tap: Tap) -> None:
    """A new choice of who may read one of your reflections."""
    services, (reflection_id, level) = tap.services, tap.values
    with services.db.transaction() as session:
        reflection = reflection_sharing.change_sharing(
            session,
            person_id=tap.caller.person_id,
            reflection_id=reflection_id,
            sharing=Sharing(level),
            clock=services.clock,
        )
        text = services.texts.render(
            "journal.shared",
            title=reflection.title,
            sharing=services.texts.markup(f"reflect.sharing.said.{level}"),
        )
    await settle(tap.query)
    await reply(tap.update, Screen(text, rows(help_button(services))))
