"""Onboarding and settings conversations: each step, what it accepts, stale buttons, and
resuming where the person was after a restart (the state lives in the database)."""

from __future__ import annotations

import itertools
import json
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.db import Database
from bot.domain import onboarding
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput
from bot.domain.invites import enrol
from bot.domain.onboarding import ONBOARDING, SETTINGS, Step
from bot.domain.places import Place
from bot.library.timetable import Timetable
from bot.models import ConsentKind, ConsentRecord, Delivery, Person, PersonStatus, Role
from tests.factories import make_cohort, make_invite, make_meeting, make_person

_next_id = [900]


def _newcomer(db: Database, clock: FakeClock, role: Role = Role.PARTNER) -> int:
    """Someone who has just opened an invite link."""
    cohort = make_cohort(db, clock, f"Cohort {_next_id[0]}")
    code = make_invite(db, clock, cohort, role)
    _next_id[0] += 1
    with db.transaction() as session:
        person = enrol(
            session, code=code, telegram_user_id=_next_id[0], chat_id=_next_id[0], clock=clock
        ).person
        onboarding.start_onboarding(session, person=person, clock=clock)
        return person.id or 0


def _press(
    db: Database, clock: FakeClock, person_id: int, step: Step, choice: str, **kw: str
) -> onboarding.Progress:
    with db.transaction() as session:
        return onboarding.press(
            session,
            person_id=person_id,
            flow=ONBOARDING,
            step=step.value,
            choice=choice,
            clock=clock,
            **kw,
        )


def _person(db: Database, person_id: int) -> Person:
    with db.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person


def test_a_partner_taps_through_and_ends_active_with_consent_recorded(
    db: Database, clock: FakeClock
) -> None:
    amina = _newcomer(db, clock)
    path = onboarding.PARTNER_PATH
    for step, following in itertools.pairwise(path[:5]):
        assert _press(db, clock, amina, step, "next").step == following
    assert _press(db, clock, amina, Step.AGREE, "agree", statement="We ask you to...").step == (
        Step.CONSENT
    )
    assert _press(db, clock, amina, Step.CONSENT, "no", statement="May I keep...").step == Step.NAME
    assert _press(db, clock, amina, Step.NAME, "keep", first_name="Amina").step == Step.TIME_ZONE
    assert _press(db, clock, amina, Step.TIME_ZONE, "Europe/London").step == Step.QUIET
    done = _press(db, clock, amina, Step.QUIET, "22-7")
    assert done.finished and done.step is None
    person = _person(db, amina)
    assert person.status == PersonStatus.ACTIVE and person.onboarded_at == clock.now()
    assert (person.preferred_name, person.quiet_start, person.quiet_end) == ("Amina", 1320, 420)
    with db.reading() as session:
        assert onboarding.current(session, person_id=amina) is None
        records = session.exec(
            select(ConsentRecord)
            .where(ConsentRecord.person_id == amina)
            .order_by(col(ConsentRecord.id))
        ).all()
    assert [(r.kind, r.granted, r.statement) for r in records] == [
        (ConsentKind.EXPECTATIONS, True, "We ask you to..."),
        (ConsentKind.REFLECTIONS, False, "May I keep..."),
    ]


def test_staff_have_a_shorter_path(db: Database, clock: FakeClock) -> None:
    margaret = _newcomer(db, clock, Role.FACILITATOR)
    with db.reading() as session:
        now = onboarding.current(session, person_id=margaret)
    assert now is not None and now.step == Step.STAFF
    assert _press(db, clock, margaret, Step.STAFF, "next").step == Step.NAME


def test_questions_or_later_at_the_agreement_keep_the_partner_there(
    db: Database, clock: FakeClock
) -> None:
    amina = _newcomer(db, clock)
    for step in (Step.WELCOME, Step.ROLE, Step.RULES, Step.SUPPORT):
        _press(db, clock, amina, step, "next")
    for choice in ("question", "later"):
        progress = _press(db, clock, amina, Step.AGREE, choice)
        assert (progress.step, progress.note) == (Step.AGREE, f"agree.{choice}")
    assert _person(db, amina).status == PersonStatus.ONBOARDING


def test_an_old_button_is_stale_and_nothing_changes(db: Database, clock: FakeClock) -> None:
    amina = _newcomer(db, clock)
    _press(db, clock, amina, Step.WELCOME, "next")
    again = _press(db, clock, amina, Step.WELCOME, "next")
    assert again.stale and again.step == Step.ROLE
    unknown = _press(db, clock, amina, Step.ROLE, "skip-everything")
    assert unknown.stale and unknown.step == Step.ROLE


def test_typing_on_a_button_step_asks_for_the_buttons(db: Database, clock: FakeClock) -> None:
    amina = _newcomer(db, clock)
    with db.transaction() as session:
        progress = onboarding.type_text(session, person_id=amina, text="hello?", clock=clock)
    assert progress is not None and (progress.step, progress.note) == (Step.WELCOME, "use_buttons")


def test_a_typed_city_and_quiet_hours_are_understood_or_refused(
    db: Database, clock: FakeClock
) -> None:
    dev = make_person(db, clock, make_cohort(db, clock), name="Dev")
    with db.transaction() as session:
        onboarding.start_change(session, person_id=dev, step=Step.TIME_ZONE, clock=clock)
        with pytest.raises(InvalidInput):
            onboarding.type_text(session, person_id=dev, text="Narnia", clock=clock)
    with db.transaction() as session:
        done = onboarding.type_text(session, person_id=dev, text="lagos", clock=clock)
    assert done is not None and done.finished and done.flow == SETTINGS
    assert _person(db, dev).time_zone == "Africa/Lagos"
    with db.transaction() as session:
        onboarding.start_change(session, person_id=dev, step=Step.QUIET, clock=clock)
        onboarding.type_text(session, person_id=dev, text="10pm to 6:30am", clock=clock)
    person = _person(db, dev)
    assert (person.quiet_start, person.quiet_end) == (22 * 60, 6 * 60 + 30)


def test_the_place_typed_comes_back_with_the_next_step_to_be_said_back(
    db: Database, clock: FakeClock
) -> None:
    margaret = _newcomer(db, clock, Role.FACILITATOR)
    for step, choice in ((Step.STAFF, "next"), (Step.NAME, "keep")):
        _press(db, clock, margaret, step, choice, first_name="Margaret")
    with db.transaction() as session:
        progress = onboarding.type_text(session, person_id=margaret, text="Manchester", clock=clock)
    assert progress is not None and progress.step == Step.QUIET
    assert progress.place == Place("Europe/London", "Manchester, UK")
    assert _press(db, clock, margaret, Step.QUIET, "none").place is None


def test_change_time_zone_goes_back_in_onboarding_and_is_a_settings_change_after(
    db: Database, clock: FakeClock
) -> None:
    amina = _newcomer(db, clock)
    with db.transaction() as session:  # not asked yet: nothing is skipped
        early = onboarding.change_time_zone(session, person_id=amina, clock=clock)
    assert early.stale and early.step == Step.WELCOME
    margaret = _newcomer(db, clock, Role.FACILITATOR)
    for step, choice in ((Step.STAFF, "next"), (Step.NAME, "keep"), (Step.TIME_ZONE, "other")):
        _press(db, clock, margaret, step, choice, first_name="Margaret")
    with db.transaction() as session:
        onboarding.type_text(session, person_id=margaret, text="Perth", clock=clock)
        again = onboarding.change_time_zone(session, person_id=margaret, clock=clock)
    assert (again.flow, again.step) == (ONBOARDING, Step.TIME_ZONE)
    with db.transaction() as session:
        onboarding.type_text(session, person_id=margaret, text="Perth, Australia", clock=clock)
    _press(db, clock, margaret, Step.QUIET, "none")
    assert _person(db, margaret).time_zone == "Australia/Perth"
    with db.transaction() as session:
        later = onboarding.change_time_zone(session, person_id=margaret, clock=clock)
    assert (later.flow, later.step) == (SETTINGS, Step.TIME_ZONE)


def test_a_settings_change_can_be_cancelled_but_onboarding_cannot(
    db: Database, clock: FakeClock
) -> None:
    dev = make_person(db, clock, make_cohort(db, clock), name="Dev")
    amina = _newcomer(db, clock)
    with db.transaction() as session:
        with pytest.raises(InvalidInput):
            onboarding.start_change(session, person_id=dev, step=Step.CONSENT, clock=clock)
        onboarding.start_change(session, person_id=dev, step=Step.NAME, clock=clock)
        onboarding.cancel_settings_change(session, person_id=dev)
        onboarding.cancel_settings_change(session, person_id=amina)
    with db.reading() as session:
        assert onboarding.current(session, person_id=dev) is None
        kept = onboarding.current(session, person_id=amina)
    assert kept is not None and kept.flow == ONBOARDING and kept.step == Step.WELCOME
    with db.transaction() as session:
        assert onboarding.type_text(session, person_id=dev, text="Devendra", clock=clock) is None
    assert _person(db, dev).preferred_name == "Dev"


def _notices(db: Database) -> list[Delivery]:
    with db.reading() as session:
        return list(session.exec(select(Delivery).where(Delivery.purpose == "notice")))


def _complete(db: Database, clock: FakeClock, timetable: Timetable, person: int, flow: str) -> None:
    with db.transaction() as session:
        onboarding.complete(session, person_id=person, flow=flow, timetable=timetable, clock=clock)


def test_a_partner_who_has_just_joined_gets_their_messages_and_their_facilitators_are_told(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    make_person(db, clock, maternity, Role.FACILITATOR, "Nia")
    meeting = make_meeting(db, clock, frailty)
    amina = make_person(db, clock, frailty, name="Amina")  # at the end of her onboarding
    _complete(db, clock, timetable, amina, ONBOARDING)
    with db.reading() as session:
        hers = session.exec(select(Delivery).where(Delivery.person_id == amina)).all()
    assert {r.meeting_id for r in hers if r.purpose == "briefing"} == {meeting.id}
    [told] = _notices(db)
    assert told.person_id == margaret
    assert json.loads(told.payload)["params"] == {"name": "Amina", "cohort": "Frailty pathway"}


def test_a_new_time_zone_re_times_messages_and_tells_no_one(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    amina = make_person(db, clock, cohort, name="Amina")
    make_meeting(db, clock, cohort)  # its briefing at 18:00 in London
    with db.transaction() as session:
        onboarding.start_change(session, person_id=amina, step=Step.TIME_ZONE, clock=clock)
        onboarding.type_text(session, person_id=amina, text="Lagos", clock=clock)
    _complete(db, clock, timetable, amina, SETTINGS)
    with db.reading() as session:
        [briefing] = session.exec(select(Delivery).where(Delivery.purpose == "briefing")).all()
    assert briefing.planned_for.astimezone(ZoneInfo("Africa/Lagos")).hour == 18
    assert _notices(db) == []


def test_staff_who_finish_onboarding_are_not_announced(
    db: Database, clock: FakeClock, timetable: Timetable
) -> None:
    cohort = make_cohort(db, clock)
    make_person(db, clock, cohort, Role.FACILITATOR, "Margaret")
    make_meeting(db, clock, cohort)
    olu = make_person(db, clock, cohort, Role.FACILITATOR, "Olu")
    _complete(db, clock, timetable, olu, ONBOARDING)
    assert _notices(db) == []
    with db.reading() as session:
        assert session.exec(select(Delivery).where(Delivery.person_id == olu)).all() == []
