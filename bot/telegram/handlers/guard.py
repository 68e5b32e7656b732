"""First in line for every update: process each update id once."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.domain.updates import claim_update
from bot.telegram.common import remember_caller
from bot.telegram.services import TandemContext

log = logging.getLogger(__name__)


async def once_only(update: Update, context: TandemContext) -> None:
    """Record the update id; a redelivered update (after a crash or replay) stops here."""
    services = context.services
    user = update.effective_user
    with services.db.transaction() as session:
        fresh = claim_update(session, update_id=update.update_id, clock=services.clock)
        if fresh and user is not None and (update.message or update.callback_query):
            # When we last heard from them (to the hour): their pair's "check in?" waits on it.
            services.seen.note(session, telegram_user_id=user.id, clock=services.clock)
            # Who they are, read in this transaction rather than another one of its own.
            remember_caller(session, update, services.texts.known_languages())
    if not fresh:
        log.info("update %s was already processed; skipping the replay", update.update_id)
        raise ApplicationHandlerStop
