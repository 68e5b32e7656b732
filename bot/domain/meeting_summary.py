"""One meeting's summary for its facilitators (issue 17 part 4, "the meeting loop closes").

Side by side: the agenda items partners proposed for the meeting (supported, accepted,
decided, with their outcomes), the measures' ratings since the cohort's previous meeting,
and what board members learned (by role label only, with partners' reactions). Titles,
counts and board members' own words; never a partner's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain.agenda.views import support_counts
from bot.domain.board.learnings import learnings_for_cohorts
from bot.domain.measures.figures import latest_figures
from bot.domain.meetings import managed
from bot.models import (
    AgendaItem,
    AgendaStatus,
    Cohort,
    ContributionOutcome,
    LearningStatus,
    Meeting,
    MeetingStatus,
)

HIDDEN = (AgendaStatus.DRAFT, AgendaStatus.WITHDRAWN)  # the proposer's alone


@dataclass(frozen=True)
class SummaryItem:
    """An agenda item proposed for the meeting: its status, supports and outcomes."""

    title: str
    status: str
    supports: int
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SummaryMeasure:
    """A measure's ratings since the previous meeting, and what was done about it."""

    text: str
    mean: float | None
    count: int
    dont_know: int
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SummaryLearning:
    """What one board member learned, by role label, with partners' reactions."""

    label: str
    learned: str
    differently: str
    voice: bool  # a voice note was part of it (not played here)
    held: bool  # kept back from partners: its words may need care
    helps: int
    talk: int


@dataclass(frozen=True)
class MeetingSummary:
    """A meeting's summary: items, measures and learnings side by side."""

    meeting_id: int
    title: str
    cohort: str
    starts_at: datetime
    since: datetime | None  # the previous meeting's start (None: the cohort's first)
    items: tuple[SummaryItem, ...]
    measures: tuple[SummaryMeasure, ...]
    learnings: tuple[SummaryLearning, ...]

    @property
    def counts(self) -> dict[str, int]:
        """How many items were proposed, supported, accepted and decided."""
        return {
            "proposed": len(self.items),
            "supported": sum(1 for i in self.items if i.supports),
            "accepted": sum(1 for i in self.items if i.status in ("accepted", "done")),
            "decided": sum(1 for i in self.items if i.status == "done"),
        }


def _outcomes(session: Session, column: object, ids: list[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, tuple[str, ...]] = {}
    if not ids:
        return found
    rows = session.exec(
        select(column, ContributionOutcome.text)  # type: ignore[call-overload]
        .where(col(column).in_(ids))
        .order_by(col(ContributionOutcome.recorded_at), col(ContributionOutcome.id))
    ).all()
    for key, text in rows:
        found[int(key)] = (*found.get(int(key), ()), text)
    return found


def _items(session: Session, meeting_id: int) -> tuple[SummaryItem, ...]:
    items = session.exec(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting_id, col(AgendaItem.status).not_in(HIDDEN))
        .order_by(col(AgendaItem.id))
    ).all()
    ids = [i.id or 0 for i in items]
    counts = support_counts(session, ids)
    outcomes = _outcomes(session, ContributionOutcome.agenda_item_id, ids)
    return tuple(
        SummaryItem(i.title, i.status.value, counts.get(i.id or 0, 0), outcomes.get(i.id or 0, ()))
        for i in items
    )


def previous_meeting(session: Session, *, meeting: Meeting) -> Meeting | None:
    """The cohort's meeting before this one (cancelled ones do not count)."""
    return session.exec(
        select(Meeting)
        .where(
            Meeting.cohort_id == meeting.cohort_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            col(Meeting.starts_at) < meeting.starts_at,
        )
        .order_by(col(Meeting.starts_at).desc())
    ).first()


def _measures(
    session: Session, meeting: Meeting, since: datetime | None
) -> tuple[SummaryMeasure, ...]:
    figures = latest_figures(
        session, cohort_id=meeting.cohort_id, since=since, until=meeting.starts_at
    )
    outcomes = _outcomes(session, ContributionOutcome.measure_id, [f.measure_id for f in figures])
    return tuple(
        SummaryMeasure(f.text, f.mean, f.count, f.dont_know, outcomes.get(f.measure_id, ()))
        for f in figures
    )


def _learnings(session: Session, meeting: Meeting) -> tuple[SummaryLearning, ...]:
    found = learnings_for_cohorts(session, cohort_ids=[meeting.cohort_id])
    return tuple(
        SummaryLearning(
            learning.label.value,
            learning.learned or "",
            learning.differently or "",
            bool(learning.learned_voice_file_id or learning.differently_voice_file_id),
            learning.status == LearningStatus.HELD,
            reactions.get("helps", 0),
            reactions.get("talk", 0),
        )
        for learning, of, reactions in found
        if of.id == meeting.id
    )


def summary_for_meeting(session: Session, *, viewer_id: int, meeting_id: int) -> MeetingSummary:
    """The summary of a meeting of a cohort the viewer runs (another's is not found)."""
    meeting = managed(session, viewer_id=viewer_id, meeting_id=meeting_id)
    previous = previous_meeting(session, meeting=meeting)
    since = previous.starts_at if previous else None
    cohort = session.get(Cohort, meeting.cohort_id)
    return MeetingSummary(
        meeting_id=meeting.id or 0,
        title=meeting.title,
        cohort=cohort.name if cohort else "",
        starts_at=meeting.starts_at,
        since=since,
        items=_items(session, meeting.id or 0),
        measures=_measures(session, meeting, since),
        learnings=_learnings(session, meeting),
    )
