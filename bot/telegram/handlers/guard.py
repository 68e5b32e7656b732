"""First in line for every update: process each update id once."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.domain.updates import claim_update
from bot.telegram.services import TandemContext

log = logging.getLogger(__name__)


async def once_only(update: Update, context: TandemContext) -> None:
    """Record the update id; a redelivered update (after a crash or replay) stops here."""
    services = context.services
    with services.db.transaction() as session:
        fresh = claim_update(session, update_id=update.update_id, clock=services.clock)
    if not fresh:
        log.info("update %s was already processed; skipping the replay", update.update_id)
        raise ApplicationHandlerStop
