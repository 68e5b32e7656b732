"""/reflect and /journal: reflection conversations that never lose an answer."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from telegram import CallbackQuery, Message, Update

from bot.domain import conversation, notices, people, reflections, review
from bot.domain.answers import Voice
from bot.domain.consent import keeps_reflections
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.reflections import Position
from bot.models import Meeting, Person, ReflectionStatus, Sharing
from bot.telegram.common import Caller, gate, plain
from bot.telegram.handlers.onboarding import Outcome, deliver
from bot.telegram.screens import error_screen, help_button
from bot.telegram.screens.reflect import (
    change_sharing_screen,
    finished_screen,
    intro_screen,
    journal_screen,
    menu_screen,
    no_consent_screen,
    prompt_context,
    question_screen,
    sharing_screen,
    unfinished_screen,
)
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Screen, edit, reply, rows, settle

FLOW = "reflect"


def _context(session: Session, person: Person, meeting_id: int | None = None) -> dict[str, object]:
    assert person.id is not None
    places = people.cohorts_of(session, person_id=person.id)
    context = prompt_context(person.preferred_name or "", places[0].cohort.name if places else "")
    meeting = session.get(Meeting, meeting_id) if meeting_id else None
    if meeting is not None:
        context["meeting"] = meeting.title
    return context


@gate()
async def meeting_prompt_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """rm:<meeting>:<prompt set>: start (or carry on) the reflection a scheduled prompt offers."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    _, meeting_text, set_id = query.data.split(":")
    meeting_id = int(meeting_text) or None
    prompt_set = services.library.prompt_sets.get(set_id)
    await settle(query)
    if prompt_set is None:
        await reply(update, menu_screen(services))
        return
    with services.db.transaction() as session:
        existing = reflections.for_meeting(
            session, person_id=caller.person_id, meeting_id=meeting_id, prompt_set=set_id
        )
        if existing is not None and existing.status == ReflectionStatus.FINISHED:
            outcome = Outcome(
                screens=[
                    Screen(
                        services.texts.render("reflect.already_done"), rows(help_button(services))
                    )
                ]
            )
        elif existing is not None and existing.id is not None:
            position = reflections.resume(
                session,
                person_id=caller.person_id,
                reflection_id=existing.id,
                prompt_sets=services.library.prompt_sets,
            )
            outcome = _show(session, services, caller, position)
        else:
            try:
                position = reflections.start(
                    session,
                    person_id=caller.person_id,
                    prompt_set=prompt_set,
                    clock=services.clock,
                    meeting_id=meeting_id,
                )
            except NotAllowed:
                outcome = Outcome(screens=[no_consent_screen(services)])
            else:
                outcome = _show(session, services, caller, position, intro=True)
    await deliver(update, context, outcome)


@gate()
async def reflect_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/reflect: carry on an unfinished reflection, or choose what to reflect on."""
    services = context.services
    with services.db.transaction() as session:
        if not keeps_reflections(session, person_id=caller.person_id):
            screen = no_consent_screen(services)
        elif (open_one := reflections.unfinished(session, person_id=caller.person_id)) is not None:
            assert open_one.id is not None
            position = reflections.resume(
                session,
                person_id=caller.person_id,
                reflection_id=open_one.id,
                prompt_sets=services.library.prompt_sets,
            )
            screen = unfinished_screen(services, position)
        else:
            screen = menu_screen(services)
    await reply(update, screen)


@gate()
async def start_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """rs:<prompt set>: begin a reflection (rs:menu shows the choices again)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    chosen = query.data.removeprefix("rs:")
    prompt_set = services.library.prompt_sets.get(chosen)
    await settle(query)
    if prompt_set is None:
        await reply(update, menu_screen(services))
        return
    with services.db.transaction() as session:
        try:
            position = reflections.start(
                session, person_id=caller.person_id, prompt_set=prompt_set, clock=services.clock
            )
        except NotAllowed:
            outcome = Outcome(screens=[no_consent_screen(services)])
        else:
            outcome = _show(session, services, caller, position, intro=True)
    await deliver(update, context, outcome)


@gate()
async def choice_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """rc:<reflection>:carry|new|discard for an unfinished reflection."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    _, rid_text, action = query.data.split(":")
    await settle(query)
    with services.db.transaction() as session:
        if action == "carry":
            position = reflections.resume(
                session,
                person_id=caller.person_id,
                reflection_id=int(rid_text),
                prompt_sets=services.library.prompt_sets,
            )
            outcome = _show(session, services, caller, position)
        else:
            reflections.discard(
                session,
                person_id=caller.person_id,
                reflection_id=int(rid_text),
                clock=services.clock,
            )
            conversation.clear_state(session, person_id=caller.person_id)
            key = "reflect.discarded" if action == "discard" else None
            screens = [Screen(services.texts.render(key))] if key else []
            outcome = Outcome(screens=[*screens, menu_screen(services)])
    await deliver(update, context, outcome)


@gate()
async def answer_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """r:<reflection>:<question>:<what>: an answer, a tick, skip, back, later or sharing."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    _, rid_text, question_id, *action = query.data.split(":")
    rid = int(rid_text)
    with services.db.transaction() as session:
        before = reflections.resume(
            session,
            person_id=caller.person_id,
            reflection_id=rid,
            prompt_sets=services.library.prompt_sets,
        )
        refusal = None
        try:
            position = _apply(session, services, caller, rid, question_id, action)
        except InvalidInput as error:
            refusal = plain(error_screen(services, error).text)
            position = None
        if position is None:
            outcome = Outcome(toast=refusal)
        elif action == ["later"]:
            conversation.clear_state(session, person_id=caller.person_id)
            outcome = Outcome(
                screens=[
                    Screen(services.texts.render("reflect.later"), rows(help_button(services)))
                ]
            )
        else:
            outcome = _show(session, services, caller, position)
    await _respond(query, update, context, services, before, position, action, outcome)


def _apply(
    session: Session,
    services: Services,
    caller: Caller,
    rid: int,
    question_id: str,
    action: list[str],
) -> Position:
    common: dict[str, Any] = {
        "session": session,
        "person_id": caller.person_id,
        "reflection_id": rid,
        "prompt_sets": services.library.prompt_sets,
    }
    clock = services.clock
    match action:
        case ["n", value] if value.isdigit():
            return reflections.answer(
                **common, question_id=question_id, clock=clock, number=int(value)
            )
        case ["c", value]:
            return reflections.answer(**common, question_id=question_id, clock=clock, choice=value)
        case ["t", value]:
            return reflections.toggle(**common, question_id=question_id, choice=value, clock=clock)
        case ["done"]:
            return reflections.done(**common, question_id=question_id, clock=clock)
        case ["skip"]:
            return reflections.skip(**common, question_id=question_id, clock=clock)
        case ["back"]:
            return reflections.back(**common, clock=clock)
        case ["share", level] if level in {s.value for s in Sharing}:
            return reflections.finish(**common, sharing=Sharing(level), clock=clock)
    return reflections.resume(**common)


async def _respond(
    query: CallbackQuery,
    update: Update,
    context: TandemContext,
    services: Services,
    before: Position,
    position: Position | None,
    action: list[str],
    outcome: Outcome,
) -> None:
    """Settle the tapped message (ticks are shown in place), then send what comes next."""
    if position is None:
        await query.answer(outcome.toast, show_alert=True)
        return
    if position.stale:
        await query.answer(plain(services.texts.render("reflect.stale_toast")))
        await deliver(update, context, outcome)
        return
    if action and action[0] == "t" and position.question is not None:
        await query.answer()
        await edit(query, outcome.screens[-1])
        return
    await settle(query)
    await deliver(update, context, outcome)


def _show(
    session: Session,
    services: Services,
    caller: Caller,
    position: Position,
    *,
    intro: bool = False,
) -> Outcome:
    """The screens for where a reflection now stands; keeps the conversation state in step."""
    assert caller.person is not None and position.reflection.id is not None
    context = _context(session, caller.person, position.reflection.meeting_id)
    if position.finished:
        conversation.clear_state(session, person_id=caller.person_id)
        _ask_for_contact(session, services, caller.person, position)
        return Outcome(screens=[finished_screen(services, position, context)])
    conversation.set_state(
        session,
        person_id=caller.person_id,
        flow=FLOW,
        step=position.question.id if position.question else "sharing",
        data={"reflection_id": position.reflection.id},
        clock=services.clock,
    )
    screens = [intro_screen(services, position.prompt_set, context)] if intro else []
    if position.question is None:
        screens.append(sharing_screen(services, position))
    else:
        screens.append(question_screen(services, position, context))
    return Outcome(screens=screens)


def _ask_for_contact(
    session: Session, services: Services, person: Person, position: Position
) -> None:
    """A partner asked for a facilitator to get in touch: tell the cohort's facilitators."""
    if not position.reflection.wants_contact or person.id is None:
        return
    notices.notify(
        session,
        person_ids=notices.facilitator_ids(
            session, cohort_ids=notices.cohort_ids_of(session, person_id=person.id)
        ),
        key="notify.contact",
        clock=services.clock,
        params={"name": person.preferred_name or "", "title": position.reflection.title},
        about=person.id,
    )


def reflection_answer(
    session: Session,
    services: Services,
    caller: Caller,
    data: dict[str, object],
    *,
    text: str | None = None,
    voice: Voice | None = None,
) -> Outcome:
    """Typed text or a voice note while a reflection question is waiting."""
    rid = data.get("reflection_id")
    assert isinstance(rid, int) and caller.person is not None
    current = reflections.resume(
        session,
        person_id=caller.person_id,
        reflection_id=rid,
        prompt_sets=services.library.prompt_sets,
    )
    if current.question is None:
        return _show(session, services, caller, current)
    try:
        position = reflections.answer(
            session,
            person_id=caller.person_id,
            reflection_id=rid,
            question_id=current.question.id,
            clock=services.clock,
            prompt_sets=services.library.prompt_sets,
            text=text,
            voice=voice,
        )
    except InvalidInput as error:
        shown = _show(session, services, caller, current)
        note = error_screen(services, error).text
        return Outcome(screens=[shown.screens[-1].with_text_before(note)])
    return _show(session, services, caller, position)


def reflection_not_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], kind: str
) -> Outcome:
    """A sticker, photo or the like while a reflection question is waiting."""
    rid = data.get("reflection_id")
    assert isinstance(rid, int)
    current = reflections.resume(
        session,
        person_id=caller.person_id,
        reflection_id=rid,
        prompt_sets=services.library.prompt_sets,
    )
    shown = _show(session, services, caller, current)
    note = services.texts.render("reflect.not_text", kind=kind)
    return Outcome(screens=[shown.screens[-1].with_text_before(note)])


@gate()
async def journal_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/journal: read your own reflections, newest first."""
    await reply(update, _journal(context.services, caller, 0))


def _journal(services: Services, caller: Caller, index: int) -> Screen:
    assert caller.person is not None
    with services.db.transaction() as session:
        view, total = review.journal_page(
            session,
            person_id=caller.person_id,
            index=index,
            prompt_sets=services.library.prompt_sets,
        )
    return journal_screen(services, view, index, total, caller.person.time_zone)


@gate()
async def journal_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """j:<index> pages the journal; js:<reflection>[:<level>] changes who may read one."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    parts = query.data.split(":")
    if parts[0] == "j":
        await query.answer()
        screen = _journal(services, caller, int(parts[1]) if parts[1].isdigit() else 0)
        if isinstance(query.message, Message):
            await edit(query, screen)
        else:
            await reply(update, screen)
        return
    with services.db.transaction() as session:
        if len(parts) == 3 and parts[2] in {s.value for s in Sharing}:
            reflection = reflections.change_sharing(
                session,
                person_id=caller.person_id,
                reflection_id=int(parts[1]),
                sharing=Sharing(parts[2]),
                clock=services.clock,
            )
            text = services.texts.render(
                "journal.shared",
                title=reflection.title,
                sharing=services.texts.render(f"reflect.sharing.said.{parts[2]}"),
            )
            screen = Screen(text, rows(help_button(services)))
        else:
            reflection = reflections.resume(
                session,
                person_id=caller.person_id,
                reflection_id=int(parts[1]),
                prompt_sets=services.library.prompt_sets,
            ).reflection
            screen = change_sharing_screen(services, reflection)
    await settle(query)
    await reply(update, screen)
