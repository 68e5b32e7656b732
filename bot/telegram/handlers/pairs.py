"""Pairs: /pairs for facilitators (pair and unpair), /pair for partners (message your pair
through the bot, stop those messages, report a problem, check-in reminders on or off)."""

from __future__ import annotations

from sqlmodel import Session
from telegram import Update

from bot.domain import cohorts, conversation, pairs
from bot.domain.errors import TandemError
from bot.models import Person, Role
from bot.telegram.common import STAFF, Caller, ask_for_text, cancel_button, gate
from bot.telegram.handlers.onboarding import Outcome
from bot.telegram.screens import error_screen, help_button
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, edit, reply, rows, settle, stacked

RELAY_FLOW = "pair_relay"
REPORT_FLOW = "pair_report"
PARTNERS = frozenset({Role.PARTNER})


# /pairs, for facilitators and coordinators.


def _overview(session: Session, services: Services, caller: Caller) -> Screen:
    texts = services.texts
    mine = cohorts.cohorts_for(session, person_id=caller.person_id)
    views = pairs.pairs_in(session, cohort_ids=[c.id or 0 for c in mine])
    names = {c.id: c.name for c in mine}
    buttons = [
        Button(texts.render("pairs.buttons.unpair", names=v.names), f"pp:u:{v.pair.id}")
        for v in views
    ]
    buttons += [
        Button(texts.render("pairs.buttons.new", cohort=c.name), f"pp:n:{c.id}") for c in mine[:6]
    ]
    listing = [(names.get(v.pair.cohort_id, ""), v.names) for v in views]
    return Screen(
        texts.render("pairs.overview", pairs=listing, cohorts=len(mine)),
        stacked([*buttons, help_button(services)]),
    )


@gate(roles=STAFF)
async def pairs_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/pairs: the pairs in your cohorts, with buttons to pair and unpair."""
    services = context.services
    with services.db.transaction() as session:
        screen = _overview(session, services, caller)
    await reply(update, screen)


def _choose(session: Session, services: Services, cohort_id: int, first: Person | None) -> Screen:
    """Pick the first, then the second partner of a new pair, from those without one."""
    texts = services.texts
    free = [p for p in pairs.unpaired_partners(session, cohort_id=cohort_id) if p != first]
    back = Button(texts.render("pairs.buttons.back"), "pp:list")
    if (first is None and len(free) < 2) or (first is not None and not free):
        return Screen(texts.render("pairs.too_few"), stacked([back]))
    if first is None:
        buttons = [Button(p.preferred_name or "?", f"pp:f:{cohort_id}:{p.id}") for p in free]
        return Screen(texts.render("pairs.pick_first"), stacked([*buttons[:40], back]))
    buttons = [Button(p.preferred_name or "?", f"pp:s:{cohort_id}:{first.id}:{p.id}") for p in free]
    return Screen(
        texts.render("pairs.pick_second", name=first.preferred_name),
        stacked([*buttons[:40], back]),
    )


@gate(roles=STAFF)
async def pairs_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """pp:list | pp:n:<cohort> | pp:f:<cohort>:<first> | pp:s:<cohort>:<first>:<second> |
    pp:u:<pair> (unpair?) | pp:U:<pair> (unpair)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services, texts = context.services, context.services.texts
    parts = query.data.split(":")
    action = parts[1]
    try:
        with services.db.transaction() as session:
            if action in ("n", "f"):
                cohort_id = int(parts[2])
                cohorts.require_runs(session, person_id=caller.person_id, cohort_id=cohort_id)
                first = session.get(Person, int(parts[3])) if action == "f" else None
                screen = _choose(session, services, cohort_id, first)
            elif action == "s":
                pair = pairs.make_pair(
                    session,
                    viewer_id=caller.person_id,
                    cohort_id=int(parts[2]),
                    first_id=int(parts[3]),
                    second_id=int(parts[4]),
                    clock=services.clock,
                    timetable=services.library.timetable,
                )
                made = pairs.view_of(session, pair_id=pair.id or 0)
                screen = Screen(
                    texts.render("pairs.made", names=made.names if made else ""),
                    stacked([Button(texts.render("pairs.buttons.back"), "pp:list")]),
                )
            elif action == "u":
                view = pairs.view_of(session, pair_id=int(parts[2]))
                screen = Screen(
                    texts.render("pairs.confirm_unpair", names=view.names if view else ""),
                    rows(
                        [
                            Button(texts.render("pairs.buttons.unpair_yes"), f"pp:U:{parts[2]}"),
                            Button(texts.render("pairs.buttons.back"), "pp:list"),
                        ]
                    ),
                )
            elif action == "U":
                pairs.end_pair(
                    session, viewer_id=caller.person_id, pair_id=int(parts[2]), clock=services.clock
                )
                screen = _overview(session, services, caller).with_text_before(
                    texts.render("pairs.unpaired")
                )
            else:
                screen = _overview(session, services, caller)
    except TandemError as error:
        await settle(query)
        await reply(update, error_screen(services, error))
        return
    await query.answer()
    await edit(query, screen)


# /pair, for partners.


def _pair_screen(session: Session, services: Services, caller: Caller) -> Screen:
    texts = services.texts
    pair = pairs.pair_of(session, person_id=caller.person_id)
    buddy = pairs.buddy_of(session, person_id=caller.person_id)
    if pair is None or buddy is None:
        return Screen(texts.render("pairs.none_yet"), rows(help_button(services)))
    stopped = (
        pair.first_stopped_relay
        if pair.first_id == caller.person_id
        else (pair.second_stopped_relay)
    )
    assert caller.person is not None
    nudges = caller.person.buddy_nudges
    name = buddy.preferred_name
    return Screen(
        texts.render("pairs.yours", pair=name, stopped=stopped, nudges=nudges),
        stacked(
            [
                Button(texts.render("pairs.buttons.message", pair=name), "pr:write"),
                Button(
                    texts.render("pairs.buttons.resume" if stopped else "pairs.buttons.stop"),
                    "pr:resume" if stopped else "pr:stop",
                ),
                Button(
                    texts.render(
                        "pairs.buttons.nudges_off" if nudges else "pairs.buttons.nudges_on"
                    ),
                    "pr:nudges:off" if nudges else "pr:nudges:on",
                ),
                Button(texts.render("pairs.buttons.report"), "pr:report"),
            ]
        ),
    )


@gate(roles=PARTNERS)
async def pair_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/pair: message your pair, and the choices about it."""
    services = context.services
    with services.db.transaction() as session:
        screen = _pair_screen(session, services, caller)
    await reply(update, screen)


@gate(roles=PARTNERS)
async def pair_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """pr:write | pr:stop | pr:resume | pr:report | pr:nudges:on|off."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services, texts = context.services, context.services.texts
    parts = query.data.split(":")
    action = parts[1]
    if action in ("write", "report"):
        await query.answer()  # keep the message's buttons: Stop and Report stay to hand
    else:
        await settle(query)
    try:
        with services.db.transaction() as session:
            buddy = pairs.buddy_of(session, person_id=caller.person_id)
            name = buddy.preferred_name if buddy is not None else None
            if buddy is None:
                screen: Screen | None = Screen(
                    texts.render("pairs.none_yet"), rows(help_button(services))
                )
            elif action in ("stop", "resume"):
                pairs.set_relay_stopped(
                    session, person_id=caller.person_id, stopped=action == "stop"
                )
                screen = Screen(
                    texts.render(
                        "pairs.stopped" if action == "stop" else "pairs.resumed", pair=name
                    ),
                    stacked(
                        [
                            Button(texts.render("pairs.buttons.report"), "pr:report"),
                            help_button(services),
                        ]
                    ),
                )
            elif action == "nudges":
                on = parts[2] == "on"
                pairs.set_buddy_nudges(session, person_id=caller.person_id, on=on)
                screen = Screen(
                    texts.render("pairs.nudges_now", on=on, pair=name), rows(help_button(services))
                )
            else:
                screen = None
    except TandemError as error:
        await reply(update, error_screen(services, error))
        return
    if screen is not None:
        await reply(update, screen)
        return
    flow, key = (
        (REPORT_FLOW, "pairs.report_prompt")
        if action == "report"
        else (
            RELAY_FLOW,
            "pairs.write_prompt",
        )
    )
    await ask_for_text(
        update,
        services,
        person_id=caller.person_id,
        flow=flow,
        data={},
        text=texts.render(key, pair=name),
    )


def relay_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], text: str
) -> Outcome:
    """A message for the pair: passed on under the sender's preferred name only."""
    texts = services.texts
    try:
        result = pairs.relay(session, sender_id=caller.person_id, text=text, clock=services.clock)
    except TandemError as error:
        return Outcome(screens=[error_screen(services, error)])
    conversation.clear_state(session, person_id=caller.person_id)
    name = result.to.preferred_name if result.to else ""
    if result.refused:
        return Outcome(
            screens=[Screen(texts.render(result.refused, pair=name), rows(help_button(services)))]
        )
    return Outcome(
        screens=[
            Screen(
                texts.render("pairs.sent", pair=name),
                rows(
                    Button(texts.render("pairs.buttons.another"), "pr:write"), help_button(services)
                ),
            )
        ]
    )


def report_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], text: str
) -> Outcome:
    """What went wrong with the pair, for the facilitator's eyes only."""
    texts = services.texts
    if not text.strip():
        return Outcome(
            screens=[Screen(texts.render("pairs.report_empty"), stacked([cancel_button(services)]))]
        )
    try:
        pairs.report_problem(session, person_id=caller.person_id, text=text, clock=services.clock)
    except TandemError as error:
        return Outcome(screens=[error_screen(services, error)])
    conversation.clear_state(session, person_id=caller.person_id)
    return Outcome(screens=[Screen(texts.render("pairs.reported"), rows(help_button(services)))])
