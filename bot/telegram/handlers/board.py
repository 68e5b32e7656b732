"""Board members (issue 17): answering "what did you learn from lay partners today?" after
a meeting's digest, sending it to partners, and partners' reactions to it."""

from __future__ import annotations

from bot.db import Session
from bot.domain import board, conversation
from bot.domain.answers import Voice
from bot.domain.meetings import title_of
from bot.models import BoardLearning, LearningStatus, ReactionKind
from bot.telegram import callbacks, flows
from bot.telegram.common import BOARD, PARTNERS, plain
from bot.telegram.flows import Reply, Tap, Turn, on_button
from bot.telegram.screens import help_button
from bot.telegram.screens.board import preview_screen, question_text
from bot.telegram.ui import Screen, reply, rows, settle

FLOW = "board"


@on_button(callbacks.BOARD_DIGEST, roles=BOARD)
async def digest_button(tap: Tap) -> None:
    """ "Answer the two questions" under a digest: ask the first."""
    services, (meeting_id,) = tap.services, tap.values
    with services.db.transaction() as session:
        learning = board.begin(
            session, person_id=tap.caller.person_id, meeting_id=meeting_id, clock=services.clock
        )
        screen = flows.ask(
            session,
            services,
            person_id=tap.caller.person_id,
            flow=FLOW,
            step=board.QUESTIONS[0],
            data={"learning": learning.id},
            text=question_text(services, board.QUESTIONS[0], _title(session, learning)),
        )
    await tap.query.answer()
    await reply(tap.update, screen)


def _title(session: Session, learning: BoardLearning) -> str:
    return title_of(session, meeting_id=learning.meeting_id) or ""


def _answered(turn: Turn, *, text: str | None = None, voice: Voice | None = None) -> Reply:
    """An answer to the question waiting: the next question, or what partners will read."""
    services, session, person_id = turn.services, turn.session, turn.caller.person_id
    learning_id = turn.data.get("learning")
    assert isinstance(learning_id, int)
    learning = board.answer(
        session,
        person_id=person_id,
        learning_id=learning_id,
        question=turn.step,
        text=text,
        voice=voice,
    )
    position = board.QUESTIONS.index(turn.step)
    if position + 1 < len(board.QUESTIONS):
        following = board.QUESTIONS[position + 1]
        return Reply.of(
            flows.ask(
                session,
                services,
                person_id=person_id,
                flow=FLOW,
                step=following,
                data={"learning": learning_id},
                text=question_text(services, following, _title(session, learning)),
            )
        )
    conversation.clear_state(session, person_id=person_id)
    return Reply.of(preview_screen(services, learning))


def answer_text(turn: Turn, text: str) -> Reply:
    """A typed answer."""
    return _answered(turn, text=text)


def answer_voice(turn: Turn, voice: Voice) -> Reply:
    """An answer as a voice note."""
    return _answered(turn, voice=voice)


flows.register(FLOW, answer_text, voice=answer_voice)


@on_button(callbacks.BOARD_LEARNING, roles=BOARD)
async def learning_button(tap: Tap) -> None:
    """Send the learning to the cohort's partners (by role only), or drop it."""
    services, (learning_id, choice) = tap.services, tap.values
    with services.db.transaction() as session:
        learning = session.get(BoardLearning, learning_id)
        typed = (learning.learned, learning.differently) if learning is not None else ()
        words = " ".join(w for w in typed if w)
        shared = board.decide(
            session,
            person_id=tap.caller.person_id,
            learning_id=learning_id,
            send=choice == "send",
            flagged=services.safeguarding.check(words) is not None,
            clock=services.clock,
        )
    await settle(tap.query)
    key = {
        LearningStatus.SHARED: "board.sent",
        LearningStatus.HELD: "board.held",
        LearningStatus.DROPPED: "board.dropped",
    }[shared.status]
    said = services.texts.render(key, partners=shared.partners)
    await reply(tap.update, Screen(said, rows(help_button(services))))


@on_button(callbacks.BOARD_REACT, roles=PARTNERS)
async def react_button(tap: Tap) -> None:
    """A partner's reaction to a board member's learning."""
    services, (learning_id, kind) = tap.services, tap.values
    with services.db.transaction() as session:
        reacted = board.react(
            session,
            person_id=tap.caller.person_id,
            learning_id=learning_id,
            kind=ReactionKind(kind),
            clock=services.clock,
        )
    texts = services.texts
    if reacted.already:
        await tap.query.answer(plain(texts.render("board.reacted_already")))
        return
    await settle(tap.query)
    said = texts.render(f"board.reacted.{kind}", told=reacted.told)
    await reply(tap.update, Screen(said, rows(help_button(services))))
