"""Safeguarding: every message a partner sends is checked for words that suggest distress
or risk. A match gets an immediate, kind answer with where to get help now, and an alert to
the people who can help. The message then carries on to whatever was waiting for it, so
nothing the partner said is lost."""

from __future__ import annotations

import logging

from telegram import Update

from bot.domain import concerns
from bot.domain.concerns import raise_concern
from bot.models import Role
from bot.telegram import callbacks, flows
from bot.telegram.common import STAFF, load_caller
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens import help_button
from bot.telegram.services import TandemContext
from bot.telegram.ui import Screen, reply, rows

log = logging.getLogger(__name__)


async def watch(update: Update, context: TandemContext) -> None:
    """Check a message's words (text or caption, new or edited); answer and alert on a match."""
    message = update.message or update.edited_message
    if message is None or message.chat.type != "private":
        return
    words = message.text or message.caption
    if not words:
        return
    services = context.services
    match = services.safeguarding.check(words)
    if match is None:
        return
    with services.db.transaction() as session:
        caller = load_caller(session, update)
        person = caller.person
        if person is not None and person.role != Role.PARTNER:
            return  # staff discussing safeguarding are not alerting about themselves
        alerted, private = [], False
        if person is not None and person.id is not None:
            private = flows.waiting_is_private(session, person_id=person.id)
            alerted = raise_concern(
                session,
                person_id=person.id,
                text=words,
                match=match,
                clock=services.clock,
                private=private,
            )
    log.warning("safeguarding match (%s); %s people alerted", match.category, len(alerted))
    name = person.preferred_name if person is not None else caller.first_name
    await reply(
        update,
        Screen(
            services.texts.render(
                "safeguarding.signpost", name=name, alerted=bool(alerted), private=private
            ),
            rows(help_button(services)),
        ),
    )


async def _acknowledge(tap: Tap, *, contacted: bool) -> None:
    services, (concern_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        concerns.acknowledge(
            session,
            viewer_id=tap.caller.person_id,
            concern_id=concern_id,
            contacted=contacted,
            clock=services.clock,
        )
    await tap.query.answer()  # the alert keeps its buttons: "contacted" may still come
    said = "safeguarding.contacted" if contacted else "safeguarding.acknowledged"
    await reply(tap.update, Screen(services.texts.render(said), rows(help_button(services))))


@on_button(callbacks.CONCERN_ACKNOWLEDGE, roles=STAFF)
async def acknowledge_button(tap: Tap) -> None:
    """ "I've seen this" on a safeguarding alert: the others know it is in hand."""
    await _acknowledge(tap, contacted=False)


@on_button(callbacks.CONCERN_CONTACTED, roles=STAFF)
async def contacted_button(tap: Tap) -> None:
    """ "I've contacted them" on a safeguarding alert."""
    await _acknowledge(tap, contacted=True)
