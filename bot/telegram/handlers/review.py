"""/review on the phone: shared reflections, Flag, Reply, and "You said, we did"."""

from __future__ import annotations

from sqlmodel import Session, col, select
from telegram import Message, Update

from bot.domain import conversation, meetings, outcomes, questions, review
from bot.domain.errors import TandemError
from bot.domain.review import ReflectionView
from bot.models import Meeting
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.handlers.onboarding import Outcome
from bot.telegram.screens import error_screen, help_button
from bot.telegram.screens.account import local_time_label
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
            rows(Button(texts.render("review.buttons.filter"), "rv:filter"), help_button(services)),
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
        when=local_time_label(view.finished_at, zone) if view.finished_at else "",
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
        paging.append(Button(texts.render("journal.buttons.older"), f"rv:{index + 1}:{token}"))
    if index > 0:
        paging.append(Button(texts.render("journal.buttons.newer"), f"rv:{index - 1}:{token}"))
    flag = "review.buttons.unflag" if view.flagged else "review.buttons.flag"
    return rows(
        paging,
        [
            Button(texts.render(flag), f"rf:{view.id}:{index}:{token}"),
            Button(texts.render("review.buttons.reply"), f"rr:{view.id}"),
        ],
        Button(texts.render("review.buttons.outcome"), f"ro:{view.id}"),
        Button(texts.render("review.buttons.filter"), "rv:filter"),
    )


@gate(roles=STAFF)
async def review_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/review [prompt set]: shared reflections from your cohorts, newest first."""
    token = f"s.{context.args[0]}" if context.args else "a"
    await reply(update, _page(context.services, caller, 0, token))


@gate(roles=STAFF)
async def review_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """rv:<index>:<filter> pages; rv:filter chooses a filter; rf: flags or unflags."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    parts = query.data.split(":")
    await query.answer()
    if parts[:2] == ["rv", "filter"]:
        screen = _filter_menu(services, caller)
    elif parts[0] == "rf":
        try:
            with services.db.transaction() as session:
                review.flag(
                    session,
                    viewer_id=caller.person_id,
                    reflection_id=int(parts[1]),
                    clock=services.clock,
                )
        except TandemError as error:
            await reply(update, error_screen(services, error))
            return
        screen = _page(services, caller, int(parts[2]), parts[3])
    else:
        screen = _page(services, caller, int(parts[1]), parts[2])
    if isinstance(query.message, Message):
        await edit(query, screen)
    else:
        await reply(update, screen)


def _filter_menu(services: Services, caller: Caller) -> Screen:
    texts = services.texts
    buttons = [Button(texts.render("review.all"), "rv:0:a")]
    buttons += [Button(s.title, f"rv:0:s.{s.id}") for s in services.library.prompt_sets.values()]
    with services.db.transaction() as session:
        cohorts = questions.cohorts_run_by(session, person_id=caller.person_id)
        recent = session.exec(
            select(Meeting)
            .where(*([col(Meeting.cohort_id).in_(cohorts)] if cohorts is not None else []))
            .order_by(col(Meeting.starts_at).desc())
            .limit(5)
        ).all()
    buttons += [Button(f"{m.title} · {m.starts_at:%d %b}", f"rv:0:m.{m.id}") for m in recent]
    return Screen(texts.render("review.filter"), stacked(buttons))


@gate(roles=STAFF)
async def reply_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """rr:<reflection>: write a reply that reaches the partner."""
    await _start_typing(update, context, caller, REPLY_FLOW, "review.reply_prompt")


@gate(roles=STAFF)
async def outcome_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """ro:<reflection> or oq:<question>: record "you said, we did"."""
    await _start_typing(update, context, caller, OUTCOME_FLOW, "review.outcome_prompt")


async def _start_typing(
    update: Update, context: TandemContext, caller: Caller, flow: str, prompt: str
) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    kind, target = query.data.split(":")[:2]
    data = {"question_id" if kind == "oq" else "reflection_id": int(target)}
    try:
        with services.db.transaction() as session:
            if "reflection_id" in data:
                review.shared_reflection(
                    session, viewer_id=caller.person_id, reflection_id=data["reflection_id"]
                )
            else:
                questions.get_question(
                    session, viewer_id=caller.person_id, question_id=data["question_id"]
                )
            conversation.set_state(
                session,
                person_id=caller.person_id,
                flow=flow,
                step="text",
                clock=services.clock,
                data=data,
            )
    except TandemError as error:
        await settle(query)
        await reply(update, error_screen(services, error))
        return
    await query.answer()
    await reply(
        update,
        Screen(
            services.texts.render(prompt),
            rows(Button(services.texts.render("buttons.cancel"), "q:cancel")),
        ),
    )


def reply_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], text: str
) -> Outcome:
    """The facilitator's reply to a reflection: it reaches the partner from them."""
    reflection_id = data.get("reflection_id")
    assert isinstance(reflection_id, int)
    try:
        review.reply(
            session,
            viewer_id=caller.person_id,
            reflection_id=reflection_id,
            text=text,
            clock=services.clock,
        )
    except TandemError as error:
        return Outcome(screens=[error_screen(services, error)])
    conversation.clear_state(session, person_id=caller.person_id)
    return Outcome(
        screens=[Screen(services.texts.render("review.replied"), rows(help_button(services)))]
    )


def outcome_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], text: str
) -> Outcome:
    """What happened, typed: next, which meeting it happened at."""
    conversation.set_state(
        session,
        person_id=caller.person_id,
        flow=OUTCOME_FLOW,
        step="meeting",
        clock=services.clock,
        data={**data, "text": text.strip()},
    )
    cohorts = questions.cohorts_run_by(session, person_id=caller.person_id)
    recent = meetings.list_meetings(session, cohort_ids=cohorts)[-6:]
    texts = services.texts
    buttons = [Button(f"{m.title} · {m.starts_at:%d %b}", f"om:{m.id}") for m in reversed(recent)]
    buttons.append(Button(texts.render("review.no_meeting"), "om:0"))
    return Outcome(screens=[Screen(texts.render("review.which_meeting"), stacked(buttons))])


@gate(roles=STAFF)
async def outcome_meeting_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """om:<meeting>: save the outcome, linked to that meeting, and tell the partner."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    meeting_id = int(query.data.split(":")[1]) or None
    await settle(query)
    try:
        with services.db.transaction() as session:
            state = conversation.get_state(session, person_id=caller.person_id)
            if state is None or state.flow != OUTCOME_FLOW or "text" not in state.data:
                screen = Screen(
                    services.texts.render("fallback.stale_here"), rows(help_button(services))
                )
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
                screen = Screen(
                    services.texts.render("review.outcome_saved"), rows(help_button(services))
                )
    except TandemError as error:
        screen = error_screen(services, error)
    await reply(update, screen)
