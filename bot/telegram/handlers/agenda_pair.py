"""A pair proposes an agenda item together (issue 17): "Propose it with <pair>" on the
draft's preview shares it and asks the pair; the pair joins as co-proposer or not, and may
leave it later (it stays the proposer's)."""

from __future__ import annotations

from bot.domain import agenda
from bot.models import Role
from bot.telegram import callbacks
from bot.telegram.flows import Tap, on_button
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, reply, rows, settle


def _done(services: Services, text: str) -> Screen:
    return Screen(
        text,
        rows(
            Button(services.texts.render("agenda.buttons.list"), callbacks.AGENDA_LIST()),
            help_button(services),
        ),
    )


@on_button(callbacks.AGENDA_PAIR, roles=frozenset({Role.PARTNER}))
async def pair_button(tap: Tap) -> None:
    """Ask my pair to propose my item with me; or, as that pair, join it, say not this one,
    or leave it."""
    services, (item_id, choice) = tap.services, tap.values
    person_id, clock, texts = tap.caller.person_id, services.clock, services.texts
    with services.db.transaction() as session:
        if choice == "ask":
            _, buddy = agenda.ask_pair(session, person_id=person_id, item_id=item_id, clock=clock)
            text = texts.render("agenda_pair.asked", name=buddy.preferred_name or "")
        elif choice == "join":
            item = agenda.join(session, person_id=person_id, item_id=item_id, clock=clock)
            text = texts.render("agenda_pair.joined", title=item.title)
        else:  # "no" to the ask, or "leave" once joined
            item = agenda.step_back(session, person_id=person_id, item_id=item_id, clock=clock)
            key = "agenda_pair.left" if choice == "leave" else "agenda_pair.declined"
            text = texts.render(key, title=item.title)
    await settle(tap.query)
    await reply(tap.update, _done(services, text))
