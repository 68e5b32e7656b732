"""/library, briefing pages, "Got it", questions (about a page, or /ask), and /explain."""

from __future__ import annotations

from telegram import Update

from bot.domain import briefings, conversation
from bot.domain.answers import Voice
from bot.telegram import callbacks, flows
from bot.telegram.common import PARTNERS, Caller, gate, plain
from bot.telegram.flows import Reply, Tap, Turn, deliver, on_button
from bot.telegram.screens import help_button
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


@gate()
async def library_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/library: browse briefings by topic."""
    await reply(update, topics_screen(context.services))


@on_button(callbacks.TOPICS)
async def topics_button(tap: Tap) -> None:
    """Back to the list of topics."""
    await tap.query.answer()
    await edit(tap.query, topics_screen(tap.services))


@on_button(callbacks.TOPIC)
async def topic_button(tap: Tap) -> None:
    """A topic chosen: its briefings, ticked when read."""
    services, (tag,) = tap.services, tap.values
    with services.db.transaction() as session:
        read = briefings.read_briefings(session, person_id=tap.caller.person_id)
    await tap.query.answer()
    await edit(tap.query, topic_screen(services, tag, read))


async def _show_page(tap: Tap, briefing_id: str, page: int, *, got: bool = False) -> None:
    """A briefing page (marked read first, for "Got it")."""
    services = tap.services
    briefing = services.library.briefings.get(briefing_id)
    if briefing is None:
        await tap.query.answer(plain(services.texts.render("library.gone")), show_alert=True)
        await edit(tap.query, topics_screen(services))
        return
    with services.db.transaction() as session:
        if got:
            briefings.mark_read(
                session,
                person_id=tap.caller.person_id,
                briefing_id=briefing.id,
                clock=services.clock,
            )
        read = briefing.id in briefings.read_briefings(session, person_id=tap.caller.person_id)
    toast = plain(services.texts.render("library.marked_read")) if got else None
    await tap.query.answer(toast)
    await edit(tap.query, page_screen(services, briefing, page, read))


@on_button(callbacks.BRIEFING_PAGE)
async def page_button(tap: Tap) -> None:
    """Turn to a page of a briefing."""
    briefing_id, page = tap.values
    await _show_page(tap, briefing_id, page)


@on_button(callbacks.BRIEFING_READ)
async def read_button(tap: Tap) -> None:
    """ "Got it": the briefing is marked read."""
    briefing_id, page = tap.values
    await _show_page(tap, briefing_id, page, got=True)


@on_button(callbacks.BRIEFING_ASK)
async def ask_button(tap: Tap) -> None:
    """ "I have a question" on a page: wait for the question, typed or spoken."""
    services, (briefing_id, page) = tap.services, tap.values
    briefing = services.library.briefings.get(briefing_id)
    if briefing is None:
        await tap.query.answer(plain(services.texts.render("library.gone")), show_alert=True)
        return
    with services.db.transaction() as session:
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=QUESTION_FLOW,
            data={"briefing_id": briefing.id, "page": page},
            text=services.texts.render("question.ask", briefing=briefing.meta.title),
        )
    await tap.query.answer()  # the page keeps its buttons, to read on after asking
    await reply(tap.update, screen)


@gate(roles=PARTNERS)
async def ask_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/ask: a question for your facilitator, typed or as a voice note."""
    services = context.services
    with services.db.transaction() as session:
        screen = flows.ask(
            session,
            services,
            person_id=caller.person_id,
            flow=QUESTION_FLOW,
            text=services.texts.render("question.ask", briefing=None),
        )
    await reply(update, screen)


@on_button(callbacks.CANCEL, board_ok=True)
async def cancel_button(tap: Tap) -> None:
    """Stop whatever is being typed (a question, an answer, a broadcast...)."""
    services = tap.services
    with services.db.transaction() as session:
        flows.cancel(session, person_id=tap.caller.person_id)
    await settle(tap.query)
    await reply(
        tap.update,
        Screen(services.texts.render("question.cancelled"), rows(help_button(services))),
    )


def _ask(turn: Turn, *, text: str | None = None, voice: Voice | None = None) -> Reply:
    """The typed or spoken question: store it, thank the person, tell the facilitators."""
    services = turn.services
    briefing_id = turn.data.get("briefing_id")
    page = turn.data.get("page")
    briefing = services.library.briefings.get(briefing_id) if isinstance(briefing_id, str) else None
    asked = briefings.ask_facilitators(
        turn.session,
        person_id=turn.caller.person_id,
        clock=services.clock,
        text=text,
        voice=voice,
        briefing_id=briefing.id if briefing else None,
        briefing_title=briefing.meta.title if briefing else None,
        page=page if isinstance(page, int) else None,
    )
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    return _thanks(services, asked.facilitators)


def _thanks(services: Services, facilitators: list[str]) -> Reply:
    texts = services.texts
    return Reply.of(
        Screen(
            texts.render("question.thanks", facilitators=facilitators),
            rows(
                Button(texts.render("library.buttons.topics"), callbacks.TOPICS()),
                help_button(services),
            ),
        )
    )


def question_text(turn: Turn, text: str) -> Reply:
    """A typed question."""
    return _ask(turn, text=text)


def question_voice(turn: Turn, voice: Voice) -> Reply:
    """A question as a voice note."""
    return _ask(turn, voice=voice)


flows.register(QUESTION_FLOW, question_text, voice=question_voice)


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
                rows(*(Button(t.title, callbacks.TERM(t.key)) for t in examples)),
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


@on_button(callbacks.TERM)
async def term_button(tap: Tap) -> None:
    """A term from the jargon buster."""
    await tap.query.answer()
    await reply(tap.update, explain_screen(tap.services, tap.values[0]))


@on_button(callbacks.TERM_ASK)
async def term_ask_button(tap: Tap) -> None:
    """Ask the facilitator what a word means (one the jargon buster does not know)."""
    services, (typed,) = tap.services, tap.values
    wording = plain(services.texts.render("question.about_word", word=typed))
    with services.db.transaction() as session:
        turn = flows.Turn(session, services, tap.caller, "text", {})
        answer = _ask(turn, text=wording)
    await settle(tap.query)
    await deliver(tap.update, answer)
