"""Agenda items for partners (issue 17): /propose (a title, why it matters typed or spoken,
optionally a linked reflection, then Share), /agenda (the cohort's items: Support, a
comment, Take it back). /agenda shows staff their triage cards (handlers/agenda_staff.py)."""

from __future__ import annotations

from telegram import Update

from bot.domain import agenda, conversation
from bot.domain.answers import Voice
from bot.models import Role
from bot.telegram import callbacks, flows
from bot.telegram.common import PARTNERS, STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, deliver, on_button
from bot.telegram.handlers.agenda_staff import staff_list
from bot.telegram.screens import help_button
from bot.telegram.screens.agenda import draft_screen, none_screen, partner_card
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, rows, settle

PROPOSE_FLOW = "propose"
COMMENT_FLOW = "agenda_comment"


def _list(services: Services, caller: Caller) -> Reply:
    """The items this person may see: triage cards for staff, the cohort's for partners."""
    assert caller.person is not None
    if caller.person.role in STAFF:
        return staff_list(services, caller)
    with services.db.transaction() as session:
        views = agenda.for_partner(session, person_id=caller.person_id)
    if not views:
        return Reply.of(none_screen(services))
    heading = Screen(services.texts.render("agenda.heading", count=len(views)))
    return Reply([heading, *(partner_card(services, view) for view in views)])


@gate()
async def agenda_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/agenda: items partners asked the board to talk about."""
    await deliver(update, _list(context.services, caller))


@on_button(callbacks.AGENDA_LIST)
async def list_button(tap: Tap) -> None:
    """See the agenda items (from a notice)."""
    await tap.query.answer()
    await deliver(tap.update, _list(tap.services, tap.caller))


def _ask_title(services: Services, person_id: int) -> Screen:
    with services.db.transaction() as session:
        return flows.ask(
            session,
            services,
            person_id=person_id,
            flow=PROPOSE_FLOW,
            step="title",
            text=services.texts.render("agenda.ask_title"),
        )


@gate(roles=PARTNERS)
async def propose_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/propose: suggest an item for the board's next meeting."""
    await reply(update, _ask_title(context.services, caller.person_id))


@on_button(callbacks.AGENDA_PROPOSE, roles=frozenset({Role.PARTNER}))
async def propose_button(tap: Tap) -> None:
    """ "Suggest an item": the same as /propose."""
    await tap.query.answer()
    await reply(tap.update, _ask_title(tap.services, tap.caller.person_id))


def title_text(turn: Turn, text: str) -> Reply:
    """The item's title: kept as a draft at once; then, why it matters."""
    item = agenda.propose(
        turn.session, person_id=turn.caller.person_id, title=text, clock=turn.services.clock
    )
    return Reply.of(
        flows.ask(
            turn.session,
            turn.services,
            person_id=turn.caller.person_id,
            flow=PROPOSE_FLOW,
            step="why",
            data={"item_id": item.id},
            text=turn.services.texts.render("agenda.ask_why"),
        )
    )


def _why(turn: Turn, *, text: str | None = None, voice: Voice | None = None) -> Reply:
    item_id = turn.data.get("item_id")
    assert isinstance(item_id, int)
    draft = agenda.set_why(
        turn.session,
        person_id=turn.caller.person_id,
        item_id=item_id,
        clock=turn.services.clock,
        text=text,
        voice=voice,
    )
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    return Reply.of(draft_screen(turn.services, draft))


def why_text(turn: Turn, text: str) -> Reply:
    """Why it matters, typed."""
    return _why(turn, text=text)


def why_voice(turn: Turn, voice: Voice) -> Reply:
    """Why it matters, as a voice note."""
    return _why(turn, voice=voice)


flows.register(PROPOSE_FLOW, title_text, step="title")
flows.register(PROPOSE_FLOW, why_text, step="why", voice=why_voice)


@on_button(callbacks.AGENDA_LINK, roles=frozenset({Role.PARTNER}))
async def link_button(tap: Tap) -> None:
    """Link one of their reflections to the draft (or none); then the preview."""
    services, (item_id, reflection_id) = tap.services, tap.values
    with services.db.transaction() as session:
        draft = agenda.link_reflection(
            session,
            person_id=tap.caller.person_id,
            item_id=item_id,
            reflection_id=reflection_id,
            clock=services.clock,
        )
    await settle(tap.query)
    await reply(tap.update, draft_screen(services, draft))


@on_button(callbacks.AGENDA_SHARE, roles=frozenset({Role.PARTNER}))
async def share_button(tap: Tap) -> None:
    """Share the draft with the cohort; its facilitators are told."""
    services, (item_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        agenda.confirm(
            session, person_id=tap.caller.person_id, item_id=item_id, clock=services.clock
        )
    await settle(tap.query)
    await reply(tap.update, _done(services, "agenda.shared"))


@on_button(callbacks.AGENDA_WITHDRAW, roles=frozenset({Role.PARTNER}))
async def withdraw_button(tap: Tap) -> None:
    """Take an item back (a draft, or one shared): no one else sees it any more."""
    services, (item_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        agenda.withdraw(
            session, person_id=tap.caller.person_id, item_id=item_id, clock=services.clock
        )
    await settle(tap.query)
    await reply(tap.update, _done(services, "agenda.withdrawn"))


def _done(services: Services, key: str) -> Screen:
    texts = services.texts
    return Screen(
        texts.render(key),
        rows(
            Button(texts.render("agenda.buttons.list"), callbacks.AGENDA_LIST()),
            help_button(services),
        ),
    )


@on_button(callbacks.AGENDA_SUPPORT, roles=frozenset({Role.PARTNER}))
async def support_button(tap: Tap) -> None:
    """Support another partner's item; then offer a comment."""
    services, (item_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        _, new = agenda.support(
            session, person_id=tap.caller.person_id, item_id=item_id, clock=services.clock
        )
    texts = services.texts
    await tap.query.answer()
    await reply(
        tap.update,
        Screen(
            texts.render("agenda.supported" if new else "agenda.already_supported"),
            rows(
                Button(texts.render("agenda.buttons.comment"), callbacks.AGENDA_COMMENT(item_id)),
                Button(texts.render("agenda.buttons.list"), callbacks.AGENDA_LIST()),
            ),
        ),
    )


@on_button(callbacks.AGENDA_COMMENT, roles=frozenset({Role.PARTNER}))
async def comment_button(tap: Tap) -> None:
    """Wait for a comment on an item the partner supports."""
    services, (item_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        agenda.comment_target(session, person_id=tap.caller.person_id, item_id=item_id)
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=COMMENT_FLOW,
            data={"item_id": item_id},
            text=services.texts.render("agenda.ask_comment"),
        )
    await tap.query.answer()
    await reply(tap.update, screen)


def comment_text(turn: Turn, text: str) -> Reply:
    """The typed comment, kept with the person's support."""
    item_id = turn.data.get("item_id")
    assert isinstance(item_id, int)
    agenda.comment(turn.session, person_id=turn.caller.person_id, item_id=item_id, text=text)
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    return Reply.of(_done(turn.services, "agenda.commented"))


flows.register(COMMENT_FLOW, comment_text)
