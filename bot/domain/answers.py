"""Answers within a reflection: what a tap, typed text or voice note means for a question,
and which questions apply given the answers so far."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from bot.domain.errors import InvalidInput
from bot.library.prompts import DONT_KNOW, NO, YES, AnswerValue, PromptQuestion, PromptSet
from bot.models import Answer, Reflection

TEXT_LIMIT = 4096  # one Telegram message: for texts Tandem sends (answers are never cut)


@dataclass(frozen=True)
class Voice:
    """A voice note given as an answer (kept as Telegram's file id)."""

    file_id: str
    duration: int


# Built once: read on every answer, and building it cost more than running it (issue 16).
_ANSWERS_OF = select(Answer).where(col(Answer.reflection_id) == bindparam("reflection_id"))


def answers_of(session: Session, reflection_id: int) -> dict[str, Answer]:
    rows = session.exec(_ANSWERS_OF, params={"reflection_id": reflection_id}).all()
    return {row.question_id: row for row in rows}


def _value(answer: Answer) -> AnswerValue:
    return AnswerValue(
        number=answer.number,
        choice_values=tuple(json.loads(answer.choices)) if answer.choices else (),
        skipped=answer.skipped,
    )


def applies(question: PromptQuestion, answers: Mapping[str, Answer]) -> bool:
    if question.only_if is None:
        return True
    earlier = answers.get(question.only_if.question)
    return question.only_if.holds(_value(earlier) if earlier else None)


def next_question(
    prompt_set: PromptSet, answers: Mapping[str, Answer], after: str | None
) -> PromptQuestion | None:
    ids = [q.id for q in prompt_set.questions]
    start = ids.index(after) + 1 if after in ids else 0
    for question in prompt_set.questions[start:]:
        if question.id not in answers and applies(question, answers):
            return question
    # Anything earlier left unanswered (after a changed answer opened a follow-up) comes next.
    for question in prompt_set.questions[:start]:
        if question.id not in answers and applies(question, answers):
            return question
    return None


def interpret(
    question: PromptQuestion,
    *,
    text: str | None,
    number: int | None,
    choice: str | None,
    voice: Voice | None,
) -> dict[str, object]:
    """Turn a tap, typed text or voice note into stored fields, or InvalidInput."""
    if voice is not None:
        if question.kind != "text" or not question.voice:
            raise InvalidInput("reflect.use_buttons")
        return {"voice_file_id": voice.file_id, "voice_duration": voice.duration}
    if text is not None and question.kind == "text":
        cleaned = text.strip()
        if not cleaned:
            raise InvalidInput("reflect.empty")
        return {"text": cleaned}  # never cut: a long answer is kept whole
    if text is not None:
        number, choice = _typed_choice(question, text)
    scale = question.scale
    if (
        question.kind == "scale"
        and scale
        and number is not None
        and scale.min <= number <= scale.max
    ):
        return {"number": number}
    if question.kind == "scale" and question.dont_know and choice == DONT_KNOW:
        return {"choices": json.dumps([DONT_KNOW])}
    if question.kind == "yes_no" and choice in (YES, NO):
        return {"choices": json.dumps([choice])}
    if question.kind == "single" and choice in {c.value for c in question.choices or ()}:
        return {"choices": json.dumps([choice])}
    raise InvalidInput("reflect.use_buttons")


_DONT_KNOW_WORDS = frozenset(
    {"don't know", "dont know", "do not know", "not sure", "no idea", "don’t know", "?"}
)


def _typed_choice(question: PromptQuestion, text: str) -> tuple[int | None, str | None]:
    """Understand typed answers to button questions: "4", "yes", a choice's label."""
    typed = text.strip().lower().rstrip(".!")
    if question.kind == "scale" and question.dont_know and typed in _DONT_KNOW_WORDS:
        return None, DONT_KNOW
    if question.kind == "scale":
        return (int(typed), None) if typed.lstrip("-").isdigit() else (None, None)
    if question.kind == "yes_no":
        if typed in {"yes", "y", "yeah", "yep", "ok", "please", "yes please"}:
            return None, YES
        if typed in {"no", "n", "nope", "no thanks", "no thank you"}:
            return None, NO
    for choice in question.choices or ():
        if typed == choice.label.lower() or typed == choice.value:
            return None, choice.value
    return None, None


def drop_unreachable(
    session: Session, reflection: Reflection, prompt_set: PromptSet, answers: dict[str, Answer]
) -> None:
    """A changed answer can close a follow-up: its answer goes, so nothing stale is kept."""
    for question in prompt_set.questions:
        stored = answers.get(question.id)
        if stored is not None and not applies(question, answers):
            if question.contact_request:
                reflection.wants_contact = False
            session.delete(stored)
            del answers[question.id]
