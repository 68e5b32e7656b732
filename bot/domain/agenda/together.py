"""An item proposed by a pair together (issue 17: "a partner, or a pair together, proposes
an item"). The proposer asks their pair; the pair is told through the outbox (the item's
title and why, never the words of a linked reflection) and joins as co-proposer, or not.
A co-proposer sees the item as theirs, hears every decision about it, and can step back
(from the item, not the item itself): it stays the proposer's."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain import notices
from bot.domain.agenda.proposals import confirm, own_item
from bot.domain.agenda.views import LIVE
from bot.domain.clock import Clock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.domain.pairs import buddy_of
from bot.domain.people import get_person
from bot.models import AgendaItem, AgendaStatus, Person


def ask_pair(
    session: Session, *, person_id: int, item_id: int, clock: Clock
) -> tuple[AgendaItem, Person]:
    """Share the item (if still a draft) and ask the proposer's pair to join it as
    co-proposer; (the item, the pair). Asking again sends nothing new."""
    item = own_item(session, person_id=person_id, item_id=item_id)
    buddy = buddy_of(session, person_id=person_id)
    if buddy is None:
        raise InvalidInput("agenda_pair.no_pair")
    if item.status == AgendaStatus.DRAFT:
        confirm(session, person_id=person_id, item_id=item_id, clock=clock)
    if item.status not in LIVE:
        raise Conflict("agenda.decided")
    if item.co_proposer_id == buddy.id:
        return item, buddy
    if item.co_proposer_id is not None and item.co_joined_at is not None:
        raise Conflict("agenda_pair.has_co")
    item.co_proposer_id, item.co_joined_at = buddy.id, None
    session.add(item)
    proposer = get_person(session, person_id=person_id)
    value = (item_id,)
    notices.notify(
        session,
        person_ids=[buddy.id or 0],
        key="agenda_pair.notify.asked",
        clock=clock,
        params={"name": proposer.preferred_name or "", "title": item.title, "why": item.why},
        buttons=[
            [("agenda_pair.buttons.join", "agenda.pair", (*value, "join"))],
            [("agenda_pair.buttons.no", "agenda.pair", (*value, "no"))],
        ],
        about=person_id,
        dedupe=f"agenda{item_id}pair{buddy.id}",
    )
    return item, buddy


def _asked(session: Session, person_id: int, item_id: int) -> AgendaItem:
    """An item this person was asked to co-propose by their pair (anything else: not found)."""
    item = session.get(AgendaItem, item_id)
    if item is None or item.co_proposer_id != person_id:
        raise NotFound("agenda.not_found")
    buddy = buddy_of(session, person_id=item.proposer_id)
    if buddy is None or buddy.id != person_id:
        raise NotFound("agenda.not_found")
    return item


def join(session: Session, *, person_id: int, item_id: int, clock: Clock) -> AgendaItem:
    """The pair joins the item as co-proposer; the proposer is told. Joining twice is once."""
    item = _asked(session, person_id, item_id)
    if item.co_joined_at is not None:
        return item
    if item.status not in LIVE:
        raise Conflict("agenda.closed")
    item.co_joined_at = clock.now()
    session.add(item)
    _tell_proposer(session, item, person_id, "agenda_pair.notify.joined", clock)
    return item


def step_back(session: Session, *, person_id: int, item_id: int, clock: Clock) -> AgendaItem:
    """ "Not this one" to the pair's ask, or later "Leave this item": the item stays the
    proposer's, who is told either way."""
    item = session.get(AgendaItem, item_id)
    if item is None or item.co_proposer_id != person_id:
        raise NotFound("agenda.not_found")
    key = "agenda_pair.notify.left" if item.co_joined_at else "agenda_pair.notify.declined"
    item.co_proposer_id, item.co_joined_at = None, None
    session.add(item)
    _tell_proposer(session, item, person_id, key, clock)
    return item


def _tell_proposer(
    session: Session, item: AgendaItem, pair_id: int, key: str, clock: Clock
) -> None:
    pair = get_person(session, person_id=pair_id)
    notices.notify(
        session,
        person_ids=[item.proposer_id],
        key=key,
        clock=clock,
        params={"name": pair.preferred_name or "", "title": item.title},
        buttons=[[("agenda.buttons.list", "agenda.list", ())]],
        about=pair_id,
    )
