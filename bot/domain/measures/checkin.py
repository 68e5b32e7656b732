"""Adopted measures as questions of the monthly check-in.

A prompt set with a `measures:` block (prompts/sets/monthly-check-in.yaml) asks, after its
own questions, about each measure the partner's cohort had adopted when the reflection
began: a rating on the set's scale or "don't know", then an optional comment. The questions
are made afresh from the database each time, so a reflection keeps asking the measures of
the day it began, even if one is retired meanwhile. Answers are stored like any other
(question ids `measure_<id>` and `measure_<id>_note`), so they are erased with the
reflection by /forget.
"""

from __future__ import annotations

import re

from sqlmodel import Session, col, or_, select

from bot.domain.errors import NotFound
from bot.domain.measures.proposals import partner_cohort
from bot.library.prompts import MeasureWording, PromptQuestion, PromptSet
from bot.models import Measure, Reflection

PLACEHOLDER = "{{ measure }}"
_QUESTION = re.compile(r"^measure_(\d+)(_note)?$")


def question_ids(measure_id: int) -> tuple[str, str]:
    """The ids of a measure's rating and comment questions."""
    return f"measure_{measure_id}", f"measure_{measure_id}_note"


def measure_of_question(question_id: str) -> tuple[int, bool] | None:
    """(measure id, whether it is the comment) for a measure question's id, else None."""
    found = _QUESTION.match(question_id)
    return (int(found.group(1)), found.group(2) is not None) if found else None


def _asked(session: Session, reflection: Reflection) -> list[Measure]:
    """The measures adopted in the partner's cohort when the reflection began."""
    try:
        cohort_id = partner_cohort(session, person_id=reflection.person_id)
    except NotFound:
        return []
    began = reflection.started_at
    return list(
        session.exec(
            select(Measure)
            .where(
                Measure.cohort_id == cohort_id,
                col(Measure.adopted_at).is_not(None),
                col(Measure.adopted_at) <= began,
                or_(col(Measure.retired_at).is_(None), col(Measure.retired_at) > began),
            )
            .order_by(col(Measure.adopted_at), col(Measure.id))
        ).all()
    )


def _questions_of(wording: MeasureWording, measure: Measure) -> list[PromptQuestion]:
    """A measure's rating question and its optional comment, as the set words them."""
    rating, comment = question_ids(measure.id or 0)
    return [
        PromptQuestion(
            id=rating,
            kind="scale",
            text=wording.text.replace(PLACEHOLDER, measure.text),
            hint=wording.hint,
            scale=wording.scale,
            voice=False,
            measure_id=measure.id,
            dont_know=wording.dont_know,
        ),
        PromptQuestion(
            id=comment,
            kind="text",
            text=wording.comment.replace(PLACEHOLDER, measure.text),
            hint=wording.comment_hint,
            optional=True,
            measure_id=measure.id,
        ),
    ]


def with_measures(session: Session, *, prompt_set: PromptSet, reflection: Reflection) -> PromptSet:
    """The prompt set as this reflection asks it: with its cohort's measures, if it asks
    about measures at all."""
    wording = prompt_set.measures
    if wording is None:
        return prompt_set
    extra = [q for m in _asked(session, reflection) for q in _questions_of(wording, m)]
    if not extra:
        return prompt_set
    return prompt_set.model_copy(update={"questions": (*prompt_set.questions, *extra)})


def questions_named(
    session: Session, *, prompt_set: PromptSet, question_ids: set[str]
) -> list[PromptQuestion]:
    """The measure questions among these ids, worded as the set asks them (for pages that
    show many reflections' answers at once, whatever the measure's state now)."""
    wording = prompt_set.measures
    wanted = {found[0] for q in question_ids if (found := measure_of_question(q)) is not None}
    if wording is None or not wanted:
        return []
    measures = session.exec(
        select(Measure).where(col(Measure.id).in_(sorted(wanted))).order_by(col(Measure.id))
    ).all()
    return [q for m in measures for q in _questions_of(wording, m)]
