"""Participation figures for coordinators: who was asked to reflect on a meeting, who did.

A partner is eligible for a meeting when they were a partner of its cohort when it began
(and have not been erased); they responded when they finished a reflection on it, whatever
they chose to share. Only the counts leave this module, never anyone's words. Counting is
done in a few grouped queries that work the same on SQLite and PostgreSQL; months are
worked out in Python so no dialect's date functions are needed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.models import (
    Attendance,
    Cohort,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    PersonStatus,
    Reflection,
    ReflectionStatus,
    Role,
)


def _rate(responded: int, eligible: int) -> float:
    return responded / eligible if eligible else 0.0


@dataclass(frozen=True)
class MeetingRate:
    """How many eligible partners reflected on one meeting."""

    meeting_id: int
    cohort_id: int
    cohort: str
    title: str
    starts_at: datetime
    eligible: int
    responded: int
    # Issue 18: how many a facilitator confirmed came (None: attendance not confirmed yet).
    attended: int | None = None

    @property
    def rate(self) -> float:
        """Responded over eligible, 0 when nobody was eligible."""
        return _rate(self.responded, self.eligible)


@dataclass(frozen=True)
class PartnerRate:
    """How many of the meetings a partner was eligible for they reflected on."""

    person_id: int
    name: str
    cohort: str
    eligible: int
    responded: int
    last_response: datetime | None

    @property
    def rate(self) -> float:
        """Responded over eligible, 0 when nobody was eligible."""
        return _rate(self.responded, self.eligible)


@dataclass(frozen=True)
class MonthRate:
    """One cohort's responses over the meetings of one calendar month (UTC)."""

    month: date
    cohort_id: int
    cohort: str
    eligible: int
    responded: int

    @property
    def rate(self) -> float:
        """Responded over eligible, 0 when nobody was eligible."""
        return _rate(self.responded, self.eligible)


def _meeting_filter(
    *, cohort_ids: list[int] | None, now: datetime, since: datetime | None
) -> list[ColumnElement[bool]]:
    """Past, not cancelled meetings (of some cohorts, from a time)."""
    conditions = [
        col(Meeting.status) != MeetingStatus.CANCELLED,
        col(Meeting.starts_at) <= now,
    ]
    if cohort_ids is not None:
        conditions.append(col(Meeting.cohort_id).in_(cohort_ids))
    if since is not None:
        conditions.append(col(Meeting.starts_at) >= since)
    return conditions


def _eligible_join() -> ColumnElement[bool]:
    """Membership rows that make a partner eligible for the meeting they are joined to."""
    return and_(
        col(Membership.cohort_id) == col(Meeting.cohort_id),
        col(Membership.role) == Role.PARTNER,
        col(Membership.joined_at) <= col(Meeting.starts_at),
        or_(col(Membership.left_at).is_(None), col(Membership.left_at) > col(Meeting.starts_at)),
    )


def _eligible(query: Any, conditions: list[ColumnElement[bool]]) -> Any:
    """Join a query over meetings to each partner eligible for them."""
    return (
        query.select_from(Meeting)
        .join(Membership, _eligible_join())
        .join(Person, col(Person.id) == col(Membership.person_id))
        .where(col(Person.status) != PersonStatus.ERASED, *conditions)
    )


def _responses(query: Any, conditions: list[ColumnElement[bool]]) -> Any:
    """Join a query over finished reflections to the meeting and the eligible partner.

    Starting from the reflections (not from every partner of every meeting) keeps this
    one pass over the responses; a reflection by someone not eligible finds no row.
    """
    return (
        query.select_from(Reflection)
        .join(Meeting, col(Meeting.id) == col(Reflection.meeting_id))
        .join(
            Membership,
            and_(col(Membership.person_id) == col(Reflection.person_id), _eligible_join()),
        )
        .join(Person, col(Person.id) == col(Membership.person_id))
        .where(
            col(Reflection.status) == ReflectionStatus.FINISHED,
            col(Person.status) != PersonStatus.ERASED,
            *conditions,
        )
    )


def _counts(session: Session, conditions: list[ColumnElement[bool]]) -> dict[int, tuple[int, int]]:
    """(eligible, responded) for each meeting that had anyone eligible."""
    meeting_id = col(Meeting.id)
    eligible = _eligible(select(meeting_id, func.count()), conditions).group_by(meeting_id)
    responded = _responses(
        select(meeting_id, func.count(distinct(col(Reflection.person_id)))), conditions
    ).group_by(meeting_id)
    answered: dict[int, int] = dict(session.exec(responded).all())
    return {key: (count, answered.get(key, 0)) for key, count in session.exec(eligible)}


def by_meeting(
    session: Session,
    *,
    cohort_ids: list[int] | None,
    now: datetime,
    since: datetime | None = None,
    limit: int = 50,
) -> list[MeetingRate]:
    """Response rate for each past meeting, newest first."""
    conditions = _meeting_filter(cohort_ids=cohort_ids, now=now, since=since)
    meetings = session.exec(
        select(Meeting, Cohort.name)
        .join(Cohort, col(Cohort.id) == col(Meeting.cohort_id))
        .where(*conditions)
        .order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc())
        .limit(limit)
    ).all()
    if not meetings:
        return []
    # The same filter from the oldest meeting shown, rather than `id IN (...)`: SQLite then
    # plans one pass over the reflections instead of one per meeting.
    oldest = meetings[-1][0].starts_at
    counts = _counts(session, [*conditions, col(Meeting.starts_at) >= oldest])
    came = _attended(session, [m.id for m, _ in meetings if m.id is not None])
    rates = []
    for meeting, cohort in meetings:
        assert meeting.id is not None
        eligible, responded = counts.get(meeting.id, (0, 0))
        rates.append(
            MeetingRate(
                meeting_id=meeting.id,
                cohort_id=meeting.cohort_id,
                cohort=cohort,
                title=meeting.title,
                starts_at=meeting.starts_at,
                eligible=eligible,
                responded=responded,
                attended=came.get(meeting.id),
            )
        )
    return rates


def _attended(session: Session, meeting_ids: list[int]) -> dict[int, int]:
    """How many came to each of these meetings whose attendance was confirmed (issue 18)."""
    if not meeting_ids:
        return {}
    rows = session.exec(
        select(
            Attendance.meeting_id,
            func.sum(case((col(Attendance.attended), 1), else_=0)),
        )
        .where(col(Attendance.meeting_id).in_(meeting_ids))
        .group_by(col(Attendance.meeting_id))
    ).all()
    return {int(mid): int(there or 0) for mid, there in rows}


def by_partner(
    session: Session,
    *,
    cohort_ids: list[int] | None,
    now: datetime,
    since: datetime | None = None,
) -> list[PartnerRate]:
    """Response rate for each current partner (per cohort), those needing support first.

    Only partners still in the cohort at `now` are listed, and only once they have been
    eligible for at least one meeting; a newcomer is not shown as never responding.
    """
    still_member = or_(col(Membership.left_at).is_(None), col(Membership.left_at) > now)
    conditions = [*_meeting_filter(cohort_ids=cohort_ids, now=now, since=since), still_member]
    key = (col(Membership.person_id), col(Membership.cohort_id))
    responses = _responses(
        select(
            *key,
            func.count(distinct(col(Reflection.meeting_id))),
            func.max(col(Reflection.finished_at)),
        ),
        conditions,
    ).group_by(*key)
    answered = {(pid, cid): (count, last) for pid, cid, count, last in session.exec(responses)}
    eligible = _eligible(
        sa_select(*key, col(Person.preferred_name), col(Cohort.name), func.count()),
        conditions,
    )
    eligible = eligible.join(Cohort, col(Cohort.id) == col(Meeting.cohort_id)).group_by(
        *key, col(Person.preferred_name), col(Cohort.name)
    )
    rows = []
    for person_id, cohort_id, name, cohort, count in session.execute(eligible):
        responded, last_response = answered.get((person_id, cohort_id), (0, None))
        rows.append(
            PartnerRate(
                person_id=person_id,
                name=name or f"Partner {person_id}",
                cohort=cohort,
                eligible=count,
                responded=responded,
                last_response=last_response,
            )
        )
    return sorted(rows, key=lambda row: (row.rate, row.name.casefold(), row.cohort, row.person_id))


def _month_start(when: datetime) -> date:
    """The first day of the (UTC) month a time falls in."""
    utc = when.astimezone(UTC)
    return date(utc.year, utc.month, 1)


def _months_back(first: date, count: int) -> list[date]:
    """`count` month starts ending with `first`, oldest first."""
    index = first.year * 12 + first.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def by_month(
    session: Session, *, cohort_ids: list[int] | None, now: datetime, months: int = 6
) -> list[MonthRate]:
    """Response rate per cohort per month, oldest first, months without meetings included."""
    window = _months_back(_month_start(now), max(months, 1))
    since = datetime(window[0].year, window[0].month, 1, tzinfo=UTC)
    conditions = _meeting_filter(cohort_ids=cohort_ids, now=now, since=since)
    meetings = session.exec(
        select(Meeting.id, Meeting.cohort_id, Meeting.starts_at).where(*conditions)
    ).all()
    counts = _counts(session, conditions)
    totals: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for meeting_id, cohort_id, starts_at in meetings:
        eligible, responded = counts.get(meeting_id or 0, (0, 0))
        total = totals[(cohort_id, _month_start(starts_at))]
        total[0] += eligible
        total[1] += responded
    cohorts = select(Cohort.id, Cohort.name).order_by(col(Cohort.name))
    if cohort_ids is not None:
        cohorts = cohorts.where(col(Cohort.id).in_(cohort_ids))
    named = session.exec(cohorts).all()
    return [
        MonthRate(
            month=month,
            cohort_id=cohort_id or 0,
            cohort=name,
            eligible=totals.get((cohort_id or 0, month), [0, 0])[0],
            responded=totals.get((cohort_id or 0, month), [0, 0])[1],
        )
        for month in window
        for cohort_id, name in named
    ]


def this_month(session: Session, *, cohort_ids: list[int] | None, now: datetime) -> tuple[int, int]:
    """(responded, eligible) over the meetings so far this calendar month (UTC)."""
    first = _month_start(now)
    since = datetime(first.year, first.month, 1, tzinfo=UTC)
    counts = _counts(session, _meeting_filter(cohort_ids=cohort_ids, now=now, since=since))
    return (
        sum(responded for _, responded in counts.values()),
        sum(eligible for eligible, _ in counts.values()),
    )
