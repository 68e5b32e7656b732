"""Reflection conversations: one question at a time, every answer saved as it is given.

A reflection remembers its own position (`current_question`), so "finish later", a restart
or a week's gap all resume at the same question with earlier answers kept. Questions whose
`only_if` no longer holds (after an earlier answer changed) lose their answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import delete
from sqlmodel import Session, col

from bot.domain import notices
from bot.domain.answers import (
    Voice,
    answers_of,
    applies,
    drop_unreachable,
    interpret,
    next_question,
)
from bot.domain.bookings.checkin import BriefingOffer, offer_after_check_in
from bot.domain.clock import Clock
from bot.domain.consent import keeps_reflections
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.measures.checkin import with_measures
from bot.domain.meetings import visible_meeting
from bot.library import languages
from bot.library.prompts import YES, PromptQuestion, PromptSet
from bot.models import Answer, Person, Reflection, ReflectionStatus, Sharing


@dataclass(frozen=True)
class Position:
    """Where a reflection stands: the question to ask now (None: choose who may see it)."""

    reflection: Reflection
    prompt_set: PromptSet
    question: PromptQuestion | None
    number: int
    total: int
    answer: Answer | None = None
    stale: bool = False
    # Questions answered so far; skipped ones are not answered ("You answered 7" counted skips).
    answered: int = 0
    # Every answer of the reflection as it now stands, by question id (read once per tap).
    answers: Mapping[str, Answer] = field(default_factory=dict)
    # Issue 18: a check-in that asked for a one-to-one briefing offers the next free times.
    offer: BriefingOffer | None = None

    @property
    def finished(self) -> bool:
        """True once the reflection is finished (sharing chosen)."""
        return self.reflection.status == ReflectionStatus.FINISHED


def _set_of(
    session: Session, prompt_sets: Mapping[str, PromptSet], reflection: Reflection
) -> PromptSet:
    prompt_set = prompt_sets.get(reflection.prompt_set)
    if prompt_set is None:
        raise NotFound("reflect.set_gone", title=reflection.title)
    # The monthly check-in also asks about the cohort's adopted measures (issue 17).
    return with_measures(session, prompt_set=prompt_set, reflection=reflection)


def _position(
    session: Session,
    reflection: Reflection,
    prompt_set: PromptSet,
    *,
    stale: bool = False,
    answers: dict[str, Answer] | None = None,
) -> Position:
    assert reflection.id is not None
    answers = answers_of(session, reflection.id) if answers is None else answers
    applicable = [q for q in prompt_set.questions if applies(q, answers)]
    question = prompt_set.question(reflection.current_question or "")
    number = len(applicable)
    if question is not None and question in applicable:
        number = applicable.index(question) + 1
    return Position(
        reflection=reflection,
        prompt_set=prompt_set,
        question=question,
        number=number,
        total=len(applicable),
        answer=answers.get(question.id) if question else None,
        stale=stale,
        answered=sum(1 for q in applicable if q.id in answers and not answers[q.id].skipped),
        answers=answers,
    )


def start(
    session: Session,
    *,
    person_id: int,
    prompt_set: PromptSet,
    clock: Clock,
    meeting_id: int | None = None,
) -> Position:
    """Begin a reflection (about one of the person's own cohort's meetings, if any), if the
    person lets Tandem keep their answers."""
    if meeting_id is not None:  # another cohort's meeting is not found, as if it did not exist
        visible_meeting(session, meeting_id=meeting_id, person_id=person_id)
    if not keeps_reflections(session, person_id=person_id):
        raise NotAllowed("reflect.no_consent")
    now = clock.now()
    reflection = Reflection(
        person_id=person_id,
        prompt_set=prompt_set.id,
        title=prompt_set.title,
        current_question=prompt_set.questions[0].id,
        started_at=now,
        updated_at=now,
        meeting_id=meeting_id,
    )
    session.add(reflection)
    session.flush()
    prompt_set = with_measures(session, prompt_set=prompt_set, reflection=reflection)
    return _position(session, reflection, prompt_set)


def own_reflection(session: Session, person_id: int, reflection_id: int) -> Reflection:
    """The person's own reflection, or NotFound (another's is as if it did not exist)."""
    reflection = session.get(Reflection, reflection_id)
    if reflection is None or reflection.person_id != person_id:
        raise NotFound("reflect.not_found")
    return reflection


def resume(
    session: Session,
    *,
    person_id: int,
    reflection_id: int,
    prompt_sets: Mapping[str, PromptSet],
) -> Position:
    """Where a reflection stands now."""
    reflection = own_reflection(session, person_id, reflection_id)
    return _position(session, reflection, _set_of(session, prompt_sets, reflection))


def _current_or_stale(
    session: Session,
    person_id: int,
    reflection_id: int,
    question_id: str,
    prompt_sets: Mapping[str, PromptSet],
) -> tuple[Reflection, PromptSet, PromptQuestion | None]:
    reflection = own_reflection(session, person_id, reflection_id)
    prompt_set = _set_of(session, prompt_sets, reflection)
    fresh = (
        reflection.status == ReflectionStatus.IN_PROGRESS
        and reflection.current_question == question_id
    )
    return reflection, prompt_set, prompt_set.question(question_id) if fresh else None


def answer(
    session: Session,
    *,
    person_id: int,
    reflection_id: int,
    question_id: str,
    clock: Clock,
    prompt_sets: Mapping[str, PromptSet],
    text: str | None = None,
    number: int | None = None,
    choice: str | None = None,
    voice: Voice | None = None,
) -> Position:
    """Save an answer to the current question and move on (a stale question is reported)."""
    reflection, prompt_set, question = _current_or_stale(
        session, person_id, reflection_id, question_id, prompt_sets
    )
    if question is None:
        return _position(session, reflection, prompt_set, stale=True)
    fields = interpret(question, text=text, number=number, choice=choice, voice=voice)
    answers = _store(session, reflection, question, clock, **fields)
    return _advance(session, reflection, prompt_set, question, clock, answers)


def answer_waiting(
    session: Session,
    *,
    person_id: int,
    reflection_id: int,
    clock: Clock,
    prompt_sets: Mapping[str, PromptSet],
    text: str | None = None,
    voice: Voice | None = None,
) -> Position:
    """Save typed words or a voice note as the answer to the question the reflection is
    waiting on, and move on; when none is waiting (the sharing choice), where it stands."""
    reflection = own_reflection(session, person_id, reflection_id)
    prompt_set = _set_of(session, prompt_sets, reflection)
    waiting = reflection.status == ReflectionStatus.IN_PROGRESS
    question = prompt_set.question(reflection.current_question or "") if waiting else None
    if question is None:
        return _position(session, reflection, prompt_set)
    fields = interpret(question, text=text, number=None, choice=None, voice=voice)
    answers = _store(session, reflection, question, clock, **fields)
    return _advance(session, reflection, prompt_set, question, clock, answers)


def _store(
    session: Session,
    reflection: Reflection,
    question: PromptQuestion,
    clock: Clock,
    **fields: object,
) -> dict[str, Answer]:
    """Store the answer; every answer of the reflection now, read once for the whole tap."""
    assert reflection.id is not None
    answers = answers_of(session, reflection.id)
    row = answers.get(question.id)
    if row is None:
        row = Answer(
            reflection_id=reflection.id,
            question_id=question.id,
            kind=question.kind,
            position=len(answers) + 1,
        )
    row.text = row.number = row.choices = row.voice_file_id = row.voice_duration = None
    row.skipped = False
    for name, value in fields.items():
        setattr(row, name, value)
    row.answered_at = clock.now()
    row.language = languages.current()  # asked in it, so (most likely) answered in it
    session.add(row)
    if question.contact_request:
        reflection.wants_contact = row.choices == json.dumps([YES])
    session.flush()
    answers[question.id] = row
    return answers


def _advance(
    session: Session,
    reflection: Reflection,
    prompt_set: PromptSet,
    question: PromptQuestion,
    clock: Clock,
    answers: dict[str, Answer] | None = None,
) -> Position:
    assert reflection.id is not None
    answers = answers_of(session, reflection.id) if answers is None else answers
    drop_unreachable(session, reflection, prompt_set, answers)
    following = next_question(prompt_set, answers, question.id)
    reflection.current_question = following.id if following else None
    reflection.updated_at = clock.now()
    session.add(reflection)
    session.flush()
    return _position(session, reflection, prompt_set, answers=answers)


def skip(
    session: Session,
    *,
    person_id: int,
    reflection_id: int,
    question_id: str,
    clock: Clock,
    prompt_sets: Mapping[str, PromptSet],
) -> Position:
    """Skip an optional question."""
    reflection, prompt_set, question = _current_or_stale(
        session, person_id, reflection_id, question_id, prompt_sets
    )
    if question is None:
        return _position(session, reflection, prompt_set, stale=True)
    if not question.optional:
        raise InvalidInput("reflect.not_optional")
    answers = _store(session, reflection, question, clock, skipped=True)
    return _advance(session, reflection, prompt_set, question, clock, answers)


def toggle(
    session: Session,
    *,
    person_id: int,
    reflection_id: int,
    question_id: str,
    choice: str,
    clock: Clock,
    prompt_sets: Mapping[str, PromptSet],
) -> Position:
    """Tick or untick one choice of a multiple-choice question (saved as it is ticked)."""
    reflection, prompt_set, question = _current_or_stale(
        session, person_id, reflection_id, question_id, prompt_sets
    )
    if question is None or question.kind != "multi":
        return _position(session, reflection, prompt_set, stale=True)
    if choice not in {c.value for c in question.choices or ()}:
        raise InvalidInput("reflect.use_buttons")
    current = _position(session, reflection, prompt_set).answer
    ticked = list(json.loads(current.choices)) if current and current.choices else []
    ticked = [c for c in ticked if c != choice] if choice in ticked else [*ticked, choice]
    ordered = [c.value for c in question.choices or () if c.value in ticked]
    answers = _store(session, reflection, question, clock, choices=json.dumps(ordered))
    return _position(session, reflection, prompt_set, answers=answers)


def done(
    session: Session,
    *,
    person_id: int,
    reflection_id: int,
    question_id: str,
    clock: Clock,
    prompt_sets: Mapping[str, PromptSet],
) -> Position:
    """Finish a multiple-choice question with what is ticked (nothing ticked is a skip)."""
    reflection, prompt_set, question = _current_or_stale(
        session, person_id, reflection_id, question_id, prompt_sets
    )
    if question is None:
        return _position(session, reflection, prompt_set, stale=True)
    stored = _position(session, reflection, prompt_set).answer
    if stored is None or not stored.choices or stored.choices == "[]":
        if not question.optional:
            raise InvalidInput("reflect.choose_one")
        _store(session, reflection, question, clock, skipped=True)
    return _advance(session, reflection, prompt_set, question, clock)


def back(
    session: Session,
    *,
    person_id: int,
    reflection_id: int,
    clock: Clock,
    prompt_sets: Mapping[str, PromptSet],
) -> Position:
    """Go back to the question before the current one, to change its answer."""
    reflection = own_reflection(session, person_id, reflection_id)
    prompt_set = _set_of(session, prompt_sets, reflection)
    if reflection.status != ReflectionStatus.IN_PROGRESS:
        return _position(session, reflection, prompt_set, stale=True)
    assert reflection.id is not None
    answers = answers_of(session, reflection.id)
    order = [q.id for q in prompt_set.questions if q.id in answers]
    current = reflection.current_question
    ids = [q.id for q in prompt_set.questions]
    earlier = [qid for qid in order if current is None or ids.index(qid) < ids.index(current)]
    if earlier:
        reflection.current_question = earlier[-1]
        reflection.updated_at = clock.now()
        session.add(reflection)
        session.flush()
    return _position(session, reflection, prompt_set)


def finish(
    session: Session,
    *,
    person_id: int,
    reflection_id: int,
    sharing: Sharing,
    clock: Clock,
    prompt_sets: Mapping[str, PromptSet],
) -> Position:
    """Choose who may read the reflection; that finishes it."""
    reflection = own_reflection(session, person_id, reflection_id)
    prompt_set = _set_of(session, prompt_sets, reflection)
    if reflection.status != ReflectionStatus.IN_PROGRESS or reflection.current_question:
        return _position(session, reflection, prompt_set, stale=True)
    reflection.sharing = sharing
    reflection.status = ReflectionStatus.FINISHED
    reflection.finished_at = reflection.updated_at = clock.now()
    session.add(reflection)
    session.flush()
    if reflection.wants_contact:  # they asked for a facilitator to get in touch
        name = session.get(Person, person_id)
        params = {"name": (name.preferred_name if name else "") or "", "title": reflection.title}
        notices.tell_facilitators_of(
            session, person_id=person_id, key="notify.contact", params=params, clock=clock
        )
    offer = offer_after_check_in(
        session, person_id=person_id, reflection_id=reflection.id or 0, clock=clock
    )
    return replace(_position(session, reflection, prompt_set), offer=offer)


def discard(session: Session, *, person_id: int, reflection_id: int, clock: Clock) -> None:
    """Throw away an unfinished reflection and its answers."""
    reflection = own_reflection(session, person_id, reflection_id)
    if reflection.status != ReflectionStatus.IN_PROGRESS:
        return
    session.execute(delete(Answer).where(col(Answer.reflection_id) == reflection_id))
    reflection.status = ReflectionStatus.DISCARDED
    reflection.updated_at = clock.now()
    session.add(reflection)
