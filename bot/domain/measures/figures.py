"""Measures' figures: ratings month by month, the latest figures, anonymised comments.

Which answers count: every rating given in a reflection that was not thrown away, whoever
may read that reflection (the question's hint tells partners their score is counted with
everyone's, without their name); figures are counts and means, never a person. Comments
are words, so only those from finished reflections the partner shared (with facilitators,
or anonymised for the board) are shown, and never with a name. /forget erases a person's
reflections and so their ratings and comments; the votes a measure had when adopted stay
as a plain number on the measure (`votes_at_adoption`), tied to nobody.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.domain.cohorts import cohorts_for
from bot.domain.measures.checkin import measure_of_question, question_ids
from bot.library.prompts import DONT_KNOW
from bot.models import Answer, Cohort, Measure, MeasureStatus, Reflection, ReflectionStatus, Sharing

CHARTED = (MeasureStatus.ADOPTED, MeasureStatus.RETIRED)
SHARED = (Sharing.FACILITATORS, Sharing.ANONYMISED)


@dataclass
class Figure:
    """A measure's ratings over some time: mean of the 1-5 ratings, how many, don't knows."""

    measure_id: int
    text: str
    status: MeasureStatus
    total: int = 0  # the sum of the ratings
    count: int = 0
    dont_know: int = 0

    @property
    def mean(self) -> float | None:
        """The mean rating, to one decimal place (None: no ratings)."""
        return round(self.total / self.count, 1) if self.count else None


@dataclass
class MeasureSeries:
    """One measure on the dashboard: its figures by month and its anonymised comments."""

    measure: Measure
    cohort: str
    months: dict[str, Figure] = field(default_factory=dict)  # "2026-11" -> its figures
    comments: list[tuple[str, str]] = field(default_factory=list)  # (month, words)


def _rows(
    session: Session,
    measures: list[Measure],
    since: datetime | None,
    until: datetime | None = None,
) -> list[Any]:
    """(question id, number, choices, text, answered at, status, sharing) of every answer
    to these measures' questions (answered from `since`, before `until`, if given)."""
    ids = [qid for m in measures for qid in question_ids(m.id or 0)]
    if not ids:
        return []
    query: Any = (
        select(  # type: ignore[call-overload]
            Answer.question_id,
            Answer.number,
            Answer.choices,
            Answer.text,
            Answer.answered_at,
            Reflection.status,
            Reflection.sharing,
        )
        .join(Reflection, col(Reflection.id) == col(Answer.reflection_id))
        .where(
            col(Answer.question_id).in_(ids),
            col(Answer.skipped).is_(False),
            Reflection.status != ReflectionStatus.DISCARDED,
        )
        .order_by(col(Answer.answered_at))
    )
    if since is not None:
        query = query.where(col(Answer.answered_at) >= since)
    if until is not None:
        query = query.where(col(Answer.answered_at) < until)
    return list(session.exec(query).all())


def _count(figure: Figure, number: int | None, choices: str | None) -> None:
    if number is not None:
        figure.total += number
        figure.count += 1
    elif choices and json.loads(choices) == [DONT_KNOW]:
        figure.dont_know += 1


def _charted(session: Session, cohort_ids: list[int]) -> list[Measure]:
    return list(
        session.exec(
            select(Measure)
            .where(col(Measure.cohort_id).in_(cohort_ids), col(Measure.status).in_(CHARTED))
            .order_by(col(Measure.cohort_id), col(Measure.adopted_at), col(Measure.id))
        ).all()
    )


def latest_figures(
    session: Session,
    *,
    cohort_id: int,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Figure]:
    """Each adopted measure of a cohort with its ratings (between two times, if given): for
    the board digest and the meeting summary."""
    measures = [m for m in _charted(session, [cohort_id]) if m.status == MeasureStatus.ADOPTED]
    figures = {m.id or 0: Figure(m.id or 0, m.text, m.status) for m in measures}
    for question_id, number, choices, *_ in _rows(session, measures, since, until):
        found = measure_of_question(question_id)
        if found is not None and not found[1]:
            _count(figures[found[0]], number, choices)
    return list(figures.values())


def measure_series(
    session: Session, *, viewer_id: int, cohort_id: int | None = None
) -> list[MeasureSeries]:
    """Every adopted or retired measure of the cohorts the viewer runs (or one of them),
    month by month, with comments partners shared (never a name)."""
    cohorts: dict[int, Cohort] = {
        c.id or 0: c
        for c in cohorts_for(session, person_id=viewer_id)
        if cohort_id is None or c.id == cohort_id
    }
    measures = _charted(session, list(cohorts))
    series = {m.id or 0: MeasureSeries(m, cohorts[m.cohort_id].name) for m in measures}
    for question_id, number, choices, text, answered_at, status, sharing in _rows(
        session, measures, None
    ):
        found = measure_of_question(question_id)
        if found is None:
            continue
        one, month = series[found[0]], f"{answered_at:%Y-%m}"
        if found[1]:
            if text and status == ReflectionStatus.FINISHED and sharing in SHARED:
                one.comments.append((month, text))
            continue
        figure = one.months.setdefault(
            month, Figure(found[0], one.measure.text, one.measure.status)
        )
        _count(figure, number, choices)
    return list(series.values())


def months_of(series: list[MeasureSeries]) -> list[str]:
    """Every month any of these measures has ratings in, in order."""
    return sorted({month for one in series for month in one.months})


def by_cohort(series: list[MeasureSeries]) -> dict[str, list[MeasureSeries]]:
    """The series grouped by cohort name."""
    grouped: dict[str, list[MeasureSeries]] = defaultdict(list)
    for one in series:
        grouped[one.cohort].append(one)
    return dict(grouped)
