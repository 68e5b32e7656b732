"""Finding shared reflections for the dashboard: filters, pages and exports.

The same rules as review in chat (bot.domain.review): never a private or unfinished
reflection, never another cohort's for a facilitator, and never the author of an anonymised
one (so filtering by partner shows only what they shared with their name). Scope is decided
here, once, for pages and exports alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import column, func, table, text
from sqlmodel import Session, col, select

from bot.domain.cohorts import require_runs, run_by
from bot.domain.errors import NotFound
from bot.domain.overview import partner_in_scope
from bot.domain.reflection_rows import COLUMNS, ReflectionRow, ShownAnswer, rows_from
from bot.library.prompts import PromptSet
from bot.models import (
    Answer,
    Meeting,
    Membership,
    Person,
    Reflection,
    ReflectionStatus,
    Role,
    Sharing,
)

SHARED = (Sharing.FACILITATORS, Sharing.ANONYMISED)
__all__ = [
    "ReflectionFilter",
    "ReflectionRow",
    "ResultPage",
    "ShownAnswer",
    "batch",
    "one",
    "search",
]
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
class ResultPage:
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


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: Any, words: str, dialect: str) -> Any:
    """Case-insensitive "contains". SQLite's LIKE already ignores (ASCII) case, exactly as
    its lower() would, and skipping lower() saves a call per answer scanned; PostgreSQL
    has ILIKE."""
    pattern = _like(words[:SEARCH_MAX])
    if dialect == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


_WORDS = table("answer_words", column("rowid"))
TRIGRAM = 3


def _answers_containing(words: str, dialect: str) -> Any:
    """Reflections with an answer containing these words (any case).

    On SQLite, words of three letters or more go through the FTS5 trigram index (migration
    0005), as a quoted phrase so nothing typed is read as search syntax; PostgreSQL's ILIKE
    uses its trigram index. Shorter words are scanned for.
    """
    words = " ".join(words.split())[:SEARCH_MAX]
    if dialect == "sqlite" and len(words) >= TRIGRAM:
        phrase = '"' + words.replace('"', '""') + '"'
        matching = select(_WORDS.c.rowid).where(text("answer_words MATCH :phrase"))
        return select(Answer.reflection_id).where(
            col(Answer.id).in_(matching.params(phrase=phrase))
        )
    return select(Answer.reflection_id).where(_contains(col(Answer.text), words, dialect))


def _query(
    cohorts: list[int] | None,
    wanted: ReflectionFilter,
    columns: Sequence[Any],
    dialect: str = "sqlite",
) -> Any:
    """The select over visible, finished, shared reflections with the filter applied.

    Filters that look at answers or memberships are `id IN (subquery)`: each subquery runs
    once per query, not once per reflection.
    """
    query = (
        select(*columns)
        .select_from(Reflection)
        .where(
            Reflection.status == ReflectionStatus.FINISHED,
            col(Reflection.sharing).in_(SHARED),
        )
    )
    if wanted.partner_name or any(c is Person.preferred_name for c in columns):
        query = query.join(Person, col(Person.id) == col(Reflection.person_id))
    if cohorts is not None:
        members = select(Membership.person_id).where(
            col(Membership.cohort_id).in_(cohorts), Membership.role == Role.PARTNER
        )
        query = query.where(col(Reflection.person_id).in_(members))
    conditions = [
        *_who_conditions(wanted, dialect),
        *_reflection_conditions(wanted),
        *_answer_conditions(wanted, dialect),
    ]
    return query.where(*conditions) if conditions else query


def _who_conditions(wanted: ReflectionFilter, dialect: str) -> list[Any]:
    """Which reflection, meeting or partner (by id or by part of their name)."""
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
            _contains(col(Person.preferred_name), wanted.partner_name, dialect),
            col(Reflection.sharing) == Sharing.FACILITATORS,
        ]
    return conditions


def _reflection_conditions(wanted: ReflectionFilter) -> list[Any]:
    """The prompt set, sharing, flag and finish-time filters."""
    conditions: list[Any] = []
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
    return conditions


def _answer_conditions(wanted: ReflectionFilter, dialect: str) -> list[Any]:
    """The filters on answers: words in any answer, and a scale question's score."""
    conditions: list[Any] = []
    if wanted.text:
        hits = _answers_containing(wanted.text, dialect)
        if dialect == "postgresql":
            # Otherwise PostgreSQL walks every reflection newest first and probes its answers
            # one by one (130 ms); found first through the trigram index, it takes a few.
            found = hits.cte("word_hits").prefix_with("MATERIALIZED")
            hits = select(found.c.reflection_id)
        conditions.append(col(Reflection.id).in_(hits))
    if wanted.scale_question and wanted.scale_at_most is not None:
        conditions.append(
            col(Reflection.id).in_(
                select(Answer.reflection_id).where(
                    col(Answer.question_id) == wanted.scale_question,
                    col(Answer.number) <= wanted.scale_at_most,
                    col(Answer.skipped).is_(False),
                )
            )
        )
    return conditions


def search(
    session: Session,
    *,
    viewer_id: int,
    wanted: ReflectionFilter,
    prompt_sets: Mapping[str, PromptSet],
    page: int = 1,
    per_page: int = 25,
) -> ResultPage:
    """One page of shared reflections matching the filter, newest first.

    A word search brings its total with the page (a window count), so the answers are
    scanned once. Otherwise the count is its own query and the page is read newest first
    straight off the finish-time index, stopping after the page.
    """
    cohorts = scope(session, viewer_id=viewer_id, wanted=wanted)
    dialect = session.get_bind().dialect.name
    windowed = bool(wanted.text)
    columns = [*COLUMNS, func.count().over()] if windowed else list(COLUMNS)

    def fetch(number: int) -> list[Any]:
        return list(
            session.exec(
                _query(cohorts, wanted, columns, dialect)
                .order_by(col(Reflection.finished_at).desc(), col(Reflection.id).desc())
                .limit(per_page)
                .offset((number - 1) * per_page)
            ).all()
        )

    def count() -> int:
        return int(session.exec(_query(cohorts, wanted, [func.count()], dialect)).one())

    page = max(1, page)
    found = fetch(page) if windowed else []
    total = int(found[0][-1]) if found else count()
    last = max(1, -(-total // per_page))
    if not found and (not windowed or (total and page > last)):
        page = min(page, last)
        found = fetch(page)
    if windowed:
        found = [row[:-1] for row in found]
    return ResultPage(
        rows=rows_from(session, found, prompt_sets), total=total, page=page, per_page=per_page
    )


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
        _query(cohorts, wanted, COLUMNS, session.get_bind().dialect.name)
        .where(col(Reflection.id) > after_id)
        .order_by(col(Reflection.id))
        .limit(size)
    ).all()
    return rows_from(session, found, prompt_sets)


def scale_questions(prompt_sets: Mapping[str, PromptSet]) -> list[tuple[str, str, int]]:
    """(question id, text, top of scale) of every scale question, for the score filter."""
    seen: dict[str, tuple[str, str, int]] = {}
    for prompt_set in prompt_sets.values():
        for question in prompt_set.questions:
            if question.scale is not None and question.id not in seen:
                seen[question.id] = (question.id, question.text, question.scale.max)
    return list(seen.values())
