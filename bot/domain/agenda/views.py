"""Who may see which agenda items, and the items as each reader sees them.

Partners see their cohort's confirmed items that are still live (open or accepted) and all
of their own; staff see the items of the cohorts they run. What other programs read
(`agenda_for_meeting`: the board-member digest, the meeting summary) holds titles, statuses
and counts, never names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, func, select

from bot.domain.cohorts import run_by
from bot.domain.errors import NotFound
from bot.domain.people import cohorts_of
from bot.models import (
    AgendaItem,
    AgendaStatus,
    AgendaSupport,
    Meeting,
    MeetingStatus,
    Person,
    Reflection,
)

LIVE = (AgendaStatus.OPEN, AgendaStatus.ACCEPTED)
ON_THE_AGENDA = (AgendaStatus.ACCEPTED, AgendaStatus.DONE)


def next_meeting(session: Session, *, cohort_id: int, now: datetime) -> Meeting | None:
    """The cohort's next scheduled meeting that has not started."""
    return session.exec(
        select(Meeting)
        .where(
            Meeting.cohort_id == cohort_id,
            Meeting.status == MeetingStatus.SCHEDULED,
            col(Meeting.starts_at) > now,
        )
        .order_by(col(Meeting.starts_at))
    ).first()


def _partner_cohorts(session: Session, person_id: int) -> list[int]:
    return [p.cohort.id or 0 for p in cohorts_of(session, person_id=person_id)]


def visible_item(session: Session, *, person_id: int, item_id: int) -> AgendaItem:
    """An item the partner may see: their own, or a confirmed live one of their cohort.
    Anything else (a draft, a withdrawn item, another cohort's) is not found."""
    item = session.get(AgendaItem, item_id)
    if item is not None and item.proposer_id == person_id:
        return item
    if (
        item is None
        or item.status not in LIVE
        or item.cohort_id not in _partner_cohorts(session, person_id)
    ):
        raise NotFound("agenda.not_found")
    return item


def managed_item(session: Session, *, viewer_id: int, item_id: int) -> AgendaItem:
    """An item of a cohort the viewer runs (another cohort's is not found); drafts and
    withdrawn items are the proposer's alone."""
    item = session.get(AgendaItem, item_id)
    cohorts = run_by(session, person_id=viewer_id)
    hidden = item is None or item.status in (AgendaStatus.DRAFT, AgendaStatus.WITHDRAWN)
    if hidden or (cohorts is not None and item.cohort_id not in cohorts):  # type: ignore[union-attr]
        raise NotFound("agenda.not_found")
    assert item is not None
    return item


def proposers_of(item: AgendaItem) -> list[int]:
    """Who proposed an item: its proposer, and their pair once they joined as co-proposer."""
    co = item.co_proposer_id if item.co_joined_at is not None else None
    return [item.proposer_id] + ([co] if co is not None else [])


def support_counts(session: Session, item_ids: Iterable[int]) -> dict[int, int]:
    """How many partners support each item (anonymous supports of erased people count)."""
    ids = list(item_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(AgendaSupport.item_id, func.count())
        .where(col(AgendaSupport.item_id).in_(ids))
        .group_by(col(AgendaSupport.item_id))
    ).all()
    return {int(item_id): int(count) for item_id, count in rows}


def supporter_ids(session: Session, item_ids: Iterable[int]) -> set[int]:
    """The people (not erased) who support these items."""
    rows = session.exec(
        select(AgendaSupport.supporter_id).where(col(AgendaSupport.item_id).in_(list(item_ids)))
    ).all()
    return {int(p) for p in rows if p is not None}


@dataclass(frozen=True)
class ItemView:
    """An item as one reader sees it."""

    item: AgendaItem
    supports: int
    mine: bool  # the reader proposed it
    supported: bool  # the reader supports it
    meeting: str | None  # the title of the meeting it is for
    meeting_at: datetime | None
    proposer: str | None = None  # staff only: who proposed it
    comments: tuple[str, ...] = ()  # staff only: supporters' comments
    reflection: str | None = None  # the title of the proposer's linked reflection
    co: bool = False  # the reader joined it as co-proposer (they may step back)
    pair: str | None = None  # staff only: the co-proposer's name, when a pair proposed it


def _views(
    session: Session, items: list[AgendaItem], reader: int, *, staff: bool
) -> list[ItemView]:
    counts = support_counts(session, (i.id or 0 for i in items))
    mine = set(
        session.exec(
            select(AgendaSupport.item_id).where(AgendaSupport.supporter_id == reader)
        ).all()
    )
    views = []
    for item in items:
        meeting = session.get(Meeting, item.meeting_id) if item.meeting_id else None
        proposer = session.get(Person, item.proposer_id) if staff else None
        comments = _comments(session, item.id or 0) if staff else ()
        linked = session.get(Reflection, item.reflection_id) if item.reflection_id else None
        co = proposers_of(item)[1:]
        pair = session.get(Person, co[0]) if staff and co else None
        views.append(
            ItemView(
                item,
                counts.get(item.id or 0, 0),
                reader in proposers_of(item),
                item.id in mine,
                meeting.title if meeting else None,
                meeting.starts_at if meeting else None,
                (proposer.preferred_name or "A partner") if proposer else None,
                comments,
                linked.title if linked else None,
                co == [reader],
                (pair.preferred_name or "A partner") if pair else None,
            )
        )
    return views


def _comments(session: Session, item_id: int) -> tuple[str, ...]:
    rows = session.exec(
        select(AgendaSupport.comment).where(
            AgendaSupport.item_id == item_id, col(AgendaSupport.comment).is_not(None)
        )
    ).all()
    return tuple(str(c) for c in rows)


def for_partner(session: Session, *, person_id: int, limit: int = 10) -> list[ItemView]:
    """The cohort's live items and the person's own items still in play, newest first."""
    cohorts = _partner_cohorts(session, person_id)
    others = and_(col(AgendaItem.cohort_id).in_(cohorts), col(AgendaItem.status).in_(LIVE))
    co = and_(
        col(AgendaItem.co_proposer_id) == person_id, col(AgendaItem.co_joined_at).is_not(None)
    )
    own = and_(
        or_(col(AgendaItem.proposer_id) == person_id, co),
        col(AgendaItem.status).not_in([AgendaStatus.WITHDRAWN, AgendaStatus.DRAFT]),
    )
    items = session.exec(
        select(AgendaItem).where(or_(others, own)).order_by(col(AgendaItem.id).desc()).limit(limit)
    ).all()
    return _views(session, list(items), person_id, staff=False)


def for_staff(session: Session, *, viewer_id: int, limit: int = 20) -> list[ItemView]:
    """Live items of the cohorts the viewer runs, oldest first (the longest waiting first)."""
    cohorts = run_by(session, person_id=viewer_id)
    query = select(AgendaItem).where(col(AgendaItem.status).in_(LIVE))
    if cohorts is not None:
        query = query.where(col(AgendaItem.cohort_id).in_(cohorts))
    items = session.exec(query.order_by(col(AgendaItem.id)).limit(limit)).all()
    return _views(session, list(items), viewer_id, staff=True)


@dataclass(frozen=True)
class MeetingItem:
    """An item on a meeting's agenda, as the digest and the summary show it: no names."""

    item_id: int
    title: str
    status: str
    supports: int


def agenda_for_meeting(session: Session, *, meeting_id: int) -> list[MeetingItem]:
    """The items partners asked for that are on this meeting's agenda (accepted or done)."""
    items = session.exec(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting_id, col(AgendaItem.status).in_(ON_THE_AGENDA))
        .order_by(col(AgendaItem.id))
    ).all()
    counts = support_counts(session, (i.id or 0 for i in items))
    return [
        MeetingItem(i.id or 0, i.title, i.status.value, counts.get(i.id or 0, 0)) for i in items
    ]


def titles_for_meetings(session: Session, *, meeting_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each meeting, the titles of the items partners asked for (for briefings,
    reminders and calendar entries)."""
    ids = list(set(meeting_ids))
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    for meeting_id, title in session.exec(
        select(AgendaItem.meeting_id, AgendaItem.title)
        .where(col(AgendaItem.meeting_id).in_(ids), col(AgendaItem.status).in_(ON_THE_AGENDA))
        .order_by(col(AgendaItem.id))
    ).all():
        found.setdefault(int(meeting_id or 0), []).append(title)
    return found
