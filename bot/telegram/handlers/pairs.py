"""Pairs: /pairs for facilitators (pair and unpair), /pair for partners (message your pair
through the bot, stop those messages, report a problem, check-in reminders on or off)."""

from __future__ import annotations

from telegram import Update

from bot.db import Session
from bot.domain import cohorts, conversation, pairs
from bot.models import Person
from bot.telegram import callbacks, flows
from bot.telegram.common import PARTNERS, STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, cancel_button, on_button
from bot.telegram.screens import help_button
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, edit, reply, rows, settle, stacked

RELAY_FLOW = "pair_relay"
REPORT_FLOW = "pair_report"
SHOWN = 40


# /pairs, for facilitators and coordinators.


def _overview(session: Session, services: Services, caller: Caller) -> Screen:
    texts = services.texts
    mine = cohorts.cohorts_for(session, person_id=caller.person_id)
    views = pairs.pairs_in(session, cohort_ids=[c.id or 0 for c in mine])
    names = {c.id: c.name for c in mine}
    buttons = [
        Button(
            texts.render("pairs.buttons.unpair", names=v.names),
            callbacks.PAIR_END_ASK(v.pair.id or 0),
        )
        for v in views
    ]
    buttons += [
        Button(texts.render("pairs.buttons.new", cohort=c.name), callbacks.PAIR_NEW(c.id or 0))
        for c in mine[:6]
    ]
    listing = [(names.get(v.pair.cohort_id, ""), v.names) for v in views]
    return Screen(
        texts.render("pairs.overview", pairs=listing, cohorts=len(mine)),
        stacked([*buttons, help_button(services)]),
    )


def _back(services: Services) -> Button:
    return Button(services.texts.render("pairs.buttons.back"), callbacks.PAIRS())


@gate(roles=STAFF)
async def pairs_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/pairs: the pairs in your cohorts, with buttons to pair and unpair."""
    services = context.services
    with services.db.transaction() as session:
        screen = _overview(session, services, caller)
    await reply(update, screen)


@on_button(callbacks.PAIRS, roles=STAFF)
async def overview_button(tap: Tap) -> None:
    """Back to the pairs."""
    with tap.services.db.transaction() as session:
        screen = _overview(session, tap.services, tap.caller)
    await tap.query.answer()
    await edit(tap.query, screen)


def _choose(services: Services, cohort_id: int, first: Person | None, free: list[Person]) -> Screen:
    """Pick the first, then the second partner of a new pair, from those without one."""
    texts = services.texts
    if (first is None and len(free) < 2) or (first is not None and not free):
        return Screen(texts.render("pairs.too_few"), stacked([_back(services)]))
    if first is None:
        buttons = [
            Button(p.preferred_name or "?", callbacks.PAIR_FIRST(cohort_id, p.id or 0))
            for p in free
        ]
        return Screen(
            texts.render("pairs.pick_first"), stacked([*buttons[:SHOWN], _back(services)])
        )
    buttons = [
        Button(p.preferred_name or "?", callbacks.PAIR_SECOND(cohort_id, first.id or 0, p.id or 0))
        for p in free
    ]
    return Screen(
        texts.render("pairs.pick_second", name=first.preferred_name),
        stacked([*buttons[:SHOWN], _back(services)]),
    )


async def _candidates(tap: Tap, cohort_id: int, first_id: int | None) -> None:
    services = tap.services
    with services.db.transaction() as session:
        first, free = pairs.candidates(
            session, viewer_id=tap.caller.person_id, cohort_id=cohort_id, first_id=first_id
        )
    await tap.query.answer()
    await edit(tap.query, _choose(services, cohort_id, first, free))


@on_button(callbacks.PAIR_NEW, roles=STAFF)
async def new_button(tap: Tap) -> None:
    """A new pair in a cohort: choose the first partner."""
    await _candidates(tap, tap.values[0], None)


@on_button(callbacks.PAIR_FIRST, roles=STAFF)
async def first_button(tap: Tap) -> None:
    """The first partner chosen: choose the second."""
    cohort_id, first_id = tap.values
    await _candidates(tap, cohort_id, first_id)


@on_button(callbacks.PAIR_SECOND, roles=STAFF)
async def second_button(tap: Tap) -> None:
    """Both chosen: the pair is made and both are introduced."""
    services, (cohort_id, first_id, second_id) = tap.services, tap.values
    with services.db.transaction() as session:
        pair = pairs.make_pair(
            session,
            viewer_id=tap.caller.person_id,
            cohort_id=cohort_id,
            first_id=first_id,
            second_id=second_id,
            clock=services.clock,
            timetable=services.library.timetable,
        )
        made = pairs.managed_pair(session, viewer_id=tap.caller.person_id, pair_id=pair.id or 0)
    screen = Screen(
        services.texts.render("pairs.made", names=made.names), stacked([_back(services)])
    )
    await tap.query.answer()
    await edit(tap.query, screen)


@on_button(callbacks.PAIR_END_ASK, roles=STAFF)
async def end_ask_button(tap: Tap) -> None:
    """Unpair these two? (Only a pair in a cohort the viewer runs.)"""
    services, (pair_id,) = tap.services, tap.values
    texts = services.texts
    with services.db.transaction() as session:
        view = pairs.managed_pair(session, viewer_id=tap.caller.person_id, pair_id=pair_id)
    screen = Screen(
        texts.render("pairs.confirm_unpair", names=view.names),
        rows(
            [
                Button(texts.render("pairs.buttons.unpair_yes"), callbacks.PAIR_END(pair_id)),
                _back(services),
            ]
        ),
    )
    await tap.query.answer()
    await edit(tap.query, screen)


@on_button(callbacks.PAIR_END, roles=STAFF)
async def end_button(tap: Tap) -> None:
    """Unpair: the pair's own messages stop and the overview shows without them."""
    services, (pair_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        pairs.end_pair(
            session, viewer_id=tap.caller.person_id, pair_id=pair_id, clock=services.clock
        )
        screen = _overview(session, services, tap.caller)
    await tap.query.answer()
    await edit(tap.query, screen.with_text_before(services.texts.render("pairs.unpaired")))


# /pair, for partners.


def _pair_screen(services: Services, mine: pairs.MyPair | None) -> Screen:
    texts = services.texts
    if mine is None:
        return Screen(texts.render("pairs.none_yet"), rows(help_button(services)))
    name, stopped, nudges = mine.buddy.preferred_name, mine.stopped, mine.nudges
    relay = (
        Button(texts.render("pairs.buttons.resume"), callbacks.PAIR_RESUME())
        if stopped
        else Button(texts.render("pairs.buttons.stop"), callbacks.PAIR_STOP())
    )
    nudging = (
        Button(texts.render("pairs.buttons.nudges_off"), callbacks.PAIR_NUDGES("off"))
        if nudges
        else Button(texts.render("pairs.buttons.nudges_on"), callbacks.PAIR_NUDGES("on"))
    )
    return Screen(
        texts.render("pairs.yours", pair=name, stopped=stopped, nudges=nudges),
        stacked(
            [
                Button(texts.render("pairs.buttons.message", pair=name), callbacks.PAIR_WRITE()),
                relay,
                nudging,
                Button(texts.render("pairs.buttons.report"), callbacks.PAIR_REPORT()),
            ]
        ),
    )


@gate(roles=PARTNERS)
async def pair_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/pair: message your pair, and the choices about it."""
    services = context.services
    with services.db.transaction() as session:
        screen = _pair_screen(services, pairs.mine(session, person_id=caller.person_id))
    await reply(update, screen)


def _no_pair(services: Services) -> Screen:
    return Screen(services.texts.render("pairs.none_yet"), rows(help_button(services)))


async def _start_typing(tap: Tap, flow: str, prompt: str) -> None:
    """Wait for a message for the pair, or a report about them (the tapped message keeps
    its buttons: Stop and Report stay to hand)."""
    services = tap.services
    with services.db.transaction() as session:
        mine = pairs.mine(session, person_id=tap.caller.person_id)
        screen = (
            _no_pair(services)
            if mine is None
            else flows.ask(
                session,
                services,
                person_id=tap.caller.person_id,
                flow=flow,
                text=services.texts.render(prompt, pair=mine.buddy.preferred_name),
            )
        )
    await tap.query.answer()
    await reply(tap.update, screen)


@on_button(callbacks.PAIR_WRITE, roles=PARTNERS)
async def write_button(tap: Tap) -> None:
    """Write a message for your pair."""
    await _start_typing(tap, RELAY_FLOW, "pairs.write_prompt")


@on_button(callbacks.PAIR_REPORT, roles=PARTNERS)
async def report_button(tap: Tap) -> None:
    """Tell the facilitator about a problem with your pair."""
    await _start_typing(tap, REPORT_FLOW, "pairs.report_prompt")


async def _relay_stopped(tap: Tap, stopped: bool) -> None:
    services = tap.services
    texts = services.texts
    await settle(tap.query)
    with services.db.transaction() as session:
        mine = pairs.mine(session, person_id=tap.caller.person_id)
        if mine is not None:
            pairs.set_relay_stopped(
                session, person_id=tap.caller.person_id, stopped=stopped, clock=services.clock
            )
    if mine is None:
        await reply(tap.update, _no_pair(services))
        return
    key = "pairs.stopped" if stopped else "pairs.resumed"
    report = Button(texts.render("pairs.buttons.report"), callbacks.PAIR_REPORT())
    screen = Screen(
        texts.render(key, pair=mine.buddy.preferred_name), stacked([report, help_button(services)])
    )
    await reply(tap.update, screen)


@on_button(callbacks.PAIR_STOP, roles=PARTNERS)
async def stop_button(tap: Tap) -> None:
    """Stop messages from your pair."""
    await _relay_stopped(tap, True)


@on_button(callbacks.PAIR_RESUME, roles=PARTNERS)
async def resume_button(tap: Tap) -> None:
    """Take messages from your pair again."""
    await _relay_stopped(tap, False)


@on_button(callbacks.PAIR_NUDGES, roles=PARTNERS)
async def nudges_button(tap: Tap) -> None:
    """Check-in reminders about a quiet pair, on or off."""
    services, on = tap.services, tap.values[0] == "on"
    await settle(tap.query)
    with services.db.transaction() as session:
        mine = pairs.mine(session, person_id=tap.caller.person_id)
        if mine is not None:
            pairs.set_buddy_nudges(
                session, person_id=tap.caller.person_id, on=on, clock=services.clock
            )
    if mine is None:
        await reply(tap.update, _no_pair(services))
        return
    text = services.texts.render("pairs.nudges_now", on=on, pair=mine.buddy.preferred_name)
    await reply(tap.update, Screen(text, rows(help_button(services))))


def relay_text(turn: Turn, text: str) -> Reply:
    """A message for the pair: passed on under the sender's preferred name only."""
    services = turn.services
    texts = services.texts
    result = pairs.relay(
        turn.session, sender_id=turn.caller.person_id, text=text, clock=services.clock
    )
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    name = result.to.preferred_name if result.to else ""
    if result.refused:
        return Reply.of(
            Screen(texts.render(result.refused, pair=name), rows(help_button(services)))
        )
    another = Button(texts.render("pairs.buttons.another"), callbacks.PAIR_WRITE())
    return Reply.of(
        Screen(texts.render("pairs.sent", pair=name), rows(another, help_button(services)))
    )


def report_text(turn: Turn, text: str) -> Reply:
    """What went wrong with the pair, for the facilitator's eyes only."""
    services = turn.services
    texts = services.texts
    if not text.strip():
        return Reply.of(
            Screen(texts.render("pairs.report_empty"), stacked([cancel_button(services)]))
        )
    pairs.report_problem(
        turn.session, person_id=turn.caller.person_id, text=text, clock=services.clock
    )
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    return Reply.of(Screen(texts.render("pairs.reported"), rows(help_button(services))))


flows.register(RELAY_FLOW, relay_text)
flows.register(REPORT_FLOW, report_text)
