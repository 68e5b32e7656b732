"""The facilitator's side of agenda items: accept for a meeting, merge into another item,
"not this time" (a reason is required, and the proposer reads it), and after the meeting
what came of it, which becomes a "You said, we did" outcome told to proposer and supporters.
Every decision is audited (never with anyone's words)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.domain import audit, notices
from bot.domain.agenda.views import (
    LIVE,
    ItemView,
    for_staff,
    managed_item,
    proposers_of,
    supporter_ids,
)
from bot.domain.answers import TEXT_LIMIT
from bot.domain.clock import Clock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.people import get_person
from bot.domain.when import day_label
from bot.models import (
    AgendaItem,
    AgendaStatus,
    ContributionOutcome,
    Meeting,
    MeetingStatus,
)

REASON_WORDS = 2  # "not this time" needs a reason the proposer can understand


def waiting_item(session: Session, *, viewer_id: int, item_id: int) -> AgendaItem:
    """A live item of a cohort the viewer runs, still waiting for a decision or outcome."""
    item = managed_item(session, viewer_id=viewer_id, item_id=item_id)
    if item.status not in LIVE:
        raise Conflict("agenda_staff.decided")
    return item


def _decided(session: Session, item: AgendaItem, viewer_id: int, action: str, clock: Clock) -> None:
    item.triaged_by, item.triaged_at = viewer_id, clock.now()
    session.add(item)
    audit.record(
        session,
        clock=clock,
        action=f"agenda.{action}",
        actor_id=viewer_id,
        subject_id=item.proposer_id,
        detail=f"item {item.id}",
    )


def meeting_choices(
    session: Session, *, viewer_id: int, item_id: int, clock: Clock
) -> tuple[AgendaItem, list[Meeting]]:
    """An item, and the meetings it may be accepted for: its cohort's, not yet started."""
    item = waiting_item(session, viewer_id=viewer_id, item_id=item_id)
    return item, list(
        session.exec(
            select(Meeting)
            .where(
                Meeting.cohort_id == item.cohort_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                col(Meeting.starts_at) > clock.now(),
            )
            .order_by(col(Meeting.starts_at))
            .limit(4)
        ).all()
    )


def accept(
    session: Session, *, viewer_id: int, item_id: int, meeting_id: int, clock: Clock
) -> tuple[AgendaItem, Meeting]:
    """Put an item on a meeting's agenda; the proposer is told which meeting."""
    item = waiting_item(session, viewer_id=viewer_id, item_id=item_id)
    meeting = session.get(Meeting, meeting_id)
    _, choices = meeting_choices(session, viewer_id=viewer_id, item_id=item_id, clock=clock)
    if meeting is None or meeting not in choices:
        raise NotFound("agenda_staff.meeting_gone")
    item.status, item.meeting_id = AgendaStatus.ACCEPTED, meeting_id
    _decided(session, item, viewer_id, "accepted", clock)
    _tell_proposer(
        session,
        item,
        "agenda.notify.accepted",
        clock,
        meeting=meeting.title,
        meeting_date=day_label(meeting.starts_at, "dd MMMM y"),
    )
    return item, meeting


def merge_targets(
    session: Session, *, viewer_id: int, item_id: int
) -> tuple[AgendaItem, list[AgendaItem]]:
    """An item, and the other live items of its cohort it may be merged into."""
    item = waiting_item(session, viewer_id=viewer_id, item_id=item_id)
    return item, list(
        session.exec(
            select(AgendaItem)
            .where(
                AgendaItem.cohort_id == item.cohort_id,
                col(AgendaItem.status).in_(LIVE),
                AgendaItem.id != item.id,
            )
            .order_by(col(AgendaItem.id))
            .limit(6)
        ).all()
    )


def merge(
    session: Session, *, viewer_id: int, item_id: int, into_id: int, clock: Clock
) -> AgendaItem:
    """Merge an item into another live item of its cohort; the proposer is told which.
    What comes of the other item is told to this one's proposer and supporters too."""
    item, targets = merge_targets(session, viewer_id=viewer_id, item_id=item_id)
    if into_id not in {t.id for t in targets}:
        raise NotFound("agenda.not_found")
    into = session.get(AgendaItem, into_id)
    assert into is not None
    item.status, item.merged_into_id = AgendaStatus.MERGED, into_id
    _decided(session, item, viewer_id, "merged", clock)
    _tell_proposer(session, item, "agenda.notify.merged", clock, into=into.title)
    return item


def decline(
    session: Session, *, viewer_id: int, item_id: int, reason: str, clock: Clock
) -> AgendaItem:
    """ "Not this time": refused without a reason; the reason is sent to the proposer."""
    item = waiting_item(session, viewer_id=viewer_id, item_id=item_id)
    cleaned = reason.strip()
    if len(cleaned.split()) < REASON_WORDS:
        raise InvalidInput("agenda_staff.reason_needed")
    if len(cleaned) > TEXT_LIMIT // 2:
        raise InvalidInput("agenda_staff.too_long", limit=TEXT_LIMIT // 2)
    item.status, item.reason = AgendaStatus.DECLINED, cleaned
    _decided(session, item, viewer_id, "declined", clock)
    _tell_proposer(session, item, "agenda.notify.declined", clock, reason=cleaned)
    return item


def outcome_item(
    session: Session, *, viewer_id: int, item_id: int, clock: Clock
) -> tuple[AgendaItem, Meeting]:
    """An accepted item whose meeting has started, and that meeting: ready for its outcome."""
    item = managed_item(session, viewer_id=viewer_id, item_id=item_id)
    meeting = session.get(Meeting, item.meeting_id) if item.meeting_id else None
    if item.status != AgendaStatus.ACCEPTED or meeting is None:
        raise Conflict("agenda_staff.not_accepted")
    if meeting.starts_at > clock.now():
        raise Conflict("agenda_staff.not_yet")
    return item, meeting


def record_outcome(
    session: Session, *, viewer_id: int, item_id: int, text: str, clock: Clock
) -> ContributionOutcome:
    """After its meeting, what came of an accepted item: a "You said, we did" outcome
    linked to the item, told to its proposer and supporters (and those of merged items)."""
    item, meeting = outcome_item(session, viewer_id=viewer_id, item_id=item_id, clock=clock)
    cleaned = text.strip()
    if not cleaned or len(cleaned) > TEXT_LIMIT // 2:
        raise InvalidInput("agenda_staff.too_long", limit=TEXT_LIMIT // 2)
    outcome = ContributionOutcome(
        agenda_item_id=item.id,
        person_id=item.proposer_id,
        meeting_id=meeting.id,
        text=cleaned,
        recorded_by=viewer_id,
        recorded_at=clock.now(),
    )
    session.add(outcome)
    item.status = AgendaStatus.DONE
    _decided(session, item, viewer_id, "outcome", clock)
    merged = session.exec(select(AgendaItem).where(AgendaItem.merged_into_id == item.id)).all()
    family = [item, *merged]
    proposers = {p for i in family for p in proposers_of(i)}  # a pair's co-proposer too
    told = proposers | supporter_ids(session, (i.id or 0 for i in family))
    author = get_person(session, person_id=viewer_id)
    notices.notify(
        session,
        person_ids=told,
        key="agenda.notify.outcome",
        clock=clock,
        params={
            "title": item.title,
            "outcome": cleaned,
            "meeting": meeting.title,
            "meeting_date": day_label(meeting.starts_at, "dd MMMM y"),
            "facilitator": author.preferred_name or "",
        },
        about=item.proposer_id,
        dedupe=f"agenda{item.id}done",
    )
    session.flush()
    return outcome


def _tell_proposer(
    session: Session, item: AgendaItem, key: str, clock: Clock, **params: object
) -> None:
    notices.notify(
        session,
        person_ids=proposers_of(item),  # with a pair's co-proposer
        key=key,
        clock=clock,
        params={"title": item.title, **params},
        buttons=[[("agenda.buttons.list", "agenda.list", ())]],
        about=item.proposer_id,
        dedupe=f"agenda{item.id}{item.status.value}",
    )


@dataclass(frozen=True)
class DeskItem:
    """An item on the dashboard with what can be done to it there."""

    view: ItemView
    meetings: list[Meeting]  # to accept it for (none once accepted)
    targets: list[AgendaItem]  # to merge it into (none once accepted)
    outcome_ready: bool  # accepted, and its meeting has started


def desk(session: Session, *, viewer_id: int, clock: Clock) -> list[DeskItem]:
    """The live items of the viewer's cohorts with their choices, for the dashboard."""
    found = []
    for view in for_staff(session, viewer_id=viewer_id):
        item_id = view.item.id or 0
        if view.item.status == AgendaStatus.ACCEPTED:
            ready = view.meeting_at is not None and view.meeting_at <= clock.now()
            found.append(DeskItem(view, [], [], ready))
            continue
        _, meetings = meeting_choices(session, viewer_id=viewer_id, item_id=item_id, clock=clock)
        _, targets = merge_targets(session, viewer_id=viewer_id, item_id=item_id)
        found.append(DeskItem(view, meetings, targets, False))
    return found
