"""The partner's side of agenda items: propose, say why, link a reflection, confirm,
withdraw, and support another partner's item (with an optional comment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain import notices
from bot.domain.agenda.views import LIVE, next_meeting, proposers_of, visible_item
from bot.domain.answers import Voice
from bot.domain.clock import Clock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.pairs import buddy_of
from bot.domain.people import cohorts_of
from bot.domain.when import day_label
from bot.models import (
    AgendaItem,
    AgendaStatus,
    AgendaSupport,
    Reflection,
    ReflectionStatus,
    Role,
)

TITLE_LIMIT = 120
WHY_LIMIT = 2000
COMMENT_LIMIT = 1000


def _clean(text: str, limit: int, empty: str, long: str, *, one_line: bool = False) -> str:
    """Typed words stripped (a title on one line), refused when empty or too long."""
    cleaned = " ".join(text.split()) if one_line else text.strip()
    if not cleaned:
        raise InvalidInput(empty)
    if len(cleaned) > limit:
        raise InvalidInput(long, limit=limit, length=len(cleaned))
    return cleaned


def own_item(session: Session, *, person_id: int, item_id: int) -> AgendaItem:
    """One of the person's own items (anyone else's is not found)."""
    item = session.get(AgendaItem, item_id)
    if item is None or item.proposer_id != person_id:
        raise NotFound("agenda.not_found")
    return item


def propose(session: Session, *, person_id: int, title: str, clock: Clock) -> AgendaItem:
    """Start a proposal: a draft with its title, seen by no one else until confirmed."""
    cleaned = _clean(title, TITLE_LIMIT, "agenda.title_empty", "agenda.title_long", one_line=True)
    places = cohorts_of(session, person_id=person_id)
    cohort = next((p.cohort for p in places if p.role == Role.PARTNER), None)
    if cohort is None:
        raise InvalidInput("agenda.no_cohort")
    item = AgendaItem(
        cohort_id=cohort.id or 0, proposer_id=person_id, title=cleaned, created_at=clock.now()
    )
    session.add(item)
    session.flush()
    return item


@dataclass(frozen=True)
class Draft:
    """A draft as its proposer reviews it: the reflections they may link (none once one is
    chosen), the linked reflection's title, the meeting it would be for, and the first
    name of the proposer's pair, to propose it together (None: no pair, no offer)."""

    item: AgendaItem
    reflections: list[tuple[int, str]]
    reflection: str | None
    meeting: str | None
    pair: str | None = None


def _draft(session: Session, item: AgendaItem, now: datetime, *, offer: bool) -> Draft:
    reflection = session.get(Reflection, item.reflection_id) if item.reflection_id else None
    meeting = next_meeting(session, cohort_id=item.cohort_id, now=now)
    offered = own_reflections(session, person_id=item.proposer_id) if offer else []
    buddy = buddy_of(session, person_id=item.proposer_id)
    return Draft(
        item,
        offered,
        reflection.title if reflection else None,
        meeting.title if meeting else None,
        (buddy.preferred_name or None) if buddy else None,
    )


def set_why(
    session: Session,
    *,
    person_id: int,
    item_id: int,
    clock: Clock,
    text: str | None = None,
    voice: Voice | None = None,
) -> Draft:
    """Why the item matters, typed or as a voice note; the draft, with reflections to link."""
    item = own_item(session, person_id=person_id, item_id=item_id)
    if item.status != AgendaStatus.DRAFT:
        raise Conflict("agenda.already_shared")
    if voice is not None:
        item.why_voice_file_id, item.why_voice_duration = voice.file_id, voice.duration
    else:
        item.why = _clean(text or "", WHY_LIMIT, "agenda.why_empty", "agenda.why_long")
    session.add(item)
    return _draft(session, item, clock.now(), offer=True)


def own_reflections(session: Session, *, person_id: int, limit: int = 3) -> list[tuple[int, str]]:
    """The person's latest finished reflections (id, "title · day"), to link one to an item."""
    rows = session.exec(
        select(Reflection.id, Reflection.title, Reflection.finished_at)
        .where(Reflection.person_id == person_id, Reflection.status == ReflectionStatus.FINISHED)
        .order_by(col(Reflection.finished_at).desc())
        .limit(limit)
    ).all()
    return [
        (int(rid or 0), f"{title} · {day_label(finished, 'dd MMM')}" if finished else str(title))
        for rid, title, finished in rows
    ]


def link_reflection(
    session: Session, *, person_id: int, item_id: int, reflection_id: int, clock: Clock
) -> Draft:
    """Link one of the person's own finished reflections to a draft (0: none)."""
    item = own_item(session, person_id=person_id, item_id=item_id)
    if item.status != AgendaStatus.DRAFT:
        raise Conflict("agenda.already_shared")
    if reflection_id:
        reflection = session.get(Reflection, reflection_id)
        if reflection is None or reflection.person_id != person_id:
            raise NotFound("agenda.not_found")
    item.reflection_id = reflection_id or None
    session.add(item)
    return _draft(session, item, clock.now(), offer=False)


def confirm(session: Session, *, person_id: int, item_id: int, clock: Clock) -> AgendaItem:
    """Share a draft with the cohort, for its next meeting; its facilitators are told.
    Confirming again changes nothing."""
    item = own_item(session, person_id=person_id, item_id=item_id)
    if item.status != AgendaStatus.DRAFT:
        return item
    if not item.why and not item.why_voice_file_id:
        raise InvalidInput("agenda.why_empty")
    meeting = next_meeting(session, cohort_id=item.cohort_id, now=clock.now())
    item.status, item.confirmed_at = AgendaStatus.OPEN, clock.now()
    item.meeting_id = meeting.id if meeting else None
    session.add(item)
    notices.notify(
        session,
        person_ids=notices.facilitator_ids(session, cohort_ids=[item.cohort_id]),
        key="agenda_staff.notify.proposed",
        clock=clock,
        params={"title": item.title, "meeting": meeting.title if meeting else None},
        buttons=[[("agenda_staff.buttons.open", "agenda.list", ())]],
        about=person_id,
        dedupe=f"agenda{item.id}",
    )
    return item


def withdraw(session: Session, *, person_id: int, item_id: int, clock: Clock) -> AgendaItem:
    """Take an item back: others no longer see it (its facilitators are told, if it was
    shared). Once decided it stays as it is."""
    item = own_item(session, person_id=person_id, item_id=item_id)
    if item.status == AgendaStatus.WITHDRAWN:
        return item
    if item.status not in (AgendaStatus.DRAFT, *LIVE):
        raise Conflict("agenda.decided")
    shared = item.status in LIVE
    item.status, item.withdrawn_at = AgendaStatus.WITHDRAWN, clock.now()
    session.add(item)
    if shared:  # the facilitators may have planned for it
        notices.notify(
            session,
            person_ids=notices.facilitator_ids(session, cohort_ids=[item.cohort_id]),
            key="agenda_staff.notify.withdrawn",
            clock=clock,
            params={"title": item.title},
            about=person_id,
            dedupe=f"agenda{item.id}withdrawn",
        )
        notices.notify(  # a pair's co-proposer: the item was theirs too
            session,
            person_ids=proposers_of(item)[1:],
            key="agenda_pair.notify.withdrawn",
            clock=clock,
            params={"title": item.title},
            buttons=[[("agenda.buttons.list", "agenda.list", ())]],
            about=person_id,
            dedupe=f"agenda{item.id}withdrawn",
        )
    return item


def support(
    session: Session, *, person_id: int, item_id: int, clock: Clock
) -> tuple[AgendaItem, bool]:
    """Support another partner's open item in the person's cohort; (the item, whether this
    is new support). Supporting twice counts once."""
    item = visible_item(session, person_id=person_id, item_id=item_id)
    if person_id in proposers_of(item):
        raise InvalidInput("agenda.own_item")
    if item.status not in LIVE:
        raise Conflict("agenda.closed")
    mine = _support_of(session, person_id, item_id)
    if mine is not None:
        return item, False
    session.add(AgendaSupport(item_id=item_id, supporter_id=person_id, created_at=clock.now()))
    session.flush()
    return item, True


def _support_of(session: Session, person_id: int, item_id: int) -> AgendaSupport | None:
    return session.exec(
        select(AgendaSupport).where(
            AgendaSupport.item_id == item_id, AgendaSupport.supporter_id == person_id
        )
    ).first()


def comment_target(session: Session, *, person_id: int, item_id: int) -> AgendaItem:
    """An item the person supports, so may comment on (any other is not found)."""
    item = visible_item(session, person_id=person_id, item_id=item_id)
    if _support_of(session, person_id, item_id) is None:
        raise NotFound("agenda.not_found")
    return item


def comment(session: Session, *, person_id: int, item_id: int, text: str) -> AgendaItem:
    """Add (or replace) the comment on the person's support for an item."""
    item = comment_target(session, person_id=person_id, item_id=item_id)
    mine = _support_of(session, person_id, item_id)
    assert mine is not None
    mine.comment = _clean(text, COMMENT_LIMIT, "agenda.comment_empty", "agenda.comment_long")
    session.add(mine)
    return item
