"""The meeting loop closes (issue 17 part 4): a meeting's summary for its facilitators, the
board digest's agenda and measures sections, and "you said, we did" for a measure."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from bot.db import Database
from bot.domain import board, measures
from bot.domain.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.domain.meeting_summary import summary_for_meeting
from bot.models import ContributionOutcome, Delivery, Role
from tests.factories import make_cohort, make_person
from tests.meeting_loop import (
    ASKED,
    DECLINED,
    DIFFERENTLY,
    ITEM_OUTCOME,
    LEARNED,
    MEASURE,
    MEASURE_OUTCOME,
    WAITING,
    Loop,
    build_loop,
)


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    cohort = make_cohort(db, clock)
    other = make_cohort(db, clock, "Maternity voices")
    return {
        "cohort": cohort.id or 0,
        "margaret": make_person(db, clock, cohort, Role.FACILITATOR, "Margaret"),
        "priya": make_person(db, clock, other, Role.FACILITATOR, "Priya"),
        "tom": make_person(db, clock, None, Role.COORDINATOR, "Tom"),
    }


@pytest.fixture
def loop(db: Database, clock: FakeClock, cast: dict[str, int]) -> Loop:
    from bot.models import Cohort

    with db.reading() as session:
        cohort = session.get(Cohort, cast["cohort"])
    assert cohort is not None
    return build_loop(db, clock, cohort, cast["margaret"])


def test_the_summary_shows_items_measures_and_learnings_side_by_side(
    db: Database, cast: dict[str, int], loop: Loop
) -> None:
    with db.reading() as session:
        summary = summary_for_meeting(session, viewer_id=cast["margaret"], meeting_id=loop.meeting)
    items = {i.title: (i.status, i.supports, i.outcomes) for i in summary.items}
    assert items == {
        ASKED: ("done", 2, (ITEM_OUTCOME,)),
        DECLINED: ("declined", 0, ()),
        WAITING: ("open", 0, ()),
    }
    assert summary.counts == {"proposed": 3, "supported": 1, "accepted": 1, "decided": 1}
    # Only the ratings since the previous meeting: 4 and 2 (the 1 before it is left out).
    [figure] = summary.measures
    assert (figure.text, figure.mean, figure.count, figure.dont_know) == (MEASURE, 3.0, 2, 1)
    assert figure.outcomes == (MEASURE_OUTCOME,)
    [learning] = summary.learnings
    assert (learning.label, learning.learned, learning.differently) == (
        "clinician",
        LEARNED,
        DIFFERENTLY,
    )
    assert (learning.helps, learning.talk, learning.held) == (1, 1, False)
    assert summary.since is not None and summary.since < summary.starts_at


def test_the_summary_is_for_the_meetings_own_facilitators_and_coordinators(
    db: Database, cast: dict[str, int], loop: Loop
) -> None:
    with db.reading() as session:
        assert summary_for_meeting(session, viewer_id=cast["tom"], meeting_id=loop.meeting).items
        with pytest.raises(NotFound):  # another cohort's facilitator
            summary_for_meeting(session, viewer_id=cast["priya"], meeting_id=loop.meeting)
        for outsider in (loop.amina, loop.helen):  # a partner, a board member
            with pytest.raises(NotAllowed):
                summary_for_meeting(session, viewer_id=outsider, meeting_id=loop.meeting)
        with pytest.raises(NotFound):
            summary_for_meeting(session, viewer_id=cast["margaret"], meeting_id=loop.meeting + 99)


def test_the_previous_meetings_summary_has_no_window_start(
    db: Database, cast: dict[str, int], loop: Loop
) -> None:
    with db.reading() as session:
        summary = summary_for_meeting(session, viewer_id=cast["margaret"], meeting_id=loop.previous)
    assert summary.since is None and summary.items == () and summary.learnings == ()
    [figure] = summary.measures  # the one rating before it
    assert (figure.mean, figure.count) == (1.0, 1)


def test_the_digest_lists_the_agenda_items_and_the_measures_figures_without_names(
    db: Database, loop: Loop
) -> None:
    with db.reading() as session:
        sections = {s.key: s for s in board.digest_for_meeting(session, meeting_id=loop.meeting)}
    assert [e["title"] for e in sections["agenda"].entries] == [ASKED]  # on the agenda only
    assert sections["agenda"].entries[0]["supports"] == 2
    [figure] = sections["measures"].entries
    assert (figure["text"], figure["count"], figure["dont_know"]) == (MEASURE, 3, 1)
    said = json.dumps([s.entries for s in sections.values()])
    for name in ("Amina", "Bill", "Grace", "Margaret"):
        assert name not in said


def test_what_changed_about_a_measure_reaches_every_partner_of_the_cohort(
    db: Database, clock: FakeClock, cast: dict[str, int], loop: Loop
) -> None:
    with db.reading() as session:
        [outcome] = session.exec(
            select(ContributionOutcome).where(col(ContributionOutcome.measure_id).is_not(None))
        ).all()
        told = session.exec(
            select(Delivery).where(col(Delivery.payload).contains("measures.outcome_notice"))
        ).all()
    assert outcome.measure_id == loop.measure and outcome.person_id == loop.amina
    assert sorted(d.person_id for d in told) == sorted([loop.amina, loop.bill, loop.grace])
    params = json.loads(told[0].payload or "{}")["params"]
    assert params == {"measure": MEASURE, "outcome": MEASURE_OUTCOME, "facilitator": "Margaret"}


def test_what_changed_is_refused_for_another_cohort_a_retired_measure_or_no_words(
    db: Database, clock: FakeClock, cast: dict[str, int], loop: Loop
) -> None:
    record = measures.record_measure_outcome
    with db.transaction() as session:
        with pytest.raises(NotFound):
            record(session, viewer_id=cast["priya"], measure_id=loop.measure, text="x", clock=clock)
        for words in ("  ", "x" * 3000):
            with pytest.raises(InvalidInput):
                record(
                    session,
                    viewer_id=cast["margaret"],
                    measure_id=loop.measure,
                    text=words,
                    clock=clock,
                )
        measures.retire(session, viewer_id=cast["margaret"], measure_id=loop.measure, clock=clock)
        with pytest.raises(Conflict):
            record(
                session, viewer_id=cast["margaret"], measure_id=loop.measure, text="x", clock=clock
            )


def test_what_changed_about_a_measure_stays_with_the_group_when_its_proposer_is_forgotten(
    db: Database, clock: FakeClock, cast: dict[str, int], loop: Loop
) -> None:
    from bot.domain.privacy import forget

    with db.transaction() as session:
        forget(session, person_id=loop.amina, clock=clock)
    with db.reading() as session:
        kept = session.exec(
            select(ContributionOutcome).where(ContributionOutcome.measure_id == loop.measure)
        ).all()
    assert [(o.text, o.person_id) for o in kept] == [(MEASURE_OUTCOME, cast["margaret"])]
