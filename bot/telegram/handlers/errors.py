"""The one error handler: log first, then answer kindly.

Every refusal from the domain (a `TandemError`: not allowed, not found, not understood)
reaches the person here, in words from prompts/messages.yaml (`errors.<key>`), with a way
on; handlers do not catch them. Anything unexpected is logged with its traceback.
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TimedOut

from bot.domain import people
from bot.domain.errors import TandemError
from bot.telegram.common import answer_stale
from bot.telegram.screens import error_screen, help_button
from bot.telegram.services import TandemContext
from bot.telegram.ui import Screen, reply, rows

log = logging.getLogger(__name__)


async def on_error(update: object, context: TandemContext) -> None:
    """Log any exception from a handler, then tell the person something went wrong."""
    error = context.error
    services = context.services
    if isinstance(error, TandemError):
        log.info("refused: %s", error)
        if isinstance(update, Update):
            await _tell(update, error_screen(services, error))
        return
    if isinstance(error, TimedOut):
        # The reply may well have arrived (Telegram was slow, not necessarily failing), so an
        # apology could confuse; the person's input is already stored and the step remains.
        log.warning("Telegram timed out while handling an update", exc_info=error)
        return
    log.error("error while handling an update", exc_info=error)
    if _unreadable_button(update, error):
        # Tandem's own buttons always parse; data that does not came from an older release
        # or a modified client, so it gets the same answer as any out-of-date button.
        assert isinstance(update, Update)
        try:
            await answer_stale(update, context)
        except Exception:
            log.warning("could not answer an unreadable button", exc_info=True)
        return
    if isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_user:
        with services.db.transaction() as session:
            people.mark_unreachable(
                session,
                telegram_user_id=update.effective_user.id,
                reason=str(error),
                clock=services.clock,
            )
        return
    if isinstance(update, Update):
        await _tell(
            update, Screen(services.texts.render("errors.unexpected"), rows(help_button(services)))
        )


def _unreadable_button(update: object, error: BaseException | None) -> bool:
    """A button press whose data failed to parse (a number that is not one, a part missing)."""
    return (
        isinstance(update, Update)
        and update.callback_query is not None
        and isinstance(error, ValueError | IndexError)
    )


async def _tell(update: Update, screen: Screen) -> None:
    """Best effort: the chat itself may be the thing that is failing."""
    try:
        if update.callback_query is not None:
            # The tap may have been answered before the refusal; the reply is what matters.
            with contextlib.suppress(BadRequest):
                await update.callback_query.answer()
        await reply(update, screen)
    except Exception:
        log.warning("could not tell the person about an error", exc_info=True)
