"""Safeguarding: every message a partner sends is checked for words that suggest distress
or risk. A match gets an immediate, kind answer with where to get help now for that kind of
risk (prompts/signposts.yaml), and an alert to the people who can help. The message then
carries on to whatever was waiting for it, so nothing the partner said is lost, but the
signpost is the whole answer: nothing else is sent in that turn. The signpost's buttons let
the partner say they are safe now, or ask to be contacted."""

from __future__ import annotations

import logging

from telegram import Update

from bot.domain import concerns
from bot.models import PersonStatus
from bot.telegram import callbacks, flows
from bot.telegram.common import BOARD, PARTNERS, STAFF, load_caller
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens import help_button
from bot.telegram.screens.onboarding import current_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, answer_only_with_this, reply, rows, send, settle

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
    signpost = services.signposts.for_kind(match.kind)
    alerted: list[int] = []
    concern_id, private = 0, False
    with services.db.transaction() as session:
        caller = load_caller(session, update)
        person = caller.person
        if person is not None and person.role in STAFF:
            return  # staff discussing safeguarding are not alerting about themselves
        if person is not None and person.id is not None:
            private = flows.waiting_is_private(session, person_id=person.id)
            concern_id, alerted = concerns.alert(
                session,
                person_id=person.id,
                text=words,
                match=match,
                clock=services.clock,
                private=private,
                given=signpost.given,
            )
    log.warning("safeguarding match (%s); %s people alerted", match.category, len(alerted))
    name = (person.preferred_name if person is not None else None) or caller.first_name
    text = services.texts.render(
        "safeguarding.signpost",
        name=name,
        help=services.texts.markup_string(signpost.help),
        alerted=bool(alerted),
        private=private,
        buttons=bool(concern_id),
    )
    # Sent with `send`, not `reply`: the signpost is not a question whose buttons a typed
    # answer takes off, and its buttons must stay until the partner taps one.
    await send(update.get_bot(), message.chat.id, Screen(text, _buttons(services, concern_id)))
    answer_only_with_this(update)  # whatever else reads the words says nothing (issue 15)


def _buttons(services: Services, concern_id: int) -> tuple[tuple[Button, ...], ...]:
    """I'm safe now / Please contact me, for a partner's own concern (none for a stranger)."""
    if not concern_id:
        return rows(help_button(services))
    render = services.texts.render
    return rows(
        Button(render("safeguarding.buttons.safe"), callbacks.SIGNPOST_SAFE(concern_id)),
        Button(render("safeguarding.buttons.contact"), callbacks.SIGNPOST_CONTACT(concern_id)),
    )


@on_button(callbacks.SIGNPOST_SAFE, roles=PARTNERS | BOARD, onboarding_ok=True, left_ok=True)
async def safe_button(tap: Tap) -> None:
    """ "I'm safe now" on a signpost: noted on the concern; a warm answer, and a way to ask
    for contact after all."""
    services, (concern_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        concerns.say_safe(
            session, person_id=tap.caller.person_id, concern_id=concern_id, clock=services.clock
        )
    await settle(tap.query)
    name = tap.caller.person.preferred_name if tap.caller.person else ""
    contact = services.texts.render("safeguarding.buttons.contact")
    await reply(
        tap.update,
        Screen(
            services.texts.render("safeguarding.safe", name=name or tap.caller.first_name),
            rows(Button(contact, callbacks.SIGNPOST_CONTACT(concern_id)), help_button(services)),
        ),
    )
    person = tap.caller.person
    if person is not None and person.status == PersonStatus.ONBOARDING:
        with services.db.transaction() as session:  # carry on joining where they were
            step = current_screen(session, services, person, tap.caller.first_name)
        await reply(tap.update, step)


@on_button(callbacks.SIGNPOST_CONTACT, roles=PARTNERS | BOARD, onboarding_ok=True, left_ok=True)
async def contact_button(tap: Tap) -> None:
    """ "Please contact me" on a signpost: the facilitators and coordinators are told at once;
    the partner hears who will contact them and what to do meanwhile."""
    services, (concern_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        asked = concerns.ask_for_contact(
            session, person_id=tap.caller.person_id, concern_id=concern_id, clock=services.clock
        )
    meanwhile = services.signposts.for_kind(services.safeguarding.kind_of(asked.category))
    await settle(tap.query)
    name = (tap.caller.person.preferred_name if tap.caller.person else "") or tap.caller.first_name
    key = "safeguarding.contact_asked" if asked.told else "safeguarding.contact_nobody"
    text = services.texts.render(
        key, name=name, facilitators=asked.facilitators, meanwhile=meanwhile.meanwhile
    )
    await reply(tap.update, Screen(text, rows(help_button(services))))


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
