"""Questions between partners and facilitators: /ask, Reply, answers, /questions."""

from __future__ import annotations

from sqlmodel import Session
from telegram import Update

from bot.domain import conversation, questions
from bot.domain.errors import TandemError
from bot.models import PartnerQuestion, Person, Role
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.handlers.library import QUESTION_FLOW
from bot.telegram.handlers.onboarding import Outcome, deliver
from bot.telegram.screens import error_screen, help_button
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, rows, settle

ANSWER_FLOW = "answer"


@gate(roles=frozenset({Role.PARTNER}))
async def ask_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/ask: a question for your facilitator, typed or as a voice note."""
    services = context.services
    with services.db.transaction() as session:
        conversation.set_state(
            session,
            person_id=caller.person_id,
            flow=QUESTION_FLOW,
            step="text",
            clock=services.clock,
            data={},
        )
    await reply(
        update,
        Screen(
            services.texts.render("question.ask", briefing=None),
            rows(Button(services.texts.render("buttons.cancel"), "q:cancel")),
        ),
    )


def _question_card(services: Services, question: PartnerQuestion, asker: str) -> Screen:
    texts = services.texts
    return Screen(
        texts.render(
            "questions.card",
            name=asker,
            question=question.text or "",
            voice=question.voice_file_id is not None,
            briefing=_briefing_title(services, question),
        ),
        rows(
            [
                Button(texts.render("questions.buttons.reply"), f"qa:{question.id}"),
                Button(texts.render("questions.buttons.outcome"), f"oq:{question.id}"),
            ]
        ),
    )


def _briefing_title(services: Services, question: PartnerQuestion) -> str | None:
    briefing = services.library.briefings.get(question.briefing_id or "")
    return briefing.meta.title if briefing else None


@gate(roles=STAFF)
async def reply_button(update: Update, context: TandemContext, caller: Caller) -> None:
    """qa:<question>: start answering a partner's question."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.services
    question_id = int(query.data.split(":")[1])
    try:
        with services.db.transaction() as session:
            question = questions.get_question(
                session, viewer_id=caller.person_id, question_id=question_id
            )
            conversation.set_state(
                session,
                person_id=caller.person_id,
                flow=ANSWER_FLOW,
                step="text",
                clock=services.clock,
                data={"question_id": question_id},
            )
            text = question.text
    except TandemError as error:
        await settle(query)
        await reply(update, error_screen(services, error))
        return
    await query.answer()
    await reply(
        update,
        Screen(
            services.texts.render("questions.answer_prompt", question=text or ""),
            rows(Button(services.texts.render("buttons.cancel"), "q:cancel")),
        ),
    )


def answer_text(
    session: Session, services: Services, caller: Caller, data: dict[str, object], text: str
) -> Outcome:
    """The facilitator's typed answer: stored, and sent to the partner."""
    question_id = data.get("question_id")
    assert isinstance(question_id, int)
    try:
        questions.answer_question(
            session,
            viewer_id=caller.person_id,
            question_id=question_id,
            text=text,
            clock=services.clock,
        )
    except TandemError as error:
        return Outcome(screens=[error_screen(services, error)])
    conversation.clear_state(session, person_id=caller.person_id)
    return Outcome(
        screens=[Screen(services.texts.render("questions.answered"), rows(help_button(services)))]
    )


@gate(roles=STAFF)
async def questions_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/questions: open questions from your cohorts, each with a Reply button."""
    services = context.services
    with services.db.transaction() as session:
        waiting = questions.open_questions(session, viewer_id=caller.person_id)
        cards = []
        for question in waiting:
            asker = session.get(Person, question.person_id)
            cards.append(
                _question_card(services, question, asker.preferred_name or "" if asker else "")
            )
    if not cards:
        await reply(
            update, Screen(services.texts.render("questions.none"), rows(help_button(services)))
        )
        return
    await reply(update, Screen(services.texts.render("questions.heading", count=len(cards))))
    await deliver(update, context, Outcome(screens=cards))
