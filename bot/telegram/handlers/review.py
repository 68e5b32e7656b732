"""/review on the phone: shared reflections, Flag, Reply, and "You said, we did"."""

from __future__ import annotations

from datetime import datetime

from telegram import Message, Update

from bot.domain import conversation, meeting_lists, outcomes, questions, review
from bot.domain.review import ReflectionView
from bot.domain.when import local_date_label, local_time_label
from bot.telegram import callbacks, flows
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, on_button
from bot.telegram.screens import help_button
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, edit, reply, rows, settle, stacked

REPLY_FLOW = "review_reply"
OUTCOME_FLOW = "outcome"


def _filters(token: str) -> tuple[str | None, int | None]:
    """(prompt set, meeting id) from a paging token: `s.<set>`, `m.<id>` or `all`."""
    if token.startswith("s."):
        return token[2:], None
    if token.startswith("m.") and token[2:].isdigit():
        return None, int(token[2:])
    return None, None


def _int_or_none(value: object) -> int | None:
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None


def _page(services: Services, caller: Caller, index: int, token: str) -> Screen:
    prompt_set, meeting_id = _filters(token)
    with services.db.transaction() as session:
        views = review.for_review(
            session,
            viewer_id=caller.person_id,
            prompt_sets=services.library.prompt_sets,
            clock=services.clock,
            limit=2,
            offset=max(0, index),
            prompt_set=prompt_set,
            meeting_id=meeting_id,
        )
    texts = services.texts
    if not views:
        return Screen(
            texts.render("review.empty"),
            rows(
                Button(texts.render("review.buttons.filter"), callbacks.REVIEW_FILTERS()),
                help_button(services),
            ),
        )
    view, more = views[0], len(views) > 1
    assert caller.person is not None
    return Screen(
        _card(services, view, index, caller.person.time_zone),
        _buttons(services, view, index, token, more),
    )


def _card(services: Services, view: ReflectionView, index: int, zone: str) -> str:
    return services.texts.render(
        "review.card",
        title=view.title,
        author=view.author,
        number=index + 1,
        when=local_time_label(view.finished_at, zone, now=services.clock.now())
        if view.finished_at
        else "",
        flagged=view.flagged,
        contact=view.wants_contact,
        answers=[(a.question, a.answer) for a in view.answers if not a.skipped],
    )


def _buttons(
    services: Services, view: ReflectionView, index: int, token: str, more: bool
) -> tuple[tuple[Button, ...], ...]:
    texts = services.texts
    paging = []
    if more:
        paging.append(
            Button(texts.render("journal.buttons.older"), callbacks.REVIEW_PAGE(index + 1, token))
        )
    if index > 0:
        paging.append(
            Button(texts.render("journal.buttons.newer"), callbacks.REVIEW_PAGE(index - 1, token))
        )
    flag = "review.buttons.unflag" if view.flagged else "review.buttons.flag"
    return rows(
        paging,
        [
            Button(texts.render(flag), callbacks.REVIEW_FLAG(view.id, index, token)),
            Button(texts.render("review.buttons.reply"), callbacks.REVIEW_REPLY(view.id)),
        ],
        Button(texts.render("review.buttons.outcome"), callbacks.OUTCOME_FOR_REFLECTION(view.id)),
        Button(texts.render("review.buttons.filter"), callbacks.REVIEW_FILTERS()),
    )


@gate(roles=STAFF)
async def review_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/review [prompt set]: shared reflections from your cohorts, newest first."""
    token = f"s.{context.args[0]}" if context.args else "a"
    await reply(update, _page(context.services, caller, 0, token))


async def _show(tap: Tap, screen: Screen) -> None:
    """A review page in place of the tapped message (or new, if it cannot be edited)."""
    if isinstance(tap.query.message, Message):
        await edit(tap.query, screen)
    else:
        await reply(tap.update, screen)


@on_button(callbacks.REVIEW_PAGE, roles=STAFF)
async def page_button(tap: Tap) -> None:
    """Older or newer shared reflections, with the same filter."""
    index, token = tap.values
    await tap.query.answer()
    await _show(tap, _page(tap.services, tap.caller, index, token))


@on_button(callbacks.REVIEW_FLAG, roles=STAFF)
async def flag_button(tap: Tap) -> None:
    """Flag a reflection for follow-up (or clear the flag), then the same page again."""
    services, (reflection_id, index, token) = tap.services, tap.values
    with services.db.transaction() as session:
        review.flag(
            session,
            viewer_id=tap.caller.person_id,
            reflection_id=reflection_id,
            clock=services.clock,
        )
    await tap.query.answer()
    await _show(tap, _page(services, tap.caller, index, token))


@on_button(callbacks.REVIEW_FILTERS, roles=STAFF)
async def filters_button(tap: Tap) -> None:
    """Choose what to review: everything, a question set, or one meeting."""
    services = tap.services
    texts = services.texts
    buttons = [Button(texts.render("review.all"), callbacks.REVIEW_PAGE(0, "a"))]
    buttons += [
        Button(s.title, callbacks.REVIEW_PAGE(0, f"s.{s.id}"))
        for s in services.library.prompt_sets.values()
    ]
    with services.db.transaction() as session:
        recent = meeting_lists.recent(session, viewer_id=tap.caller.person_id, limit=5)
    buttons += [
        Button(
            f"{m.title} · {_day(services, tap.caller, m.starts_at)}",
            callbacks.REVIEW_PAGE(0, f"m.{m.id}"),
        )
        for m in recent
    ]
    await tap.query.answer()
    await _show(tap, Screen(texts.render("review.filter"), stacked(buttons)))


async def _start_typing(tap: Tap, flow: str, prompt: str, data: dict[str, int]) -> None:
    """Wait for a reply or an outcome about something the viewer may see."""
    services, caller = tap.services, tap.caller
    with services.db.transaction() as session:
        if "reflection_id" in data:
            review.shared_reflection(
                session, viewer_id=caller.person_id, reflection_id=data["reflection_id"]
            )
        else:
            questions.get_question(
                session, viewer_id=caller.person_id, question_id=data["question_id"]
            )
        screen = flows.ask(
            session,
            services,
            person_id=caller.person_id,
            flow=flow,
            data=data,
            text=services.texts.render(prompt),
        )
    await tap.query.answer()
    await reply(tap.update, screen)


@on_button(callbacks.REVIEW_REPLY, roles=STAFF)
async def reply_button(tap: Tap) -> None:
    """Write a reply that reaches the partner."""
    data = {"reflection_id": tap.values[0]}
    await _start_typing(tap, REPLY_FLOW, "review.reply_prompt", data)


@on_button(callbacks.OUTCOME_FOR_REFLECTION, roles=STAFF)
async def reflection_outcome_button(tap: Tap) -> None:
    """Record "you said, we did" about a reflection."""
    data = {"reflection_id": tap.values[0]}
    await _start_typing(tap, OUTCOME_FLOW, "review.outcome_prompt", data)


@on_button(callbacks.OUTCOME_FOR_QUESTION, roles=STAFF)
async def question_outcome_button(tap: Tap) -> None:
    """Record "you said, we did" about a question."""
    data = {"question_id": tap.values[0]}
    await _start_typing(tap, OUTCOME_FLOW, "review.outcome_prompt", data)


def reply_text(turn: Turn, text: str) -> Reply:
    """The facilitator's reply to a reflection: it reaches the partner from them."""
    reflection_id = turn.data.get("reflection_id")
    assert isinstance(reflection_id, int)
    review.reply(
        turn.session,
        viewer_id=turn.caller.person_id,
        reflection_id=reflection_id,
        text=text,
        clock=turn.services.clock,
    )
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    replied = turn.services.texts.render("review.replied")
    return Reply.of(Screen(replied, rows(help_button(turn.services))))


def _day(services: Services, caller: Caller, moment: datetime) -> str:
    """A meeting's day in the caller's zone, with its year when far from today."""
    zone = caller.person.time_zone if caller.person else "Europe/London"
    return local_date_label(moment, zone, now=services.clock.now())


def outcome_text(turn: Turn, text: str) -> Reply:
    """What happened, typed: next, which meeting it happened at."""
    session, services, caller = turn.session, turn.services, turn.caller
    conversation.set_state(
        session,
        person_id=caller.person_id,
        flow=OUTCOME_FLOW,
        step="meeting",
        clock=services.clock,
        data={**turn.data, "text": text.strip()},
    )
    recent = meeting_lists.recent(session, viewer_id=caller.person_id, limit=6)
    texts = services.texts
    buttons = [
        Button(
            f"{m.title} · {_day(services, caller, m.starts_at)}",
            callbacks.OUTCOME_MEETING(m.id or 0),
        )
        for m in recent
    ]
    buttons.append(Button(texts.render("review.no_meeting"), callbacks.OUTCOME_MEETING(0)))
    return Reply.of(Screen(texts.render("review.which_meeting"), stacked(buttons)))


flows.register(REPLY_FLOW, reply_text)
flows.register(OUTCOME_FLOW, outcome_text)


@on_button(callbacks.OUTCOME_MEETING, roles=STAFF)
async def outcome_meeting_button(tap: Tap) -> None:
    """Save the outcome, linked to that meeting (or none), and tell the partner."""
    services, caller = tap.services, tap.caller
    meeting_id = tap.values[0] or None
    await settle(tap.query)
    with services.db.transaction() as session:
        state = conversation.get_state(session, person_id=caller.person_id)
        if state is None or state.flow != OUTCOME_FLOW or "text" not in state.data:
            key = "fallback.stale_here"
        else:
            data = state.data
            outcomes.record_outcome(
                session,
                viewer_id=caller.person_id,
                clock=services.clock,
                text=str(data["text"]),
                prompt_sets=services.library.prompt_sets,
                reflection_id=_int_or_none(data.get("reflection_id")),
                question_id=_int_or_none(data.get("question_id")),
                meeting_id=meeting_id,
            )
            conversation.clear_state(session, person_id=caller.person_id)
            key = "review.outcome_saved"
    await reply(tap.update, Screen(services.texts.render(key), rows(help_button(services))))
