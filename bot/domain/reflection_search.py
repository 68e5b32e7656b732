"""Finding shared reflections for the dashboard: filters, pages and exports.

The same rules as review in chat (bot.domain.review): never a private or unfinished
reflection, never another cohort's for a facilitator, and never the author of an anonymised
one (so filtering by partner shows only what they shared with their name). Scope is decided
here, once, for pages and exports alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func
from sqlmodel import Session, col, select

from bot.domain.cohorts import require_runs, run_by
from bot.domain.errors import NotFound
from bot.domain.overview import partner_in_scope
from bot.library.prompts import YES, PromptSet
from bot.models import (
    Answer,
    Cohort,
    Meeting,
    Membership,
    Person,
    Reflection,
    ReflectionStatus,
    Role,
    Sharing,
)

SHARED = (Sharing.FACILITATORS, Sharing.ANONYMISED)
SEARCH_MAX = 100


@dataclass(frozen=True)
class ReflectionFilter:
    """What a reviewer asked for; every field is optional."""

    cohort_id: int | None = None
    meeting_id: int | None = None
    person_id: int | None = None
    # Part of a partner's name; like person_id, it matches only what they shared with it.
    partner_name: str | None = None
    prompt_set: str | None = None
    sharing: Sharing | None = None
    flagged: bool | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    # A scale question and the highest score to include ("felt an equal partner <= 2").
    scale_question: str | None = None
    scale_at_most: int | None = None
    reflection_id: int | None = None

    def describe(self) -> str:
        """The filters in a line for the audit log (never the search words themselves,
        which may quote a partner)."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("cohort", self.cohort_id),
                ("meeting", self.meeting_id),
                ("partner", self.person_id),
                ("prompt_set", self.prompt_set),
                ("sharing", self.sharing),
                ("flagged", self.flagged),
                ("since", self.since.date() if self.since else None),
                ("until", self.until.date() if self.until else None),
                (
                    "scale",
                    f"{self.scale_question}<={self.scale_at_most}"
                    if self.scale_question and self.scale_at_most is not None
                    else None,
                ),
                ("reflection", self.reflection_id),
            )
            if value is not None
        ]
        if self.text:
            parts.append("text search")
        if self.partner_name:
            parts.append("partner name search")
        return ", ".join(parts) or "no filters"


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


@dataclass(frozen=True)
class Page:
    """One page of results."""

    rows: list[ReflectionRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.per_page))


def scope(session: Session, *, viewer_id: int, wanted: ReflectionFilter) -> list[int] | None:
    """The cohorts a viewer may search within this filter (None: all, for coordinators).

    Asking for another cohort, one of its meetings or partners, is NotFound: the same answer
    as for something that does not exist.
    """
    cohorts = run_by(session, person_id=viewer_id)
    if wanted.cohort_id is not None:
        require_runs(session, person_id=viewer_id, cohort_id=wanted.cohort_id)
        cohorts = [wanted.cohort_id]
    if wanted.meeting_id is not None:
        meeting = session.get(Meeting, wanted.meeting_id)
        if meeting is None:
            raise NotFound("meeting.not_found", meeting_id=wanted.meeting_id)
        require_runs(session, person_id=viewer_id, cohort_id=meeting.cohort_id)
    if wanted.person_id is not None:
        partner_in_scope(session, viewer_id=viewer_id, person_id=wanted.person_id)
    return cohorts


def _cohort_of() -> Any:
    """Each partner's cohort (the first, should they belong to more than one)."""
    return (
        select(Membership.person_id, func.min(Membership.cohort_id).label("cohort_id"))
        .where(Membership.role == Role.PARTNER)
        .group_by(col(Membership.person_id))
        .subquery()
    )


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _query(cohorts: list[int] | None, wanted: ReflectionFilter, columns: Sequence[Any]) -> Any:
    """The select over visible, finished, shared reflections with the filter applied."""
    membership = _cohort_of()
    query = (
        select(*columns)
        .select_from(Reflection)
        .join(Person, col(Person.id) == col(Reflection.person_id))
        .join(membership, membership.c.person_id == col(Reflection.person_id))
        .join(Cohort, col(Cohort.id) == membership.c.cohort_id)
        .where(
            Reflection.status == ReflectionStatus.FINISHED,
            col(Reflection.sharing).in_(SHARED),
        )
    )
    if cohorts is not None:
        query = query.where(membership.c.cohort_id.in_(cohorts))
    conditions: list[Any] = []
    if wanted.reflection_id is not None:
        conditions.append(col(Reflection.id) == wanted.reflection_id)
    if wanted.meeting_id is not None:
        conditions.append(col(Reflection.meeting_id) == wanted.meeting_id)
    if wanted.person_id is not None:
        # Anonymised reflections never show under a partner's name.
        conditions += [
            col(Reflection.person_id) == wanted.person_id,
            col(Reflection.sharing) == Sharing.FACILITATORS,
        ]
    if wanted.partner_name:
        conditions += [
            func.lower(col(Person.preferred_name)).like(
                _like(wanted.partner_name[:SEARCH_MAX]), escape="\\"
            ),
            col(Reflection.sharing) == Sharing.FACILITATORS,
        ]
    if wanted.prompt_set:
        conditions.append(col(Reflection.prompt_set) == wanted.prompt_set)
    if wanted.sharing is not None:
        conditions.append(col(Reflection.sharing) == wanted.sharing)
    if wanted.flagged is not None:
        flagged = col(Reflection.flagged_at)
        conditions.append(flagged.is_not(None) if wanted.flagged else flagged.is_(None))
    if wanted.since is not None:
        conditions.append(col(Reflection.finished_at) >= wanted.since)
    if wanted.until is not None:
        conditions.append(col(Reflection.finished_at) < wanted.until)
    if wanted.text:
        conditions.append(
            exists().where(
                col(Answer.reflection_id) == col(Reflection.id),
                func.lower(col(Answer.text)).like(_like(wanted.text[:SEARCH_MAX]), escape="\\"),
            )
        )
    if wanted.scale_question and wanted.scale_at_most is not None:
        conditions.append(
            exists().where(
                col(Answer.reflection_id) == col(Reflection.id),
                col(Answer.question_id) == wanted.scale_question,
                col(Answer.skipped).is_(False),
                col(Answer.number) <= wanted.scale_at_most,
            )
        )
    return query.where(*conditions) if conditions else query


def _describe(answer: Answer, prompt_set: PromptSet | None) -> ShownAnswer:
    question = prompt_set.question(answer.question_id) if prompt_set else None
    top = question.scale.max if question and question.scale else None
    if answer.skipped:
        shown = "Skipped"
    elif answer.voice_file_id:
        minutes, seconds = divmod(answer.voice_duration or 0, 60)
        shown = f"Voice note, {minutes}:{seconds:02d}"
    elif answer.number is not None:
        shown = f"{answer.number} out of {top or 5}"
    elif answer.choices is not None:
        values = json.loads(answer.choices)
        if answer.kind == "yes_no":
            shown = "Yes" if values == [YES] else "No"
        else:
            labels = [question.choice_label(v) if question else v for v in values]
            shown = ", ".join(labels) or "None chosen"
    else:
        shown = answer.text or ""
    return ShownAnswer(
        question_id=answer.question_id,
        question=question.text if question else answer.question_id,
        kind=answer.kind,
        shown=shown,
        number=None if answer.skipped else answer.number,
        top=top,
        voice_seconds=answer.voice_duration if answer.voice_file_id else None,
        skipped=answer.skipped,
    )


def _answers(
    session: Session, reflections: Mapping[int, str], prompt_sets: Mapping[str, PromptSet]
) -> dict[int, list[ShownAnswer]]:
    """Every answer of these reflections in one query, in each prompt set's order."""
    found: dict[int, list[Answer]] = {rid: [] for rid in reflections}
    if not found:
        return {}
    for answer in session.exec(
        select(Answer).where(col(Answer.reflection_id).in_(list(found)))
    ).all():
        found[answer.reflection_id].append(answer)
    shown: dict[int, list[ShownAnswer]] = {}
    for rid, answers in found.items():
        prompt_set = prompt_sets.get(reflections[rid])
        order = {q.id: i for i, q in enumerate(prompt_set.questions)} if prompt_set else {}
        answers.sort(key=lambda a: (order.get(a.question_id, len(order)), a.position))
        shown[rid] = [_describe(a, prompt_set) for a in answers]
    return shown


_COLUMNS = (Reflection, Person.preferred_name, Cohort.name)


def _rows(
    session: Session,
    found: Sequence[Any],
    prompt_sets: Mapping[str, PromptSet],
) -> list[ReflectionRow]:
    reflections = [(r, name, cohort) for r, name, cohort in found]
    answers = _answers(session, {r.id: r.prompt_set for r, _, _ in reflections}, prompt_sets)
    meeting_ids = {r.meeting_id for r, _, _ in reflections if r.meeting_id}
    meetings = {
        m.id: m.title
        for m in session.exec(select(Meeting).where(col(Meeting.id).in_(meeting_ids))).all()
    }
    rows = []
    for reflection, name, cohort in reflections:
        named = reflection.sharing == Sharing.FACILITATORS
        rows.append(
            ReflectionRow(
                id=reflection.id,
                person_id=reflection.person_id if named else None,
                author=name if named else None,
                cohort=cohort,
                title=reflection.title,
                prompt_set=reflection.prompt_set,
                meeting=meetings.get(reflection.meeting_id),
                meeting_id=reflection.meeting_id,
                finished_at=reflection.finished_at,
                sharing=reflection.sharing or Sharing.FACILITATORS,
                flagged=reflection.flagged_at is not None,
                wants_contact=reflection.wants_contact,
                answers=tuple(answers.get(reflection.id or 0, [])),
            )
        )
    return rows


def search(
    session: Session,
    *,
    viewer_id: int,
    wanted: ReflectionFilter,
    prompt_sets: Mapping[str, PromptSet],
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """One page of shared reflections matching the filter, newest first."""
    cohorts = scope(session, viewer_id=viewer_id, wanted=wanted)
    total = int(session.exec(_query(cohorts, wanted, [func.count()])).one())
    pages = max(1, -(-total // per_page))
    page = max(1, min(page, pages))
    found = session.exec(
        _query(cohorts, wanted, _COLUMNS)
        .order_by(col(Reflection.finished_at).desc(), col(Reflection.id).desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(rows=_rows(session, found, prompt_sets), total=total, page=page, per_page=per_page)


def one(
    session: Session, *, viewer_id: int, reflection_id: int, prompt_sets: Mapping[str, PromptSet]
) -> ReflectionRow:
    """A single shared reflection the viewer may read, or NotFound."""
    result = search(
        session,
        viewer_id=viewer_id,
        wanted=ReflectionFilter(reflection_id=reflection_id),
        prompt_sets=prompt_sets,
    )
    if not result.rows:
        raise NotFound("reflect.not_found")
    return result.rows[0]


def batch(
    session: Session,
    *,
    viewer_id: int,
    wanted: ReflectionFilter,
    prompt_sets: Mapping[str, PromptSet],
    after_id: int = 0,
    size: int = 500,
) -> list[ReflectionRow]:
    """The next `size` matching reflections after `after_id`, oldest id first: exports walk
    the whole result this way, a short read at a time, in flat memory."""
    cohorts = scope(session, viewer_id=viewer_id, wanted=wanted)
    found = session.exec(
        _query(cohorts, wanted, _COLUMNS)
        .where(col(Reflection.id) > after_id)
        .order_by(col(Reflection.id))
        .limit(size)
    ).all()
    return _rows(session, found, prompt_sets)


def scale_questions(prompt_sets: Mapping[str, PromptSet]) -> list[tuple[str, str, int]]:
    """(question id, text, top of scale) of every scale question, for the score filter."""
    seen: dict[str, tuple[str, str, int]] = {}
    for prompt_set in prompt_sets.values():
        for question in prompt_set.questions:
            if question.scale is not None and question.id not in seen:
                seen[question.id] = (question.id, question.text, question.scale.max)
    return list(seen.values())
