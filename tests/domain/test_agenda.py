"""Agenda items from partners (issue 17): proposals, support, triage, outcomes, the
untriaged check, and what erasure leaves."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import agenda, privacy
from bot.domain.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.models import (
    AgendaItem,
    AgendaStatus,
    AgendaSupport,
    Cohort,
    ContributionOutcome,
    Delivery,
    Role,
)
from tests.factories import make_cohort, make_meeting, make_person


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    cohort = make_cohort(db, clock)
    other = make_cohort(db, clock, name="Maternity voices")
    meeting = make_meeting(db, clock, cohort, starts_at=clock.now() + timedelta(days=10))
    return {
        "cohort": cohort.id or 0,
        "meeting": meeting.id or 0,
        "margaret": make_person(db, clock, cohort, Role.FACILITATOR, "Margaret"),
        "priya": make_person(db, clock, other, Role.FACILITATOR, "Priya"),
        "tom": make_person(db, clock, None, Role.COORDINATOR, "Tom"),
        "amina": make_person(db, clock, cohort, name="Amina"),
        "bill": make_person(db, clock, cohort, name="Bill"),
        "grace": make_person(db, clock, cohort, name="Grace"),
        "chloe": make_person(db, clock, other, name="Chloe"),
    }


def _propose(db: Database, clock: FakeClock, person: int, title: str = "Letters") -> int:
    with db.transaction() as session:
        item = agenda.propose(session, person_id=person, title=title, clock=clock)
        agenda.set_why(
            session, person_id=person, item_id=item.id or 0, clock=clock, text="Hard to read"
        )
        return item.id or 0


def _share(db: Database, clock: FakeClock, person: int, title: str = "Letters") -> int:
    item_id = _propose(db, clock, person, title)
    with db.transaction() as session:
        agenda.confirm(session, person_id=person, item_id=item_id, clock=clock)
    return item_id


def _notices(db: Database, key: str) -> list[int]:
    with db.reading() as session:
        rows = session.exec(select(Delivery).where(Delivery.purpose == "notice")).all()
    return sorted(r.person_id for r in rows if json.loads(r.payload)["key"] == key)


def test_a_proposal_is_seen_only_once_shared_and_withdrawing_hides_it(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    item_id = _propose(db, clock, cast["amina"])
    with db.transaction() as session:
        assert agenda.for_partner(session, person_id=cast["bill"]) == []
        with pytest.raises(NotFound):
            agenda.support(session, person_id=cast["bill"], item_id=item_id, clock=clock)
        assert agenda.for_staff(session, viewer_id=cast["margaret"]) == []
        item = agenda.confirm(session, person_id=cast["amina"], item_id=item_id, clock=clock)
        assert item.status == AgendaStatus.OPEN and item.meeting_id == cast["meeting"]
    assert _notices(db, "agenda_staff.notify.proposed") == [cast["margaret"]]
    with db.transaction() as session:
        [seen] = agenda.for_partner(session, person_id=cast["bill"])
        assert seen.item.title == "Letters" and not seen.mine and seen.proposer is None
        agenda.withdraw(session, person_id=cast["amina"], item_id=item_id, clock=clock)
        assert agenda.for_partner(session, person_id=cast["bill"]) == []
        assert agenda.for_staff(session, viewer_id=cast["margaret"]) == []
    assert _notices(db, "agenda_staff.notify.withdrawn") == [cast["margaret"]]


def test_another_cohort_cannot_see_support_or_triage_an_item(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    item_id = _share(db, clock, cast["amina"])
    with db.transaction() as session:
        assert agenda.for_partner(session, person_id=cast["chloe"]) == []
        with pytest.raises(NotFound):
            agenda.support(session, person_id=cast["chloe"], item_id=item_id, clock=clock)
        with pytest.raises(NotFound):
            agenda.meeting_choices(session, viewer_id=cast["priya"], item_id=item_id, clock=clock)
        with pytest.raises(NotFound):
            agenda.decline(
                session, viewer_id=cast["priya"], item_id=item_id, reason="Not ours", clock=clock
            )
        with pytest.raises(InvalidInput):
            agenda.support(session, person_id=cast["amina"], item_id=item_id, clock=clock)


def test_accepted_items_reach_the_meeting_and_the_outcome_reaches_everyone(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    item_id = _share(db, clock, cast["amina"])
    with db.transaction() as session:
        for who in ("bill", "grace", "bill"):  # supporting twice counts once
            agenda.support(session, person_id=cast[who], item_id=item_id, clock=clock)
        agenda.comment(session, person_id=cast["bill"], item_id=item_id, text="Me too")
        _, meetings = agenda.meeting_choices(
            session, viewer_id=cast["margaret"], item_id=item_id, clock=clock
        )
        assert [m.id for m in meetings] == [cast["meeting"]]
        agenda.accept(
            session,
            viewer_id=cast["margaret"],
            item_id=item_id,
            meeting_id=cast["meeting"],
            clock=clock,
        )
        [on] = agenda.agenda_for_meeting(session, meeting_id=cast["meeting"])
        assert (on.title, on.status, on.supports) == ("Letters", "accepted", 2)
        assert agenda.titles_for_meetings(session, meeting_ids=[cast["meeting"]]) == {
            cast["meeting"]: ["Letters"]
        }
        with pytest.raises(Conflict):  # not before the meeting
            agenda.record_outcome(
                session, viewer_id=cast["margaret"], item_id=item_id, text="x", clock=clock
            )
    assert _notices(db, "agenda.notify.accepted") == [cast["amina"]]
    clock.advance(timedelta(days=11))
    with db.transaction() as session:
        outcome = agenda.record_outcome(
            session,
            viewer_id=cast["margaret"],
            item_id=item_id,
            text="Letters will be rewritten with two partners.",
            clock=clock,
        )
        assert outcome.agenda_item_id == item_id and outcome.person_id == cast["amina"]
        assert session.get(AgendaItem, item_id).status == AgendaStatus.DONE  # type: ignore[union-attr]
    told = _notices(db, "agenda.notify.outcome")
    assert told == sorted([cast["amina"], cast["bill"], cast["grace"]])


def test_not_this_time_needs_a_reason_which_the_proposer_reads(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    item_id = _share(db, clock, cast["amina"])
    for reason in ("", "  ", "no"):
        with db.transaction() as session, pytest.raises(InvalidInput):
            agenda.decline(
                session, viewer_id=cast["margaret"], item_id=item_id, reason=reason, clock=clock
            )
    with db.transaction() as session:
        item = agenda.decline(
            session,
            viewer_id=cast["margaret"],
            item_id=item_id,
            reason="The board discussed this in May.",
            clock=clock,
        )
        assert item.status == AgendaStatus.DECLINED and item.triaged_by == cast["margaret"]
    with db.reading() as session:
        [row] = session.exec(select(Delivery).where(Delivery.person_id == cast["amina"])).all()
    assert json.loads(row.payload)["params"]["reason"] == "The board discussed this in May."


def test_merging_joins_an_item_to_another_and_the_outcome_tells_both(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    first = _share(db, clock, cast["amina"], "Letters")
    second = _share(db, clock, cast["bill"], "Discharge letters")
    with db.transaction() as session:
        agenda.support(session, person_id=cast["grace"], item_id=second, clock=clock)
        agenda.merge(
            session, viewer_id=cast["margaret"], item_id=second, into_id=first, clock=clock
        )
        agenda.accept(
            session,
            viewer_id=cast["margaret"],
            item_id=first,
            meeting_id=cast["meeting"],
            clock=clock,
        )
    clock.advance(timedelta(days=11))
    with db.transaction() as session:
        agenda.record_outcome(
            session, viewer_id=cast["margaret"], item_id=first, text="Agreed.", clock=clock
        )
    assert _notices(db, "agenda.notify.outcome") == sorted(
        [cast["amina"], cast["bill"], cast["grace"]]
    )


def test_an_item_still_open_a_week_before_its_meeting_is_raised_once(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    _share(db, clock, cast["amina"])
    with db.transaction() as session:
        assert agenda.escalate_untriaged(session, clock=clock) == 0
    clock.advance(timedelta(days=3, hours=1))
    with db.transaction() as session:
        assert agenda.escalate_untriaged(session, clock=clock) == 1
    with db.transaction() as session:
        assert agenda.escalate_untriaged(session, clock=clock) == 0
    assert _notices(db, "agenda_staff.notify.untriaged") == [cast["tom"]]


def test_forget_erases_proposals_and_comments_but_keeps_support_counts(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    amina_item = _share(db, clock, cast["amina"])
    bill_item = _share(db, clock, cast["bill"], "Parking")
    with db.transaction() as session:
        agenda.support(session, person_id=cast["bill"], item_id=amina_item, clock=clock)
        agenda.support(session, person_id=cast["amina"], item_id=bill_item, clock=clock)
        agenda.comment(session, person_id=cast["amina"], item_id=bill_item, text="Zephyr's words")
    with db.transaction() as session:
        page = privacy.readable_copy(session, person_id=cast["amina"], prompt_sets={}, clock=clock)
    assert "Items you asked the board to talk about" in page and "Letters" in page
    assert "Zephyr&#39;s words" in page and "Parking" in page
    data = _export(db, clock, cast["amina"])
    assert [i["title"] for i in data["agenda_items_you_proposed"]] == ["Letters"]
    assert [s["comment"] for s in data["agenda_items_you_supported"]] == ["Zephyr's words"]
    with db.transaction() as session:
        privacy.forget(session, person_id=cast["amina"], clock=clock)
    with db.reading() as session:
        assert session.get(AgendaItem, amina_item) is None
        supports = session.exec(select(AgendaSupport)).all()
        assert [(s.item_id, s.supporter_id, s.comment) for s in supports] == [
            (bill_item, None, None)
        ]
        [view] = agenda.for_partner(session, person_id=cast["grace"])
        assert view.supports == 1
        assert session.exec(select(ContributionOutcome)).all() == []
        assert session.get(Cohort, cast["cohort"]) is not None


def _export(db: Database, clock: FakeClock, person_id: int) -> dict[str, list[dict[str, object]]]:
    with db.transaction() as session:
        return privacy.export_personal_data(session, person_id=person_id, clock=clock)
