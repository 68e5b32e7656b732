"""The dashboard's read models besides reflections: cohorts, meetings with RSVPs, a partner's
timeline, outcomes and the audit log, each limited to what the viewer runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.db import Database
from bot.domain import meetings, outcomes, overview, privacy
from bot.domain.clock import FakeClock
from bot.domain.errors import NotFound
from bot.library.prompts import PromptSet
from bot.models import Cohort, Role
from tests.factories import make_cohort, make_meeting, make_person, make_question, make_reflection


@pytest.fixture
def cohorts(db: Database, clock: FakeClock) -> tuple[Cohort, Cohort]:
    return make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")


@pytest.fixture
def cast(db: Database, clock: FakeClock, cohorts: tuple[Cohort, Cohort]) -> dict[str, int]:
    frailty, maternity = cohorts
    return {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "nia": make_person(db, clock, maternity, Role.FACILITATOR, "Nia"),
        "tom": make_person(db, clock, None, Role.COORDINATOR, "Tom"),
        "amina": make_person(db, clock, frailty, name="Amina"),
        "dev": make_person(db, clock, frailty, name="Dev"),
        "bola": make_person(db, clock, maternity, name="Bola"),
    }


def test_each_viewer_sees_their_own_cohorts_with_active_partners(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.transaction() as session:
        privacy.forget(session, person_id=cast["dev"], clock=clock)
    with db.reading() as session:
        mine = overview.cohort_summaries(session, viewer_id=cast["margaret"])
        everyone = overview.cohort_summaries(session, viewer_id=cast["tom"])
    assert [(c.name, c.partners) for c in mine] == [("Frailty pathway", 1)]
    assert [(c.name, c.partners) for c in everyone] == [
        ("Frailty pathway", 1),
        ("Maternity voices", 1),
    ]


def test_meetings_show_who_is_coming_and_upcoming_leaves_out_cancelled_ones(
    db: Database, clock: FakeClock, cohorts: tuple[Cohort, Cohort], cast: dict[str, int]
) -> None:
    frailty, maternity = cohorts
    board = make_meeting(db, clock, frailty, title="Frailty board")
    extra = make_meeting(
        db, clock, frailty, title="Extra", starts_at=clock.now() + timedelta(days=9)
    )
    make_meeting(db, clock, maternity, title="Maternity board")
    with db.transaction() as session:
        for person, coming in ((cast["amina"], True), (cast["dev"], False)):
            meetings.set_rsvp(
                session, meeting_id=board.id or 0, person_id=person, attending=coming, clock=clock
            )
        meetings.cancel_meeting(session, meeting_id=extra.id or 0, clock=clock)
    with db.reading() as session:
        listed = overview.meetings(session, viewer_id=cast["margaret"])
        upcoming = overview.upcoming(session, viewer_id=cast["margaret"], now=clock.now())
    assert [(m.meeting.title, m.cohort, m.coming, m.not_coming) for m in listed] == [
        ("Frailty board", "Frailty pathway", 1, 1),
        ("Extra", "Frailty pathway", 0, 0),
    ]
    assert [m.meeting.title for m in upcoming] == ["Frailty board"]


def test_a_partner_of_another_cohort_has_no_timeline_for_this_viewer(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.reading() as session:
        for person in (cast["bola"], cast["margaret"], 999_999):
            with pytest.raises(NotFound):
                overview.partner_in_scope(session, viewer_id=cast["margaret"], person_id=person)
        assert overview.partner_in_scope(session, viewer_id=cast["tom"], person_id=cast["bola"])


def test_the_timeline_shows_named_reflections_only(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    amina = cast["amina"]
    make_reflection(db, clock, amina, {}, sharing="private")
    make_reflection(db, clock, amina, {}, sharing="anonymised")
    clock.advance(timedelta(hours=1))
    shared = make_reflection(db, clock, amina, {})
    clock.advance(timedelta(hours=1))
    make_question(db, clock, amina, "Who writes the papers?")
    with db.reading() as session:
        person, entries = overview.timeline(
            session, viewer_id=cast["margaret"], person_id=amina, briefing_titles={}
        )
    assert person.preferred_name == "Amina"
    reflections = [e for e in entries if e.kind == "reflection"]
    assert [e.link_id for e in reflections] == [shared]
    assert [e.kind for e in entries][:2] == ["question", "reflection"]  # newest first
    assert entries[0].title == "Who writes the papers?" and entries[0].detail == "Not answered yet"


def test_outcomes_are_listed_for_the_viewers_cohorts_with_who_recorded_them(
    db: Database, clock: FakeClock, prompt_sets: dict[str, PromptSet], cast: dict[str, int]
) -> None:
    for partner, facilitator in (("amina", "margaret"), ("bola", "nia")):
        asked = make_question(db, clock, cast[partner])
        with db.transaction() as session:
            outcomes.record_outcome(
                session,
                viewer_id=cast[facilitator],
                clock=clock,
                text=f"Done for {partner}",
                prompt_sets=prompt_sets,
                question_id=asked,
            )
        clock.advance(timedelta(minutes=1))
    with db.reading() as session:
        mine = overview.outcomes(session, viewer_id=cast["margaret"])
        everyone = overview.outcomes(session, viewer_id=cast["tom"])
    assert [(o.partner, o.cohort, o.recorded_by, o.outcome.text) for o in mine] == [
        ("Amina", "Frailty pathway", "Margaret", "Done for amina")
    ]
    assert [o.partner for o in everyone] == ["Bola", "Amina"]  # newest first
