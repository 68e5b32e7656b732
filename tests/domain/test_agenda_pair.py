"""A pair proposes an agenda item together (issue 17): the proposer asks their pair, who
joins as co-proposer (or not); both hear decisions and outcomes; the co-proposer may leave;
no one else can join; /forget and /mydata know co-proposers."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import agenda, privacy
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotFound
from bot.models import AgendaItem, AgendaStatus, Delivery, Role
from tests.factories import (
    make_cohort,
    make_meeting,
    make_pair,
    make_person,
    make_reflection,
)

SECRET = "my private answer about the ward"


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    cohort = make_cohort(db, clock)
    other = make_cohort(db, clock, name="Maternity voices")
    meeting = make_meeting(db, clock, cohort, starts_at=clock.now() + timedelta(days=10))
    found = {
        "meeting": meeting.id or 0,
        "margaret": make_person(db, clock, cohort, Role.FACILITATOR, "Margaret"),
        "amina": make_person(db, clock, cohort, name="Amina"),
        "bill": make_person(db, clock, cohort, name="Bill"),
        "grace": make_person(db, clock, cohort, name="Grace"),
        "chloe": make_person(db, clock, other, name="Chloe"),
    }
    make_pair(db, clock, found["margaret"], cohort, found["amina"], found["bill"])
    return found


def _draft(db: Database, clock: FakeClock, person: int) -> int:
    with db.transaction() as session:
        item = agenda.propose(session, person_id=person, title="Letters", clock=clock)
        agenda.set_why(
            session, person_id=person, item_id=item.id or 0, clock=clock, text="Hard to read"
        )
        return item.id or 0


def _asked(db: Database, clock: FakeClock, cast: dict[str, int]) -> int:
    """Amina's draft, with her own reflection linked, proposed with Bill."""
    reflection = make_reflection(db, clock, cast["amina"], {"raise_next": SECRET})
    item_id = _draft(db, clock, cast["amina"])
    with db.transaction() as session:
        draft = agenda.link_reflection(
            session,
            person_id=cast["amina"],
            item_id=item_id,
            reflection_id=reflection,
            clock=clock,
        )
        assert draft.pair == "Bill"  # so the preview offers "Propose it with Bill"
        agenda.ask_pair(session, person_id=cast["amina"], item_id=item_id, clock=clock)
    return item_id


def _notices(db: Database, key: str) -> list[tuple[int, dict[str, object]]]:
    with db.reading() as session:
        rows = session.exec(select(Delivery).where(Delivery.purpose == "notice")).all()
    found = [(r.person_id, json.loads(r.payload)) for r in rows]
    return sorted((p, payload) for p, payload in found if payload["key"] == key)


def _join(db: Database, clock: FakeClock, person: int, item_id: int) -> AgendaItem:
    with db.transaction() as session:
        return agenda.join(session, person_id=person, item_id=item_id, clock=clock)


def test_asking_the_pair_shares_the_item_and_tells_them_only_its_title_and_why(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    item_id = _asked(db, clock, cast)
    with db.transaction() as session:  # asking twice sends nothing new
        agenda.ask_pair(session, person_id=cast["amina"], item_id=item_id, clock=clock)
    [(bill, payload)] = _notices(db, "agenda_pair.notify.asked")
    assert bill == cast["bill"]
    assert payload["params"] == {"name": "Amina", "title": "Letters", "why": "Hard to read"}
    assert SECRET not in json.dumps(payload)
    with db.reading() as session:
        item = session.get(AgendaItem, item_id)
        assert item is not None and item.status == AgendaStatus.OPEN
        assert item.co_proposer_id == cast["bill"] and item.co_joined_at is None


def test_a_partner_without_a_pair_cannot_ask(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    item_id = _draft(db, clock, cast["grace"])
    with db.transaction() as session:
        draft = agenda.link_reflection(
            session, person_id=cast["grace"], item_id=item_id, reflection_id=0, clock=clock
        )
        assert draft.pair is None
        with pytest.raises(InvalidInput):
            agenda.ask_pair(session, person_id=cast["grace"], item_id=item_id, clock=clock)


@pytest.mark.parametrize("who", ["grace", "chloe", "margaret"])
def test_only_the_pair_who_was_asked_can_join(
    db: Database, clock: FakeClock, cast: dict[str, int], who: str
) -> None:
    item_id = _asked(db, clock, cast)
    with pytest.raises(NotFound):
        _join(db, clock, cast[who], item_id)
    with db.transaction() as session, pytest.raises(NotFound):
        agenda.step_back(session, person_id=cast[who], item_id=item_id, clock=clock)
    with db.reading() as session:
        item = session.get(AgendaItem, item_id)
        assert item is not None and item.co_joined_at is None


def test_co_proposers_see_it_as_theirs_and_hear_every_decision(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    item_id = _asked(db, clock, cast)
    assert _join(db, clock, cast["bill"], item_id).co_joined_at == clock.now()
    assert [p for p, _ in _notices(db, "agenda_pair.notify.joined")] == [cast["amina"]]
    with db.transaction() as session:
        [view] = agenda.for_partner(session, person_id=cast["bill"])
        assert view.mine and view.co
        [staff] = agenda.for_staff(session, viewer_id=cast["margaret"])
        assert (staff.proposer, staff.pair) == ("Amina", "Bill")
        with pytest.raises(InvalidInput):  # his own item now: it counts already
            agenda.support(session, person_id=cast["bill"], item_id=item_id, clock=clock)
        agenda.accept(
            session,
            viewer_id=cast["margaret"],
            item_id=item_id,
            meeting_id=cast["meeting"],
            clock=clock,
        )
    told = [p for p, _ in _notices(db, "agenda.notify.accepted")]
    assert told == sorted([cast["amina"], cast["bill"]])
    clock.advance(timedelta(days=11))
    with db.transaction() as session:
        agenda.record_outcome(
            session, viewer_id=cast["margaret"], item_id=item_id, text="Agreed.", clock=clock
        )
    told = [p for p, _ in _notices(db, "agenda.notify.outcome")]
    assert told == sorted([cast["amina"], cast["bill"]])


def test_the_co_proposer_is_told_when_the_proposer_takes_it_back(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    item_id = _asked(db, clock, cast)
    _join(db, clock, cast["bill"], item_id)
    with db.transaction() as session:
        agenda.withdraw(session, person_id=cast["amina"], item_id=item_id, clock=clock)
        assert agenda.for_partner(session, person_id=cast["bill"]) == []
    assert [p for p, _ in _notices(db, "agenda_pair.notify.withdrawn")] == [cast["bill"]]


def test_saying_no_or_leaving_keeps_the_item_the_proposers(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    item_id = _asked(db, clock, cast)
    with db.transaction() as session:
        agenda.step_back(session, person_id=cast["bill"], item_id=item_id, clock=clock)
    with pytest.raises(NotFound):  # no longer asked
        _join(db, clock, cast["bill"], item_id)
    with db.transaction() as session:
        agenda.ask_pair(session, person_id=cast["amina"], item_id=item_id, clock=clock)
    _join(db, clock, cast["bill"], item_id)
    with db.transaction() as session:
        agenda.step_back(session, person_id=cast["bill"], item_id=item_id, clock=clock)
        item = session.get(AgendaItem, item_id)
        assert item is not None and item.status == AgendaStatus.OPEN
        assert (item.proposer_id, item.co_proposer_id) == (cast["amina"], None)
        [view] = agenda.for_partner(session, person_id=cast["bill"])
        assert not view.mine and not view.co
    assert [p for p, _ in _notices(db, "agenda_pair.notify.declined")] == [cast["amina"]]
    assert [p for p, _ in _notices(db, "agenda_pair.notify.left")] == [cast["amina"]]


def test_mydata_lists_co_proposed_items_and_forget_leaves_them_the_proposers(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    item_id = _asked(db, clock, cast)
    _join(db, clock, cast["bill"], item_id)
    with db.transaction() as session:
        page = privacy.readable_copy(session, person_id=cast["bill"], prompt_sets={}, clock=clock)
        data = privacy.export_personal_data(session, person_id=cast["bill"], clock=clock)
    assert "Items you proposed with your pair" in page and "Letters" in page
    assert [i["title"] for i in data["agenda_items_you_proposed_with_your_pair"]] == ["Letters"]
    with db.transaction() as session:
        privacy.forget(session, person_id=cast["bill"], clock=clock)
    with db.reading() as session:
        item = session.get(AgendaItem, item_id)
        assert item is not None and item.proposer_id == cast["amina"]
        assert (item.co_proposer_id, item.co_joined_at) == (None, None)
    with db.transaction() as session:
        privacy.forget(session, person_id=cast["amina"], clock=clock)
    with db.reading() as session:
        assert session.get(AgendaItem, item_id) is None
