"""Pairs: a facilitator pairs two partners of their cohort, who then message each other
through the bot under their preferred names, can stop those messages, report a problem, and
are nudged when their pair goes quiet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import pairs, people
from bot.domain.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.library.timetable import Timetable
from bot.models import AuditEvent, Cohort, Delivery, Person, Role
from tests.factories import make_cohort, make_pair, make_person


@pytest.fixture
def frailty(db: Database, clock: FakeClock) -> Cohort:
    return make_cohort(db, clock)


@pytest.fixture
def cast(db: Database, clock: FakeClock, frailty: Cohort) -> dict[str, int]:
    """Margaret runs Frailty pathway with Amina, Bill and Chloe; Nia runs Maternity voices,
    where Bola is."""
    maternity = make_cohort(db, clock, "Maternity voices")
    return {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "nia": make_person(db, clock, maternity, Role.FACILITATOR, "Nia"),
        "amina": make_person(db, clock, frailty, name="Amina"),
        "bill": make_person(db, clock, frailty, name="Bill"),
        "chloe": make_person(db, clock, frailty, name="Chloe"),
        "bola": make_person(db, clock, maternity, name="Bola"),
    }


def _payloads(db: Database, person_id: int) -> list[str]:
    with db.reading() as session:
        return list(session.exec(select(Delivery.payload).where(Delivery.person_id == person_id)))


def test_both_partners_are_introduced_by_name(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    [to_amina], [to_bill] = _payloads(db, cast["amina"]), _payloads(db, cast["bill"])
    assert "Bill" in to_amina and "Amina" in to_bill
    with db.reading() as session:
        [view] = pairs.pairs_in(session, cohort_ids=[frailty.id or 0])
        alone = pairs.unpaired_partners(session, cohort_id=frailty.id or 0)
        buddy = pairs.buddy_of(session, person_id=cast["amina"])
    assert view.names == "Amina & Bill"
    assert [p.preferred_name for p in alone] == ["Chloe"]
    assert buddy is not None and buddy.id == cast["bill"]


def test_pairs_that_cannot_be_made_are_refused(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int], timetable: Timetable
) -> None:
    make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])

    def attempt(viewer: str, first: str, second: str) -> None:
        with db.transaction() as session:
            pairs.make_pair(
                session,
                viewer_id=cast[viewer],
                cohort_id=frailty.id or 0,
                first_id=cast[first],
                second_id=cast[second],
                clock=clock,
                timetable=timetable,
            )

    with pytest.raises(InvalidInput):
        attempt("margaret", "chloe", "chloe")
    with pytest.raises(Conflict) as caught:
        attempt("margaret", "chloe", "amina")
    assert caught.value.params == {"name": "Amina"}
    with pytest.raises(NotFound):
        attempt("margaret", "chloe", "bola")  # Bola is in another cohort
    with pytest.raises(NotFound):
        attempt("nia", "chloe", "amina")  # Nia does not run this cohort


def test_a_message_reaches_the_pair_under_the_senders_name_only(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    with db.transaction() as session:
        sent = pairs.relay(
            session, sender_id=cast["amina"], text=" Shall I raise transport? ", clock=clock
        )
        for bad in ("   ", "x" * (pairs.RELAY_LIMIT + 1)):
            with pytest.raises(InvalidInput):
                pairs.relay(session, sender_id=cast["amina"], text=bad, clock=clock)
        with pytest.raises(NotFound):
            pairs.relay(session, sender_id=cast["chloe"], text="Hello?", clock=clock)
    assert sent.to is not None and sent.to.id == cast["bill"] and sent.refused is None
    relayed = [p for p in _payloads(db, cast["bill"]) if "Shall I raise transport?" in p]
    with db.reading() as session:
        amina = session.get(Person, cast["amina"])
    assert amina is not None and amina.telegram_user_id is not None
    assert len(relayed) == 1 and "Amina" in relayed[0]
    assert str(amina.telegram_user_id) not in relayed[0]


def test_someone_who_stopped_messages_gets_none_until_they_restart_them(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    with db.transaction() as session:
        pairs.set_relay_stopped(session, person_id=cast["bill"], stopped=True, clock=clock)
        refused = pairs.relay(session, sender_id=cast["amina"], text="Hi Bill", clock=clock)
        back = pairs.relay(session, sender_id=cast["bill"], text="Hi Amina", clock=clock)
        pairs.set_relay_stopped(session, person_id=cast["bill"], stopped=False, clock=clock)
        again = pairs.relay(session, sender_id=cast["amina"], text="Hi again", clock=clock)
    assert refused.refused == "pairs.not_taking" and back.refused is None
    assert again.refused is None
    assert not any("Hi Bill" in p for p in _payloads(db, cast["bill"]))


def test_a_problem_report_goes_to_the_cohorts_facilitators_and_is_audited(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    with db.transaction() as session:
        told = pairs.report_problem(
            session, person_id=cast["amina"], text="He keeps messaging late", clock=clock
        )
    assert told == [cast["margaret"]]
    [report] = _payloads(db, cast["margaret"])
    assert "He keeps messaging late" in report
    assert _payloads(db, cast["nia"]) == []
    with db.reading() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "pair.problem_reported")
        ).one()
    assert (event.actor_id, event.subject_id) == (cast["amina"], cast["bill"])
    assert "late" not in (event.detail or "")


def test_unpairing_ends_the_messages(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    pair_id = make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    with db.transaction() as session:
        with pytest.raises(NotFound):
            pairs.end_pair(session, viewer_id=cast["nia"], pair_id=pair_id, clock=clock)
        pairs.end_pair(session, viewer_id=cast["margaret"], pair_id=pair_id, clock=clock)
    with db.transaction() as session:
        with pytest.raises(NotFound):
            pairs.relay(session, sender_id=cast["amina"], text="Still there?", clock=clock)
        with pytest.raises(NotFound):
            pairs.end_pair(session, viewer_id=cast["margaret"], pair_id=pair_id, clock=clock)
        assert pairs.view_of(session, pair_id=pair_id) is None
        assert len(pairs.unpaired_partners(session, cohort_id=frailty.id or 0)) == 3


def test_a_quiet_pair_is_nudged_once_unless_nudges_are_off(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    before = len(_payloads(db, cast["amina"]))
    clock.advance(timedelta(days=9))
    with db.transaction() as session:
        assert pairs.nudge_quiet_pairs(session, clock=clock) == 0
        pairs.set_buddy_nudges(session, person_id=cast["bill"], on=False, clock=clock)
    clock.advance(timedelta(days=2))
    with db.transaction() as session:
        assert pairs.nudge_quiet_pairs(session, clock=clock) == 1  # to Amina, about Bill
    with db.transaction() as session:  # once per silence: the same nudge is not queued again
        pairs.nudge_quiet_pairs(session, clock=clock)
    nudges = _payloads(db, cast["amina"])[before:]
    assert len(nudges) == 1 and "Bill" in nudges[0]


def test_a_facilitator_manages_only_current_pairs_in_their_cohorts(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    ours = make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")

    def managed(viewer: int, pair_id: int) -> str:
        with db.reading() as session:
            return pairs.managed_pair(session, viewer_id=viewer, pair_id=pair_id).names

    assert managed(cast["margaret"], ours) == managed(tom, ours) == "Amina & Bill"
    for viewer, pair_id in [(cast["nia"], ours), (cast["margaret"], 999_999)]:
        with pytest.raises(NotFound):
            managed(viewer, pair_id)
    with db.transaction() as session:
        pairs.end_pair(session, viewer_id=cast["margaret"], pair_id=ours, clock=clock)
    with pytest.raises(NotFound):
        managed(cast["margaret"], ours)


def test_only_unpaired_partners_of_ones_own_cohort_are_offered_for_pairing(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    make_person(db, clock, frailty, name="Dev")

    def offered(viewer: str, first: str | None = None) -> tuple[str | None, list[str]]:
        with db.reading() as session:
            chosen, others = pairs.candidates(
                session,
                viewer_id=cast[viewer],
                cohort_id=frailty.id or 0,
                first_id=cast[first] if first else None,
            )
        return (chosen.preferred_name if chosen else None), [p.preferred_name or "" for p in others]

    assert offered("margaret") == (None, ["Chloe", "Dev"])
    assert offered("margaret", "chloe") == ("Chloe", ["Dev"])
    for viewer, first in [("margaret", "amina"), ("margaret", "bola"), ("nia", None)]:
        with pytest.raises(NotFound):  # already paired; another cohort's; not her cohort
            offered(viewer, first)


def test_a_partner_sees_their_own_pair_and_the_choices_they_made_about_it(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    def mine(person: str) -> tuple[str | None, bool, bool] | None:
        with db.reading() as session:
            found = pairs.mine(session, person_id=cast[person])
        return (found.buddy.preferred_name, found.stopped, found.nudges) if found else None

    assert mine("amina") is None
    make_pair(db, clock, cast["margaret"], frailty, cast["amina"], cast["bill"])
    assert mine("amina") == ("Bill", False, True)
    with db.transaction() as session:
        pairs.set_relay_stopped(session, person_id=cast["amina"], stopped=True, clock=clock)
        pairs.set_buddy_nudges(session, person_id=cast["amina"], on=False, clock=clock)
    assert mine("amina") == ("Bill", True, False)
    assert mine("bill") == ("Amina", False, True)  # her choices are hers alone
    assert mine("chloe") is None
    with db.transaction() as session:
        people.leave(session, person_id=cast["bill"], clock=clock)
    assert mine("amina") is None  # a pair whose other half left is no pair to show
