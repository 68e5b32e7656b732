"""/reflect and /journal: reflection conversations that never lose an answer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from telegram import Update

from bot.db import Session
from bot.domain import conversation, meetings, open_reflections, people, reflections, review
from bot.domain.answers import Voice
from bot.domain.consent import keeps_reflections
from bot.domain.errors import InvalidInput, NotAllowed
from bot.domain.reflections import Position
from bot.library.prompts import PromptSet
from bot.models import ReflectionStatus, Sharing
from bot.telegram import callbacks, flows
from bot.telegram.common import Caller, gate, plain
from bot.telegram.flows import Reply, Tap, Turn, deliver, on_button
from bot.telegram.handlers.notes import keep_words
from bot.telegram.screens import error_screen, help_button
from bot.telegram.screens.bookings import offer_screen
from bot.telegram.screens.reflect import (
    answer_words,
    finished_screen,
    intro_screen,
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


def _context(
    session: Session, caller: Caller, meeting_id: int | None, templates: Iterable[str]
) -> dict[str, object]:
    """What a prompt's words may use: the person's name, cohort and meeting. The cohort and
    the meeting are read only for `templates` that name them (most questions name neither,
    and each answer would otherwise pay a query for words nobody shows)."""
    assert caller.person is not None
    words = " ".join(templates)
    names = (
        people.programme_of(session, person_id=caller.person_id).cohort_names
        if "cohort" in words
        else ()
    )
    context = prompt_context(caller.person.preferred_name or "", names[0] if names else "")
    if meeting_id and "meeting" in words:
        context["meeting"] = meetings.title_of(session, meeting_id=meeting_id)
    return context


def _begin(
    session: Session,
    services: Services,
    caller: Caller,
    prompt_set: PromptSet,
    meeting_id: int | None = None,
) -> Reply:
    """A new reflection, from its introduction (or why it cannot be kept)."""
    try:
        position = reflections.start(
            session,
            person_id=caller.person_id,
            prompt_set=prompt_set,
            clock=services.clock,
            meeting_id=meeting_id,
        )
    except NotAllowed:  # no consent to keep reflections: say how to give it
        return Reply.of(no_consent_screen(services))
    return _show(session, services, caller, position, intro=True)


def _resume(session: Session, services: Services, caller: Caller, reflection_id: int) -> Position:
    return reflections.resume(
        session,
        person_id=caller.person_id,
        reflection_id=reflection_id,
        prompt_sets=services.library.prompt_sets,
    )


@on_button(callbacks.MEETING_PROMPT)
async def meeting_prompt_button(tap: Tap) -> None:
    """Start (or carry on) the reflection a scheduled prompt offers."""
    services, caller, (meeting_number, set_id) = tap.services, tap.caller, tap.values
    meeting_id = meeting_number or None
    prompt_set = services.library.prompt_sets.get(set_id)
    await settle(tap.query)
    if prompt_set is None:
        await reply(tap.update, menu_screen(services))
        return
    with services.db.transaction() as session:
        existing = open_reflections.for_meeting(
            session, person_id=caller.person_id, meeting_id=meeting_id, prompt_set=set_id
        )
        if existing is not None and existing.status == ReflectionStatus.FINISHED:
            done = services.texts.render("reflect.already_done")
            answer = Reply.of(Screen(done, rows(help_button(services))))
        elif existing is not None and existing.id is not None:
            answer = _show(
                session, services, caller, _resume(session, services, caller, existing.id)
            )
        else:
            answer = _begin(session, services, caller, prompt_set, meeting_id)
    await deliver(tap.update, answer)


@gate()
async def reflect_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/reflect: carry on an unfinished reflection, or choose what to reflect on."""
    services = context.services
    with services.db.transaction() as session:
        if not keeps_reflections(session, person_id=caller.person_id):
            screen = no_consent_screen(services)
        elif (
            open_one := open_reflections.unfinished(session, person_id=caller.person_id)
        ) is not None:
            assert open_one.id is not None
            screen = unfinished_screen(services, _resume(session, services, caller, open_one.id))
        else:
            screen = menu_screen(services)
    await reply(update, screen)


@on_button(callbacks.REFLECT)
async def start_button(tap: Tap) -> None:
    """Begin a reflection with this prompt set (rs:menu shows the choices again)."""
    services, (chosen,) = tap.services, tap.values
    prompt_set = services.library.prompt_sets.get(chosen)
    await settle(tap.query)
    if prompt_set is None:
        await reply(tap.update, menu_screen(services))
        return
    with services.db.transaction() as session:
        answer = _begin(session, services, tap.caller, prompt_set)
    await deliver(tap.update, answer)


@on_button(callbacks.UNFINISHED)
async def choice_button(tap: Tap) -> None:
    """Carry on, start again, or discard an unfinished reflection."""
    services, caller, (reflection_id, action) = tap.services, tap.caller, tap.values
    await settle(tap.query)
    with services.db.transaction() as session:
        if action == "carry":
            position = _resume(session, services, caller, reflection_id)
            answer = _show(session, services, caller, position)
        else:
            reflections.discard(
                session,
                person_id=caller.person_id,
                reflection_id=reflection_id,
                clock=services.clock,
            )
            conversation.clear_state(session, person_id=caller.person_id)
            said = (
                [Screen(services.texts.render("reflect.discarded"))] if action == "discard" else []
            )
            answer = Reply([*said, menu_screen(services)])
    await deliver(tap.update, answer)


@on_button(callbacks.ANSWER)
async def answer_button(tap: Tap) -> None:
    """An answer, a tick, skip, back, later or sharing, on a reflection's question."""
    services, caller, (rid, question_id, action_text) = tap.services, tap.caller, tap.values
    action = action_text.split(":")
    try:
        with services.db.transaction() as session:
            position = _apply(session, services, caller, rid, question_id, action)
            answer = _after(session, services, caller, position, action)
            shown = _confirmation(services, position, question_id, action)
    except InvalidInput as error:
        # Not a refusal to report: the question stays, and a toast says why.
        await tap.query.answer(plain(error_screen(services, error).text), show_alert=True)
        return
    if position.stale:
        await tap.query.answer(plain(services.texts.render("reflect.stale_toast")))
    elif action[0] == "t" and position.question is not None:
        await tap.query.answer()
        await edit(tap.query, answer.screens[-1])  # ticks are shown in place
        return
    else:
        await settle(tap.query, shown=shown)
    await deliver(tap.update, answer)


def _confirmation(
    services: Services, position: Position, question_id: str, action: list[str]
) -> str | None:
    """What the answered question shows under it once tapped: the answer in words for an
    answer ("✓ 5 out of 5: Very well"), nothing for Back, the button's label otherwise."""
    if action == ["back"]:
        return ""
    if action[0] in ("n", "c", "done", "skip"):
        return review.given_words(
            position.answers, position.prompt_set, question_id, answer_words(services)
        )
    return None


def _after(
    session: Session, services: Services, caller: Caller, position: Position, action: list[str]
) -> Reply:
    """What to show once a tap is applied: "Finish later" ends the conversation for now."""
    if action == ["later"]:
        conversation.clear_state(session, person_id=caller.person_id)
        later = services.texts.render("reflect.later")
        return Reply.of(Screen(later, rows(help_button(services))))
    return _show(session, services, caller, position)


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


def _show(
    session: Session,
    services: Services,
    caller: Caller,
    position: Position,
    *,
    intro: bool = False,
) -> Reply:
    """The screens for where a reflection now stands; keeps the conversation state in step."""
    assert position.reflection.id is not None
    prompt_set, question = position.prompt_set, position.question
    shown = (
        [prompt_set.thanks]
        if position.finished
        else [question.text if question else "", prompt_set.intro if intro else ""]
    )
    context = _context(session, caller, position.reflection.meeting_id, shown)
    if position.finished:
        conversation.clear_state(session, person_id=caller.person_id)
        finished = finished_screen(services, position, context)
        if position.offer is None:
            return Reply.of(finished)
        # Issue 18: a check-in that asked for a one-to-one offers the next free times.
        assert caller.person is not None
        zone, now = caller.person.time_zone, services.clock.now()
        return Reply.of(finished, offer_screen(services, position.offer, zone, now))
    conversation.set_state(
        session,
        person_id=caller.person_id,
        flow=FLOW,
        step=position.question.id if position.question else "sharing",
        data={"reflection_id": position.reflection.id},
        clock=services.clock,
    )
    screen = (
        sharing_screen(services, position)
        if position.question is None
        else question_screen(services, position, context)
    )
    if intro:
        # One message, not two: the words before the first question open it (a second message
        # at once also spends the chat's short burst with Telegram).
        screen = screen.with_text_before(intro_screen(services, position.prompt_set, context).text)
    return Reply.of(screen)


def _typed(turn: Turn, *, text: str | None = None, voice: Voice | None = None) -> Reply:
    """Typed text or a voice note while a reflection question is waiting."""
    session, services, caller = turn.session, turn.services, turn.caller
    rid = turn.data.get("reflection_id")
    assert isinstance(rid, int)
    try:
        position = reflections.answer_waiting(
            session,
            person_id=caller.person_id,
            reflection_id=rid,
            clock=services.clock,
            prompt_sets=services.library.prompt_sets,
            text=text,
            voice=voice,
        )
    except InvalidInput as error:
        current = _resume(session, services, caller, rid)
        shown = _show(session, services, caller, current)
        if error.key == "reflect.use_buttons" and current.question is not None:
            # Words for a question that wants a tap: kept as a note (never lost, never this
            # question's answer), then the question again.
            at_step = f"reflect.{current.question.id}"
            kept = keep_words(session, services, caller, text=text, voice=voice, at_step=at_step)
            return Reply([kept, shown.screens[-1]])
        # An answer to put right (empty, say): the same question, with why.
        return Reply.of(shown.screens[-1].with_text_before(error_screen(services, error).text))
    return _show(session, services, caller, position)


def reflection_text(turn: Turn, text: str) -> Reply:
    """A typed answer."""
    return _typed(turn, text=text)


def reflection_voice(turn: Turn, voice: Voice) -> Reply:
    """A voice note as an answer."""
    return _typed(turn, voice=voice)


def reflection_other(turn: Turn, kind: str) -> Reply:
    """A sticker, photo or the like while a reflection question is waiting."""
    rid = turn.data.get("reflection_id")
    assert isinstance(rid, int)
    current = _resume(turn.session, turn.services, turn.caller, rid)
    shown = _show(turn.session, turn.services, turn.caller, current)
    note = turn.services.texts.render("reflect.not_text", kind=kind)
    return Reply.of(shown.screens[-1].with_text_before(note))


flows.register(
    FLOW,
    reflection_text,
    voice=reflection_voice,
    other=reflection_other,
    keeps_on_cancel=True,
    private=True,
)
