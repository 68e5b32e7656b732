"""Shared reflections as the dashboard shows them: rows of plain columns (not ORM objects,
since an export reads a hundred thousand answers) turned into words."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.domain.measures.checkin import questions_named
from bot.library.prompts import DONT_KNOW, YES, PromptQuestion, PromptSet
from bot.models import Answer, Cohort, Meeting, Membership, Person, Reflection, Role, Sharing


@dataclass(frozen=True)
class ShownAnswer:
    """One answer as the dashboard shows it."""

    question_id: str
    question: str
    kind: str
    shown: str
    number: int | None = None
    top: int | None = None
    voice_seconds: int | None = None
    skipped: bool = False
    language: str = "en"  # the language it was asked (and most likely given) in


@dataclass(frozen=True)
class ReflectionRow:
    """A shared reflection with its answers; author fields are empty when anonymised."""

    id: int
    person_id: int | None
    author: str | None
    cohort: str
    title: str
    prompt_set: str
    meeting: str | None
    meeting_id: int | None
    finished_at: datetime | None
    sharing: Sharing
    flagged: bool
    wants_contact: bool
    answers: tuple[ShownAnswer, ...] = field(default_factory=tuple)


def _cohort_of() -> Any:
    """Each reflection's cohort: its author's (first) partner membership, looked up per row
    by primary key, so the newest-first index on finish time drives every page."""
    return (
        select(func.min(Membership.cohort_id))
        .where(col(Membership.person_id) == col(Reflection.person_id))
        .where(Membership.role == Role.PARTNER)
        .correlate(Reflection)
        .scalar_subquery()
    )


_ANSWER_COLUMNS = (
    Answer.reflection_id,
    Answer.question_id,
    Answer.position,
    Answer.kind,
    Answer.text,
    Answer.number,
    Answer.choices,
    Answer.voice_file_id,
    Answer.voice_duration,
    Answer.skipped,
    Answer.language,
)


def _describe(row: Any, question: PromptQuestion | None) -> ShownAnswer:
    """One answer (a row of _ANSWER_COLUMNS) in words, as the dashboard shows it."""
    _, question_id, _, kind, text, number, choices, voice, duration, skipped, language = row
    top = question.scale.max if question and question.scale else None
    if skipped:
        shown = "Skipped"
    elif voice:
        minutes, seconds = divmod(duration or 0, 60)
        shown = f"Voice note, {minutes}:{seconds:02d}"
    elif number is not None:
        shown = f"{number} out of {top or 5}"
    elif choices is not None:
        values = json.loads(choices)
        if kind == "yes_no":
            shown = "Yes" if values == [YES] else "No"
        elif values == [DONT_KNOW]:  # a measure's "don't know"
            shown = "Don't know"
        else:
            labels = [question.choice_label(v) if question else v for v in values]
            shown = ", ".join(labels) or "None chosen"
    else:
        shown = text or ""
    return ShownAnswer(
        question_id=question_id,
        question=question.text if question else question_id,
        kind=kind,
        shown=shown,
        number=None if skipped else number,
        top=top,
        voice_seconds=duration if voice else None,
        skipped=skipped,
        language=language or "en",
    )


def _add_measures(
    session: Session,
    questions: dict[str, dict[str, tuple[int, PromptQuestion]]],
    prompt_sets: Mapping[str, PromptSet],
    found: Mapping[int, list[Any]],
    reflections: Mapping[int, str],
) -> None:
    """The monthly check-in's questions about measures (issue 17), in their words."""
    for name, prompt_set in prompt_sets.items():
        ids = {r[1] for rid, rows in found.items() if reflections[rid] == name for r in rows}
        extra = questions_named(session, prompt_set=prompt_set, question_ids=ids)
        order = questions[name]
        for question in extra:
            order.setdefault(question.id, (len(order), question))


def _answers(
    session: Session, reflections: Mapping[int, str], prompt_sets: Mapping[str, PromptSet]
) -> dict[int, list[ShownAnswer]]:
    """Every answer of these reflections in one query (plain rows, not objects: an export
    reads a hundred thousand), in each prompt set's order."""
    found: dict[int, list[Any]] = {rid: [] for rid in reflections}
    if not found:
        return {}
    query: Any = select(*_ANSWER_COLUMNS).where(col(Answer.reflection_id).in_(list(found)))  # type: ignore[call-overload]
    for row in session.exec(query).all():
        found[row[0]].append(row)
    questions = {
        name: {q.id: (i, q) for i, q in enumerate(ps.questions)} for name, ps in prompt_sets.items()
    }
    _add_measures(session, questions, prompt_sets, found, reflections)
    shown: dict[int, list[ShownAnswer]] = {}
    for rid, rows in found.items():
        order = questions.get(reflections[rid], {})
        last = (len(order), None)
        rows.sort(key=lambda r: (order.get(r[1], last)[0], r[2]))
        shown[rid] = [_describe(r, order.get(r[1], last)[1]) for r in rows]
    return shown


COLUMNS = (
    Reflection.id,
    Reflection.person_id,
    Reflection.title,
    Reflection.prompt_set,
    Reflection.meeting_id,
    Reflection.finished_at,
    Reflection.sharing,
    Reflection.flagged_at,
    Reflection.wants_contact,
    Person.preferred_name,
    _cohort_of(),
)


def rows_from(
    session: Session,
    found: Sequence[Any],
    prompt_sets: Mapping[str, PromptSet],
) -> list[ReflectionRow]:
    answers = _answers(session, {r[0]: r[3] for r in found}, prompt_sets)
    meeting_ids = {r[4] for r in found if r[4]}
    meetings: dict[int | None, str] = dict(
        session.exec(
            select(Meeting.id, Meeting.title).where(col(Meeting.id).in_(meeting_ids))
        ).all()
    )
    cohorts: dict[int | None, str] = dict(session.exec(select(Cohort.id, Cohort.name)).all())
    rows = []
    for (
        rid,
        person,
        title,
        prompt_set,
        meeting,
        finished,
        sharing,
        flagged,
        contact,
        name,
        cohort,
    ) in found:
        named = sharing == Sharing.FACILITATORS
        rows.append(
            ReflectionRow(
                id=rid,
                person_id=person if named else None,
                author=name if named else None,
                cohort=cohorts.get(cohort, ""),
                title=title,
                prompt_set=prompt_set,
                meeting=meetings.get(meeting),
                meeting_id=meeting,
                finished_at=finished,
                sharing=Sharing(sharing) if sharing else Sharing.FACILITATORS,
                flagged=flagged is not None,
                wants_contact=contact,
                answers=tuple(answers.get(rid, [])),
            )
        )
    return rows
