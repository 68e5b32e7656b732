"""Partners' questions, for facilitators: /questions, Reply, and the typed answer.

(Partners ask with /ask or from a briefing page: see handlers/library.py.)
"""

from __future__ import annotations

from telegram import Update

from bot.domain import conversation, questions
from bot.models import PartnerQuestion, QuestionStatus
from bot.telegram import callbacks, flows
from bot.telegram.common import STAFF, Caller, gate
from bot.telegram.flows import Reply, Tap, Turn, deliver, on_button
from bot.telegram.screens import help_button
from bot.telegram.services import Services, TandemContext
from bot.telegram.ui import Button, Screen, reply, rows

ANSWER_FLOW = "answer"
SHOWN = 10


def _question_card(services: Services, question: PartnerQuestion, asker: str) -> Screen:
    texts = services.texts
    briefing = services.library.briefings.get(question.briefing_id or "")
    return Screen(
        texts.render(
            "questions.card",
            name=asker,
            question=question.text or "",
            voice=question.voice_file_id is not None,
            briefing=briefing.meta.title if briefing else None,
        ),
        rows(
            [
                Button(
                    texts.render("questions.buttons.reply"),
                    callbacks.QUESTION_REPLY(question.id or 0),
                ),
                Button(
                    texts.render("questions.buttons.outcome"),
                    callbacks.OUTCOME_FOR_QUESTION(question.id or 0),
                ),
            ]
        ),
    )


@on_button(callbacks.QUESTION_REPLY, roles=STAFF)
async def reply_button(tap: Tap) -> None:
    """Start answering a partner's question."""
    services, (question_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        question = questions.get_question(
            session, viewer_id=tap.caller.person_id, question_id=question_id
        )
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=ANSWER_FLOW,
            data={"question_id": question_id},
            text=services.texts.render("questions.answer_prompt", question=question.text or ""),
        )
    await tap.query.answer()
    await reply(tap.update, screen)


def answer_text(turn: Turn, text: str) -> Reply:
    """The facilitator's typed answer: stored, and sent to the partner."""
    question_id = turn.data.get("question_id")
    assert isinstance(question_id, int)
    questions.answer_question(
        turn.session,
        viewer_id=turn.caller.person_id,
        question_id=question_id,
        text=text,
        clock=turn.services.clock,
    )
    conversation.clear_state(turn.session, person_id=turn.caller.person_id)
    texts = turn.services.texts
    return Reply.of(Screen(texts.render("questions.answered"), rows(help_button(turn.services))))


flows.register(ANSWER_FLOW, answer_text)


@gate(roles=STAFF)
async def questions_command(update: Update, context: TandemContext, caller: Caller) -> None:
    """/questions: open questions from your cohorts, each with a Reply button."""
    services = context.services
    with services.db.transaction() as session:
        waiting = questions.inbox(
            session, viewer_id=caller.person_id, status=QuestionStatus.OPEN, limit=SHOWN
        )
    cards = [_question_card(services, item.question, item.partner) for item in waiting]
    if not cards:
        await reply(
            update, Screen(services.texts.render("questions.none"), rows(help_button(services)))
        )
        return
    await reply(update, Screen(services.texts.render("questions.heading", count=len(cards))))
    await deliver(update, Reply(cards))
