"""/library, briefing pages, "Got it", questions about a page, and /explain."""

from __future__ import annotations

from sqlmodel import Session
from telegram import Update

from bot.domain import briefings, conversation, notices, people
from bot.domain.answers import Voice
from bot.domain.errors import InvalidInput
from bot.models import PartnerQuestion, Person
from bot.telegram import callbacks
from bot.telegram.common import Caller, gate, load_caller, plain
from bot.telegram.handlers.onboarding import Outcome, deliver
from bot.telegram.screens import error_screen, help_button
from bot.telegram.screens.library import (
    page_screen,
    term_screen,
    topic_screen,
    topics_screen,
    unknown_term_screen,
)
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, edit, reply, rows, settle

QUESTION_FLOW = "question"
KEEP_ON_CANCEL = frozenset({"onboarding", "reflect"})  # these have their own ways out


@gate()
async def library_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/library: browse briefings by topic."""
    await reply(update, topics_screen(context.services))


@gate()
async def library_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """A topic chosen, or back to the list of topics."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    tag = query.data.removeprefix("lib:t:") if query.data.startswith("lib:t:") else None
    if tag is None:
        screen = topics_screen(services)
    else:
        with services.db.transaction() as session:
            read = briefings.read_briefings(session, person_id=caller.person_id)
        screen = topic_screen(services, tag, read)
    await query.answer()
    await edit(query, screen)


@gate()
async def briefing_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """b:<id>:<page>[:got|:ask]: turn a page, mark as read, or ask about this page."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    _, briefing_id, page_text, *action = query.data.split(":")
    briefing = services.library.briefings.get(briefing_id)
    page = int(page_text) if page_text.isdigit() else 1
    if briefing is None:
        await query.answer(plain(services.texts.render("library.gone")), show_alert=True)
        await edit(query, topics_screen(services))
        return
    with services.db.transaction() as session:
        if action == ["got"]:
            briefings.mark_read(
                session, person_id=caller.person_id, briefing_id=briefing.id, clock=services.clock
            )
        elif action == ["ask"]:
            conversation.set_state(
                session,
                person_id=caller.person_id,
                flow=QUESTION_FLOW,
                step="text",
                clock=services.clock,
                data={"briefing_id": briefing.id, "page": page},
            )
        read = briefing.id in briefings.read_briefings(session, person_id=caller.person_id)
    if action == ["ask"]:
        await query.answer()  # the page keeps its buttons, to read on after asking
        await reply(update, _ask_screen(services, briefing.meta.title))
        return
    toast = plain(services.texts.render("library.marked_read")) if action == ["got"] else None
    await query.answer(toast)
    await edit(query, page_screen(services, briefing, page, read))


def _ask_screen(services: Services, title: str | None) -> Screen:
    return Screen(
        services.texts.render("question.ask", briefing=title),
        rows(Button(services.texts.render("buttons.cancel"), "q:cancel")),
    )


async def cancel_question(update: Update, context: TandemContext) -> None:
    """q:cancel: stop whatever is being typed (a question, an answer, a broadcast...)."""
    query = update.callback_query
    assert query is not None
    services = context.services
    with services.db.transaction() as session:
        caller = load_caller(session, update)
        if caller.person is not None:
            state = conversation.get_state(session, person_id=caller.person_id)
            if state is not None and state.flow not in KEEP_ON_CANCEL:
                conversation.clear_state(session, person_id=caller.person_id)
    await settle(query)
    await reply(
        update, Screen(services.texts.render("question.cancelled"), rows(help_button(services)))
    )


def question_answer(
    session: Session,
    services: Services,
    caller: Caller,
    data: dict[str, object],
    *,
    text: str | None = None,
    voice: Voice | None = None,
) -> Outcome:
    """The typed or spoken question: store it, thank the person, tell the facilitators."""
    assert caller.person is not None
    briefing_id = data.get("briefing_id")
    page = data.get("page")
    try:
        question = briefings.ask(
            session,
            person_id=caller.person_id,
            clock=services.clock,
            text=text,
            voice=voice,
            briefing_id=briefing_id if isinstance(briefing_id, str) else None,
            page=page if isinstance(page, int) else None,
        )
    except InvalidInput as error:
        return Outcome(screens=[error_screen(services, error)])
    conversation.clear_state(session, person_id=caller.person_id)
    return _asked(session, services, caller.person, question)


def _asked(
    session: Session, services: Services, person: Person, question: PartnerQuestion
) -> Outcome:
    texts = services.texts
    briefing = services.library.briefings.get(question.briefing_id or "")
    facilitators = (
        people.facilitators_of(session, cohort_id=question.cohort_id)
        if question.cohort_id is not None
        else []
    )
    names = [f.preferred_name for f in facilitators if f.preferred_name]
    notices.notify(
        session,
        person_ids=[f.id for f in facilitators if f.id is not None],
        key="notify.question",
        clock=services.clock,
        params={
            "name": person.preferred_name or "",
            "question": question.text or "",
            "voice": question.voice_file_id is not None,
            "briefing": briefing.meta.title if briefing else None,
        },
        buttons=[[("questions.buttons.reply", f"qa:{question.id}")]],
        about=person.id,
    )
    thanks = Screen(
        texts.render("question.thanks", facilitators=names),
        rows(Button(texts.render("library.buttons.topics"), "lib"), help_button(services)),
    )
    return Outcome(screens=[thanks])


@gate()
async def explain_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/explain TERM: a plain-English meaning from the jargon buster."""
    services = context.services
    typed = " ".join(context.args or []).strip()
    if not typed:
        examples = [t for t in services.library.glossary.terms if t.abbreviation][:4]
        await reply(
            update,
            Screen(
                services.texts.render("explain.how"),
                rows(*(Button(t.title, f"x:{t.term[:60]}") for t in examples)),
            ),
        )
        return
    await reply(update, explain_screen(services, typed))


def explain_screen(services: Services, typed: str) -> Screen:
    """The meaning of what was typed, or near misses to choose from."""
    glossary = services.library.glossary
    term = glossary.lookup(typed)
    if term is not None:
        return term_screen(services, term)
    return unknown_term_screen(services, typed[:60], glossary.suggest(typed))


@gate()
async def explain_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """x:<term> shows a term; x?:<typed> asks the facilitator what it means."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    if query.data.startswith("x?:"):
        typed = query.data.removeprefix("x?:")
        with services.db.transaction() as session:
            wording = plain(services.texts.render("question.about_word", word=typed))
            outcome = question_answer(session, services, caller, {}, text=wording)
        await settle(query)
        await deliver(update, context, outcome)
        return
    await query.answer()
    await reply(update, explain_screen(services, callbacks.suffix(query.data)))
