"""Meetings: what a facilitator may set up, and what partners notice when one moves or is
cancelled (every planned message follows, and they are told)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.db import Database
from bot.domain import meetings
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.library.timetable import Timetable
from bot.models import Cohort, Delivery, DeliveryStatus, Meeting, MeetingStatus, Role
from tests.factories import make_cohort, make_meeting, make_person

START = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)  # a Thursday, ten days after the clock
LONDON = ZoneInfo("Europe/London")


def _deliveries(db: Database, purpose: str | None = None) -> list[Delivery]:
    with db.reading() as session:
        query = select(Delivery)
        if purpose is not None:
            query = query.where(Delivery.purpose == purpose)
        return list(session.exec(query).all())


def _add(
    db: Database, clock: FakeClock, timetable: Timetable, cohort: Cohort, **changes: object
) -> meetings.MeetingPlan:
    asked: dict[str, object] = {
        "title": "Frailty board",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
    } | changes
    with db.transaction() as session:
        return meetings.add_meeting(
            session,
            cohort=cohort,
            clock=clock,
            timetable=timetable,
            **asked,  # type: ignore[arg-type]
        )


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"title": "  "}, "meeting.bad_title"),
        ({"title": "x" * 121}, "meeting.bad_title"),
        (
            {
                "starts_at": datetime(2026, 3, 1, 14, 0, tzinfo=UTC),
                "ends_at": datetime(2026, 3, 1, 16, 0, tzinfo=UTC),
            },
            "meeting.in_the_past",
        ),
        ({"ends_at": START + timedelta(minutes=2)}, "meeting.bad_length"),
        ({"ends_at": START + timedelta(hours=13)}, "meeting.bad_length"),
        ({"starts_at": datetime(2026, 3, 12, 14, 0)}, "meeting.bad_times"),
        ({"join_url": "http://meet.example.org/x"}, "meeting.bad_link"),
    ],
)
def test_meetings_that_cannot_work_are_refused(
    db: Database, clock: FakeClock, timetable: Timetable, changes: dict[str, object], key: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _add(db, clock, timetable, make_cohort(db, clock), **changes)
    assert caught.value.key == key
    assert _deliveries(db) == []


def test_a_new_meeting_plans_messages_for_each_partner(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina, dev = make_person(db, clock, cohort, name="Amina"), make_person(db, clock, cohort)
    plan = _add(db, clock, timetable, cohort, papers=["how-money-flows", "data-and-evidence"])
    rows = _deliveries(db)
    assert plan.planned == len(rows) > 0
    assert {r.person_id for r in rows} == {amina, dev}
    assert meetings.papers_of(plan.meeting) == ["how-money-flows", "data-and-evidence"]


def test_moving_a_meeting_moves_its_messages_and_tells_partners(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    meeting = _add(db, clock, timetable, cohort).meeting
    before = {r.purpose: r.planned_for for r in _deliveries(db) if r.purpose != "meeting_moved"}
    later = START + timedelta(days=7)
    with db.transaction() as session:
        meetings.move_meeting(
            session,
            meeting_id=meeting.id or 0,
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            clock=clock,
            timetable=timetable,
        )
    after = {
        r.purpose: r.planned_for for r in _deliveries(db) if r.status == DeliveryStatus.PENDING
    }
    for purpose, planned_for in before.items():  # a week later, at the same time in London
        moved = after[purpose].astimezone(LONDON).replace(tzinfo=None)
        assert moved == planned_for.astimezone(LONDON).replace(tzinfo=None) + timedelta(days=7)
    [told] = _deliveries(db, "meeting_moved")
    assert told.person_id == amina
    assert json.loads(told.payload)["from"] == START.isoformat()


def test_cancelling_a_meeting_cancels_its_messages_once(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort, name="Amina")
    meeting = _add(db, clock, timetable, cohort).meeting
    planned = len(_deliveries(db))
    with db.transaction() as session:
        plan = meetings.cancel_meeting(session, meeting_id=meeting.id or 0, clock=clock)
    with db.transaction() as session:
        again = meetings.cancel_meeting(session, meeting_id=meeting.id or 0, clock=clock)
        with pytest.raises(InvalidInput):
            meetings.move_meeting(
                session,
                meeting_id=meeting.id or 0,
                starts_at=START,
                ends_at=START + timedelta(hours=1),
                clock=clock,
                timetable=timetable,
            )
    assert plan.cancelled == planned and again.cancelled == 0
    assert plan.meeting.status == MeetingStatus.CANCELLED
    [told] = _deliveries(db, "meeting_cancelled")
    assert told.person_id == amina
    assert all(r.status == DeliveryStatus.CANCELLED for r in _deliveries(db) if r.id != told.id)


def test_another_cohorts_meeting_is_not_found_and_cannot_be_answered(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    amina = make_person(db, clock, frailty, name="Amina")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    theirs = make_meeting(db, clock, maternity, title="Maternity board")
    with db.transaction() as session:
        with pytest.raises(NotFound):
            meetings.visible_meeting(session, meeting_id=theirs.id or 0, person_id=amina)
        with pytest.raises(NotFound):
            meetings.set_rsvp(
                session, meeting_id=theirs.id or 0, person_id=amina, attending=True, clock=clock
            )
        with pytest.raises(NotFound):
            meetings.get_meeting(session, meeting_id=999_999)
        seen = meetings.visible_meeting(session, meeting_id=theirs.id or 0, person_id=tom)
    assert seen.title == "Maternity board"


def test_the_latest_rsvp_counts(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock)
    amina, dev = make_person(db, clock, cohort, name="Amina"), make_person(db, clock, cohort)
    meeting = make_meeting(db, clock, cohort)
    with db.transaction() as session:
        meetings.set_rsvp(
            session, meeting_id=meeting.id or 0, person_id=amina, attending=True, clock=clock
        )
        meetings.set_rsvp(
            session, meeting_id=meeting.id or 0, person_id=dev, attending=True, clock=clock
        )
    with db.transaction() as session:
        meetings.set_rsvp(
            session, meeting_id=meeting.id or 0, person_id=amina, attending=False, clock=clock
        )
    with db.reading() as session:
        assert meetings.rsvps(session, meeting_id=meeting.id or 0) == {amina: False, dev: True}


def test_meetings_are_listed_soonest_first_by_cohort(db: Database, clock: FakeClock) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    late = make_meeting(db, clock, frailty, title="Later", starts_at=START + timedelta(days=14))
    soon = make_meeting(db, clock, frailty, title="Sooner", starts_at=START)
    make_meeting(db, clock, maternity, title="Elsewhere", starts_at=START)
    with db.reading() as session:
        mine = meetings.list_meetings(session, cohort_ids=[frailty.id or 0])
        after = meetings.list_meetings(session, after=START + timedelta(days=1))
    assert [m.id for m in mine] == [soon.id, late.id]
    assert [m.title for m in after] == ["Later"]


def test_a_title_is_tidied_and_where_is_a_room_or_a_secure_link() -> None:
    assert meetings.check_title("  Frailty   board \n") == "Frailty board"
    with pytest.raises(InvalidInput) as empty:
        meetings.check_title(" \t ")
    assert empty.value.key == "meeting.bad_title"
    assert meetings.place_or_link(" Room 4,  Civic Centre ") == ("Room 4, Civic Centre", None)
    assert meetings.place_or_link("https://meet.example.org/frailty") == (
        None,
        "https://meet.example.org/frailty",
    )
    assert meetings.place_or_link("x" * 300) == ("x" * 200, None)
    with pytest.raises(InvalidInput) as unsafe:
        meetings.place_or_link("http://meet.example.org/frailty")
    assert unsafe.value.key == "meeting.bad_link"


@dataclass(frozen=True)
class Scene:
    """Margaret runs Frailty pathway (with Amina); Nia runs Maternity voices (with Bola);
    Tom coordinates; each cohort has a meeting."""

    frailty: Cohort
    maternity: Cohort
    margaret: int
    nia: int
    tom: int
    amina: int
    bola: int
    ours: Meeting
    theirs: Meeting


@pytest.fixture
def scene(db: Database, clock: FakeClock) -> Scene:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    return Scene(
        frailty=frailty,
        maternity=maternity,
        margaret=make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        nia=make_person(db, clock, maternity, Role.FACILITATOR, "Nia"),
        tom=make_person(db, clock, None, Role.COORDINATOR, "Tom"),
        amina=make_person(db, clock, frailty, name="Amina"),
        bola=make_person(db, clock, maternity, name="Bola"),
        ours=make_meeting(db, clock, frailty, title="Frailty board", hours=1),
        theirs=make_meeting(db, clock, maternity, title="Maternity board"),
    )


def test_a_facilitator_manages_only_their_own_cohorts_meetings(db: Database, scene: Scene) -> None:
    def managed(viewer: int, meeting_id: int | None) -> str:
        with db.reading() as session:
            found = meetings.managed(session, viewer_id=viewer, meeting_id=meeting_id or 0)
        return found.title

    assert managed(scene.margaret, scene.ours.id) == "Frailty board"
    assert managed(scene.tom, scene.theirs.id) == "Maternity board"
    for meeting_id in (scene.theirs.id, 999_999):  # another cohort's is as if it did not exist
        with pytest.raises(NotFound):
            managed(scene.margaret, meeting_id)
    with pytest.raises(NotAllowed):
        managed(scene.amina, scene.ours.id)


def test_a_facilitator_adds_meetings_only_to_cohorts_they_run(
    db: Database, clock: FakeClock, timetable: Timetable, scene: Scene
) -> None:
    def add(viewer: int, cohort_id: int | None) -> meetings.MeetingPlan:
        with db.transaction() as session:
            return meetings.add_for(
                session,
                viewer_id=viewer,
                cohort_id=cohort_id or 0,
                title="Extra board",
                starts_at=START,
                minutes=90,
                clock=clock,
                timetable=timetable,
                place="Room 4",
            )

    plan = add(scene.margaret, scene.frailty.id)
    assert plan.meeting.ends_at == START + timedelta(minutes=90)
    assert plan.meeting.place == "Room 4" and plan.planned > 0
    planned = {r.person_id for r in _deliveries(db) if r.meeting_id == plan.meeting.id}
    assert planned == {scene.amina}
    for viewer, cohort_id, refusal in [
        (scene.margaret, scene.maternity.id, NotFound),
        (scene.tom, 999_999, NotFound),
        (scene.amina, scene.frailty.id, NotAllowed),
    ]:
        with pytest.raises(refusal):
            add(viewer, cohort_id)
    assert add(scene.tom, scene.maternity.id).meeting.cohort_id == scene.maternity.id
    with db.reading() as session:
        titles = [m.title for m in meetings.list_meetings(session)]
    assert sorted(titles) == ["Extra board", "Extra board", "Frailty board", "Maternity board"]


def test_moving_keeps_a_meetings_length_and_another_cohorts_cannot_be_changed(
    db: Database, clock: FakeClock, timetable: Timetable, scene: Scene
) -> None:
    ours, theirs = scene.ours.id or 0, scene.theirs.id or 0
    later = START + timedelta(days=7)

    def move(session: Session, meeting_id: int) -> meetings.MeetingPlan:
        return meetings.move_for(
            session,
            viewer_id=scene.margaret,
            meeting_id=meeting_id,
            starts_at=later,
            clock=clock,
            timetable=timetable,
        )

    with db.transaction() as session:
        moved = move(session, ours).meeting
        with pytest.raises(NotFound):
            move(session, theirs)
        with pytest.raises(NotFound):
            meetings.cancel_for(session, viewer_id=scene.margaret, meeting_id=theirs, clock=clock)
    assert (moved.starts_at, moved.ends_at) == (later, later + timedelta(hours=1))
    with db.reading() as session:
        untouched = meetings.get_meeting(session, meeting_id=theirs)
    assert (untouched.status, untouched.starts_at) == (
        MeetingStatus.SCHEDULED,
        scene.theirs.starts_at,
    )
    bolas = [r for r in _deliveries(db) if r.person_id == scene.bola]
    assert bolas and {r.status for r in bolas} == {DeliveryStatus.PENDING}
    assert {r.purpose for r in bolas}.isdisjoint({"meeting_moved", "meeting_cancelled"})
    with db.transaction() as session:
        plan = meetings.cancel_for(session, viewer_id=scene.margaret, meeting_id=ours, clock=clock)
    assert plan.meeting.status == MeetingStatus.CANCELLED and plan.cancelled > 0


def test_a_move_is_checked_and_counted_before_anything_changes(
    db: Database, clock: FakeClock, scene: Scene
) -> None:
    ours = scene.ours.id or 0
    later = START + timedelta(days=7)
    before = sorted((r.id, r.due_at, r.status) for r in _deliveries(db))

    def check(viewer: int, meeting_id: int, starts_at: datetime) -> meetings.MoveCheck:
        with db.transaction() as session:
            return meetings.check_move(
                session, viewer_id=viewer, meeting_id=meeting_id, starts_at=starts_at, clock=clock
            )

    found = check(scene.margaret, ours, later)
    assert (found.starts_at, found.ends_at, found.told) == (later, later + timedelta(hours=1), 1)
    assert found.meeting.starts_at == scene.ours.starts_at
    with db.reading() as session:
        assert meetings.get_meeting(session, meeting_id=ours).starts_at == scene.ours.starts_at
    assert sorted((r.id, r.due_at, r.status) for r in _deliveries(db)) == before
    with pytest.raises(InvalidInput) as past:
        check(scene.margaret, ours, clock.now() - timedelta(hours=1))
    assert past.value.key == "meeting.in_the_past"
    with pytest.raises(NotFound):
        check(scene.margaret, scene.theirs.id or 0, later)
