"""Reading reflections back: a partner's own journal, and facilitators' review.

Review never returns a private reflection, and shows an anonymised one without its author.
Every review is audited.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain import audit, notices
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.measures.checkin import with_measures
from bot.domain.people import get_person
from bot.library.prompts import DONT_KNOW, YES, PromptSet
from bot.models import (
    Answer,
    Membership,
    Note,
    Person,
    Reflection,
    ReflectionStatus,
    Role,
    Sharing,
)


@dataclass(frozen=True)
class AnsweredQuestion:
    """One question and its answer, ready to show."""

    question_id: str
    question: str
    answer: str
    skipped: bool
    voice_file_id: str | None = None


@dataclass(frozen=True)
class ReflectionView:
    """A finished reflection as a reader may see it."""

    id: int
    title: str
    prompt_set: str
    finished_at: datetime | None
    sharing: Sharing | None
    author: str | None
    wants_contact: bool
    answers: tuple[AnsweredQuestion, ...]
    flagged: bool = False


@dataclass(frozen=True)
class AnswerWords:
    """The words an answer is summed up in, in the reader's language (the Telegram layer
    fills them from its catalogue; these are the English, for staff and files)."""

    skipped: str = "Skipped"
    voice: str = "Voice note ({length})"
    out_of: str = "{number} out of {top}"
    yes: str = "Yes"
    no: str = "No"
    dont_know: str = "Don't know"
    none_chosen: str = "Nothing chosen"


ENGLISH_WORDS = AnswerWords()


def describe(
    answer: Answer, prompt_set: PromptSet | None, words: AnswerWords = ENGLISH_WORDS
) -> AnsweredQuestion:
    """An answer in words: "4 out of 5", "Yes", the chosen labels, the text, or a voice note."""
    question = prompt_set.question(answer.question_id) if prompt_set else None
    text = question.text if question else answer.question_id
    if answer.skipped:
        shown = words.skipped
    elif answer.voice_file_id:
        minutes, seconds = divmod(answer.voice_duration or 0, 60)
        shown = words.voice.format(length=f"{minutes}:{seconds:02d}")
    elif answer.number is not None:
        top = question.scale.max if question and question.scale else 5
        shown = words.out_of.format(number=answer.number, top=top)
    elif answer.choices is not None:
        values = json.loads(answer.choices)
        if answer.kind == "yes_no":
            shown = words.yes if values == [YES] else words.no
        elif values == [DONT_KNOW]:  # a measure's "don't know"
            shown = words.dont_know
        else:
            labels = [question.choice_label(v) if question else v for v in values]
            shown = ", ".join(labels) or words.none_chosen
    else:
        shown = answer.text or ""
    return AnsweredQuestion(answer.question_id, text, shown, answer.skipped, answer.voice_file_id)


def given_words(
    answers: Mapping[str, Answer],
    prompt_set: PromptSet,
    question_id: str,
    words: AnswerWords = ENGLISH_WORDS,
) -> str | None:
    """The answer to one question, in words, from answers already read (a reflection's
    position after a tap: confirming it needs no second read); None when there is none."""
    answer = answers.get(question_id)
    return None if answer is None else in_words(answer, prompt_set, words)


def _asked_set(
    session: Session, reflection: Reflection, prompt_sets: Mapping[str, PromptSet]
) -> PromptSet | None:
    """The reflection's prompt set as it was asked (with its cohort's measures, if any)."""
    prompt_set = prompt_sets.get(reflection.prompt_set)
    if prompt_set is None:
        return None
    return with_measures(session, prompt_set=prompt_set, reflection=reflection)


def in_words(
    answer: Answer, prompt_set: PromptSet | None, said: AnswerWords = ENGLISH_WORDS
) -> str:
    """An answer as the person gave it: "5 out of 5: Very well", "Yes", "Skipped", the text."""
    words = describe(answer, prompt_set, said).answer
    question = prompt_set.question(answer.question_id) if prompt_set else None
    scale = question.scale if question else None
    if scale is not None and answer.number is not None and not answer.skipped:
        ends = {scale.min: scale.low, scale.max: scale.high}
        if ends.get(answer.number):
            words = f"{words}: {ends[answer.number]}"
    return words


def _view(
    session: Session,
    reflection: Reflection,
    prompt_sets: Mapping[str, PromptSet],
    author: str | None,
    words: AnswerWords = ENGLISH_WORDS,
) -> ReflectionView:
    assert reflection.id is not None
    rows = session.exec(
        select(Answer).where(Answer.reflection_id == reflection.id).order_by(col(Answer.position))
    ).all()
    prompt_set = _asked_set(session, reflection, prompt_sets)
    if prompt_set is not None:  # show answers in the set's order, not the order given
        order = {q.id: i for i, q in enumerate(prompt_set.questions)}
        rows = sorted(rows, key=lambda row: order.get(row.question_id, len(order)))
    return ReflectionView(
        id=reflection.id,
        title=reflection.title,
        prompt_set=reflection.prompt_set,
        finished_at=reflection.finished_at,
        sharing=reflection.sharing,
        author=author,
        wants_contact=reflection.wants_contact,
        answers=tuple(describe(row, prompt_set, words) for row in rows),
        flagged=reflection.flagged_at is not None,
    )


def journal_page(
    session: Session,
    *,
    person_id: int,
    index: int,
    prompt_sets: Mapping[str, PromptSet],
    words: AnswerWords = ENGLISH_WORDS,
) -> tuple[ReflectionView | Note | None, int]:
    """Entry number `index` (0 = newest) of the person's journal, and how many there are: their
    finished reflections and the notes they kept (messages that answered no question)."""
    mine = (Reflection.person_id == person_id) & (Reflection.status == ReflectionStatus.FINISHED)
    dated: list[tuple[datetime, int, int]] = [
        (finished, 1, rid)
        for rid, finished in session.exec(select(Reflection.id, Reflection.finished_at).where(mine))
        if rid is not None and finished is not None
    ]
    dated += [
        (written, 0, -(nid or 0))
        for nid, written in session.exec(
            select(Note.id, Note.created_at).where(Note.person_id == person_id)
        )
    ]
    if not dated:
        return None, 0
    dated.sort(reverse=True)
    index = max(0, min(index, len(dated) - 1))
    _, _, key = dated[index]
    if key < 0:
        return session.get(Note, -key), len(dated)
    reflection = session.get(Reflection, key)
    assert reflection is not None
    return _view(session, reflection, prompt_sets, author=None, words=words), len(dated)


def for_review(
    session: Session,
    *,
    viewer_id: int,
    prompt_sets: Mapping[str, PromptSet],
    clock: Clock,
    cohort_id: int | None = None,
    prompt_set: str | None = None,
    meeting_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[ReflectionView]:
    """Finished reflections a facilitator (their cohorts) or coordinator (all) may read."""
    viewer = get_person(session, person_id=viewer_id)
    if viewer.role == Role.PARTNER:
        raise NotAllowed("review.not_allowed")
    query = (
        select(Reflection, Person.preferred_name)
        .join(Person, col(Person.id) == col(Reflection.person_id))
        .where(
            Reflection.status == ReflectionStatus.FINISHED,
            col(Reflection.sharing).in_([Sharing.FACILITATORS, Sharing.ANONYMISED]),
        )
        .order_by(col(Reflection.finished_at).desc(), col(Reflection.id).desc())
        .limit(limit)
        .offset(offset)
    )
    cohorts = _visible_cohorts(session, viewer, cohort_id)
    if cohorts is not None:
        members = select(Membership.person_id).where(col(Membership.cohort_id).in_(cohorts))
        query = query.where(col(Reflection.person_id).in_(members))
    if prompt_set is not None:
        query = query.where(Reflection.prompt_set == prompt_set)
    if meeting_id is not None:
        query = query.where(Reflection.meeting_id == meeting_id)
    views = [
        _view(
            session,
            reflection,
            prompt_sets,
            author=name if reflection.sharing == Sharing.FACILITATORS else None,
        )
        for reflection, name in session.exec(query).all()
    ]
    audit.record(
        session,
        clock=clock,
        action="review_reflections",
        actor_id=viewer_id,
        detail=f"{len(views)} reflection(s)",
    )
    return views


def _visible_cohorts(session: Session, viewer: Person, cohort_id: int | None) -> list[int] | None:
    """The cohorts a viewer may review (None: every cohort, for coordinators)."""
    if viewer.role == Role.COORDINATOR:
        return [cohort_id] if cohort_id is not None else None
    own = session.exec(
        select(Membership.cohort_id).where(
            Membership.person_id == viewer.id,
            Membership.role == Role.FACILITATOR,
            col(Membership.left_at).is_(None),
        )
    ).all()
    allowed = [int(c) for c in own]
    if cohort_id is not None:
        return [cohort_id] if cohort_id in allowed else []
    return allowed


def shared_reflection(session: Session, *, viewer_id: int, reflection_id: int) -> Reflection:
    """A finished reflection the viewer may act on (never a private one, never another
    cohort's); NotFound otherwise, so nothing is revealed about it."""
    reflection = session.get(Reflection, reflection_id)
    viewer = get_person(session, person_id=viewer_id)
    if viewer.role == Role.PARTNER or reflection is None:
        raise NotFound("reflect.not_found")
    allowed = _visible_cohorts(session, viewer, None)
    members = (
        set(
            session.exec(
                select(Membership.person_id).where(col(Membership.cohort_id).in_(allowed))
            ).all()
        )
        if allowed is not None
        else None
    )
    if (
        reflection.status != ReflectionStatus.FINISHED
        or reflection.sharing not in (Sharing.FACILITATORS, Sharing.ANONYMISED)
        or (members is not None and reflection.person_id not in members)
    ):
        raise NotFound("reflect.not_found")
    return reflection


REPLY_LIMIT = 3500


def named_author(reflection: Reflection) -> int | None:
    """Who wrote it, for the audit log, unless it was shared anonymised: then not even the
    audit log may tie it to a person."""
    return reflection.person_id if reflection.sharing == Sharing.FACILITATORS else None


def reply(
    session: Session, *, viewer_id: int, reflection_id: int, text: str, clock: Clock
) -> Reflection:
    """A facilitator's reply to a shared reflection: it reaches the partner, from them.
    Replying to an anonymised reflection reaches its author without naming them to anyone."""
    reflection = shared_reflection(session, viewer_id=viewer_id, reflection_id=reflection_id)
    words = text.strip()
    if not words:
        raise InvalidInput("questions.empty_answer")
    if len(words) > REPLY_LIMIT:
        raise InvalidInput("broadcast.too_long", limit=REPLY_LIMIT, length=len(words))
    author = get_person(session, person_id=viewer_id)
    notices.notify(
        session,
        person_ids=[reflection.person_id],
        key="notify.review_reply",
        clock=clock,
        params={
            "facilitator": author.preferred_name or "",
            "title": reflection.title,
            "text": words,
        },
    )
    audit.record(
        session,
        clock=clock,
        action="reply_reflection",
        actor_id=viewer_id,
        subject_id=named_author(reflection),
        detail=f"reflection {reflection_id}",
    )
    return reflection


def flag(session: Session, *, viewer_id: int, reflection_id: int, clock: Clock) -> Reflection:
    """Flag a reflection for follow-up (or clear the flag)."""
    reflection = shared_reflection(session, viewer_id=viewer_id, reflection_id=reflection_id)
    if reflection.flagged_at is None:
        reflection.flagged_at, reflection.flagged_by = clock.now(), viewer_id
    else:
        reflection.flagged_at, reflection.flagged_by = None, None
    session.add(reflection)
    audit.record(
        session,
        clock=clock,
        action="flag_reflection" if reflection.flagged_at else "unflag_reflection",
        actor_id=viewer_id,
        subject_id=named_author(reflection),
        detail=f"reflection {reflection_id}",
    )
    return reflection
