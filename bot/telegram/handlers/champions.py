"""/champions for partners (issue 18): answer being asked to be a champion, see one's mentees
(first names and attendance only) or one's mentor, message each other through the bot, stop
those messages, report a problem, step down. Staff's side is in champions_staff.py."""

from __future__ import annotations

from telegram import Update

from bot.db import Session
from bot.domain import champions, conversation
from bot.models import Role
from bot.telegram import callbacks, flows
from bot.telegram.common import PARTNERS, STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, cancel_button, on_button
from bot.telegram.handlers.champions_staff import staff_overview
from bot.telegram.screens import help_button
from bot.telegram.screens.champions import partner_screen, step_down_screen
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, rows, settle, stacked

RELAY_FLOW = "mentor_relay"
REPORT_FLOW = "mentor_report"


def _home(session: Session, services: Services, caller: Caller) -> Screen:
    assert caller.person is not None
    home = champions.partner_home(session, person_id=caller.person_id, clock=services.clock)
    return partner_screen(services, home, caller.person)


@gate(roles=PARTNERS | STAFF)
async def champions_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/champions: a partner's mentees or mentor; staff's champions in their cohorts."""
    services = context.services
    assert caller.person is not None
    with services.db.transaction() as session:
        if caller.person.role == Role.PARTNER:
            screen = _home(session, services, caller)
        else:
            screen = staff_overview(session, services, caller)
    await reply(update, screen)


@on_button(callbacks.CHAMPIONS, roles=PARTNERS)
async def home_button(tap: Tap) -> None:
    """Back to a partner's champions screen."""
    with tap.services.db.transaction() as session:
        screen = _home(session, tap.services, tap.caller)
    await settle(tap.query, shown="")
    await reply(tap.update, screen)


@on_button(callbacks.CHAMPION_ANSWER, roles=PARTNERS)
async def answer_button(tap: Tap) -> None:
    """Yes, I'd like to / Not now: the facilitator is told."""
    services, (champion_id, choice) = tap.services, tap.values
    with services.db.transaction() as session:
        champions.answer(
            session,
            person_id=tap.caller.person_id,
            champion_id=champion_id,
            accept=choice == "yes",
            clock=services.clock,
        )
    key = "champions.accepted" if choice == "yes" else "champions.declined"
    await settle(tap.query)
    await reply(tap.update, Screen(services.texts.render(key), rows(help_button(services))))


@on_button(callbacks.CHAMPION_STEP_DOWN, roles=PARTNERS)
async def step_down_button(tap: Tap) -> None:
    """Step down as a champion: asked first, then done (mentees are told kindly)."""
    services, (champion_id, choice) = tap.services, tap.values
    person_id = tap.caller.person_id
    with services.db.transaction() as session:
        _, mentees = champions.own(session, person_id=person_id, champion_id=champion_id)
        if choice == "yes":
            champions.step_down(
                session, person_id=person_id, champion_id=champion_id, clock=services.clock
            )
    if choice == "ask":
        await settle(tap.query, shown="")
        await reply(tap.update, step_down_screen(services, champion_id, mentees))
        return
    await settle(tap.query)
    text = services.texts.render("champions.stepped_down")
    await reply(tap.update, Screen(text, rows(help_button(services))))


@on_button(callbacks.MENTOR_ANSWER, roles=PARTNERS)
async def offer_button(tap: Tap) -> None:
    """A new partner takes up the mentor offered, or says no thanks."""
    services, (mentorship_id, choice) = tap.services, tap.values
    texts = services.texts
    with services.db.transaction() as session:
        mentorship = champions.answer_offer(
            session,
            person_id=tap.caller.person_id,
            mentorship_id=mentorship_id,
            accept=choice == "yes",
            clock=services.clock,
        )
        name = (
            champions.other_in(
                session, person_id=tap.caller.person_id, mentorship_id=mentorship_id
            ).preferred_name
            if choice == "yes"
            else None
        )
    await settle(tap.query)
    if name is None:
        await reply(
            tap.update,
            Screen(texts.render("champions.offer_declined"), rows(help_button(services))),
        )
        return
    write = Button(
        texts.render("champions.buttons.message_name", name=name),
        callbacks.MENTOR_WRITE(mentorship.id or 0),
    )
    screen = Screen(
        texts.render("champions.intro_mentee", name=name), stacked([write, help_button(services)])
    )
    await reply(tap.update, screen)


async def _start_typing(tap: Tap, flow: str, prompt: str) -> None:
    services, (mentorship_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        other = champions.other_in(
            session, person_id=tap.caller.person_id, mentorship_id=mentorship_id
        )
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=flow,
            text=services.texts.render(prompt, name=other.preferred_name),
            data={"mentorship": mentorship_id},
        )
    await tap.query.answer()
    await reply(tap.update, screen)


@on_button(callbacks.MENTOR_WRITE, roles=PARTNERS)
async def write_button(tap: Tap) -> None:
    """Write a message for one's mentor or mentee."""
    await _start_typing(tap, RELAY_FLOW, "champions.write_prompt")


@on_button(callbacks.MENTOR_REPORT, roles=PARTNERS)
async def report_button(tap: Tap) -> None:
    """Tell the facilitator about a problem in the mentoring."""
    await _start_typing(tap, REPORT_FLOW, "champions.report_prompt")


@on_button(callbacks.MENTOR_STOP, roles=PARTNERS)
async def stop_button(tap: Tap) -> None:
    """Stop (or restart) messages from the other person of the mentoring."""
    services, (mentorship_id, choice) = tap.services, tap.values
    with services.db.transaction() as session:
        other = champions.set_relay_stopped(
            session,
            person_id=tap.caller.person_id,
            mentorship_id=mentorship_id,
            stopped=choice == "stop",
        )
    await settle(tap.query)
    key = "champions.stopped" if choice == "stop" else "champions.resumed"
    report = Button(
        services.texts.render("champions.buttons.report"), callbacks.MENTOR_REPORT(mentorship_id)
    )
    text = services.texts.render(key, name=other.preferred_name)
    await reply(tap.update, Screen(text, stacked([report, help_button(services)])))


@on_button(callbacks.MENTOR_FINE, roles=PARTNERS)
async def fine_button(tap: Tap) -> None:
    """A champion's "All good" after a check-in prompt: thanked, nothing else."""
    services, (mentorship_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        other = champions.other_in(
            session, person_id=tap.caller.person_id, mentorship_id=mentorship_id
        )
    await settle(tap.query)
    text = services.texts.render("champions.all_good", name=other.preferred_name)
    await reply(tap.update, Screen(text, rows(help_button(services))))


def relay_text(turn: Turn, text: str) -> Reply:
    """A message for one's mentor or mentee: passed on under one's first name only."""
    services = turn.services
    texts = services.texts
    mentorship_id = int(turn.data.get("mentorship", 0))
    result = champions.relay(
        turn.session,
        sender_id=turn.caller.person_id,
        mentorship_id=mentorship_id,
        text=text,
        clock=services.clock,
    )
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    name = result.to.preferred_name if result.to else ""
    if result.refused:
        return Reply.of(
            Screen(texts.render(result.refused, name=name), rows(help_button(services)))
        )
    another = Button(
        texts.render("champions.buttons.another"), callbacks.MENTOR_WRITE(mentorship_id)
    )
    return Reply.of(
        Screen(texts.render("champions.sent", name=name), rows(another, help_button(services)))
    )


def report_text(turn: Turn, text: str) -> Reply:
    """What went wrong in the mentoring, for the facilitator's eyes only."""
    services = turn.services
    texts = services.texts
    if not text.strip():
        return Reply.of(
            Screen(texts.render("champions.report_empty"), stacked([cancel_button(services)]))
        )
    champions.report_problem(
        turn.session,
        person_id=turn.caller.person_id,
        mentorship_id=int(turn.data.get("mentorship", 0)),
        text=text,
        clock=services.clock,
    )
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    return Reply.of(Screen(texts.render("champions.reported"), rows(help_button(services))))


flows.register(RELAY_FLOW, relay_text)
flows.register(REPORT_FLOW, report_text)
