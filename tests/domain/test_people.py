"""People: names, time zones, quiet hours, pausing, leaving, being out of reach, and whose
command menu is out of date."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.db import Database
from bot.domain import people
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.invites import enrol
from bot.domain.privacy import forget
from bot.domain.timezones import QuietHours
from bot.models import Person, PersonStatus, Role
from tests.factories import make_cohort, make_invite, make_person


def _get(db: Database, person_id: int) -> Person:
    with db.reading() as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("  Amina   K ", "Amina K"), ("Dev\u200b\x07", "Dev"), ("Zoë-Ann O'Neil", "Zoë-Ann O'Neil")],
)
def test_names_are_kept_as_typed_without_invisible_characters(typed: str, kept: str) -> None:
    assert people.clean_name(typed) == kept


@pytest.mark.parametrize(("typed", "key"), [("   ", "name.empty"), ("x" * 65, "name.too_long")])
def test_unusable_names_are_refused(typed: str, key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        people.clean_name(typed)
    assert caught.value.key == key


def test_settings_change_what_tandem_calls_you_and_when(db: Database, clock: FakeClock) -> None:
    amina = make_person(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        people.set_name(session, person_id=amina, name="Amina K", clock=clock)
        people.set_time_zone(session, person_id=amina, time_zone="Africa/Lagos", clock=clock)
        people.set_quiet_hours(
            session, person_id=amina, quiet=QuietHours(22 * 60, 7 * 60), clock=clock
        )
        with pytest.raises(InvalidInput):
            people.set_time_zone(session, person_id=amina, time_zone="Lagos", clock=clock)
    person = _get(db, amina)
    assert (person.preferred_name, person.time_zone) == ("Amina K", "Africa/Lagos")
    assert people.quiet_hours(person) == QuietHours(22 * 60, 7 * 60)
    with db.transaction() as session:
        people.set_quiet_hours(session, person_id=amina, quiet=None, clock=clock)
    assert people.quiet_hours(_get(db, amina)) is None


def test_a_pause_ends_by_itself_or_when_resumed(db: Database, clock: FakeClock) -> None:
    amina = make_person(db, clock, make_cohort(db, clock))
    with db.transaction() as session:
        with pytest.raises(InvalidInput):
            people.pause(session, person_id=amina, choice="forever", clock=clock)
        people.pause(session, person_id=amina, choice="1w", clock=clock)
    paused = _get(db, amina)
    assert people.is_paused(paused, now=clock.now() + timedelta(days=6))
    assert not people.is_paused(paused, now=clock.now() + timedelta(weeks=1))
    with db.transaction() as session:
        people.pause(session, person_id=amina, choice="open", clock=clock)
    assert people.is_paused(_get(db, amina), now=clock.now() + timedelta(days=365))
    with db.transaction() as session:
        people.resume(session, person_id=amina)
    assert not people.is_paused(_get(db, amina), now=clock.now())


def test_leaving_ends_every_membership(db: Database, clock: FakeClock) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    code = make_invite(db, clock, maternity, Role.FACILITATOR)
    with db.transaction() as session:
        telegram_id = session.get(Person, margaret).telegram_user_id  # type: ignore[union-attr]
        enrol(session, code=code, telegram_user_id=telegram_id or 0, chat_id=1, clock=clock)
        assert len(people.cohorts_of(session, person_id=margaret)) == 2
        people.leave(session, person_id=margaret, clock=clock)
    with db.reading() as session:
        assert people.cohorts_of(session, person_id=margaret) == []
        assert people.facilitator_names(session, cohort_id=frailty.id or 0) == []
    left = _get(db, margaret)
    assert left.status == PersonStatus.LEFT and left.left_at == clock.now()


def test_someone_who_blocked_the_bot_is_not_offered_as_a_facilitator_until_back(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    margaret = make_person(db, clock, cohort, Role.FACILITATOR, "Margaret", telegram_user_id=501)
    make_person(db, clock, cohort, Role.FACILITATOR, "Olu", telegram_user_id=502)
    with db.transaction() as session:
        people.mark_unreachable(
            session, telegram_user_id=501, reason="Forbidden: blocked", clock=clock
        )
        assert (
            people.mark_unreachable(session, telegram_user_id=999, reason="x", clock=clock) is None
        )
    with db.reading() as session:
        reachable = [
            p.preferred_name for p in people.facilitators_of(session, cohort_id=cohort.id or 0)
        ]
        named = people.facilitator_names(session, cohort_id=cohort.id or 0, besides=margaret)
    assert reachable == ["Olu"] and named == ["Olu"]
    assert _get(db, margaret).unreachable_reason == "Forbidden: blocked"
    with db.transaction() as session:
        people.mark_reachable(session, telegram_user_id=501)
    with db.reading() as session:
        assert len(people.facilitators_of(session, cohort_id=cohort.id or 0)) == 2


def test_the_programme_comes_from_the_first_cohort(db: Database, clock: FakeClock) -> None:
    cohort = make_cohort(db, clock, hours_per_month=6)
    amina = make_person(db, clock, cohort)
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    with db.reading() as session:
        programme = people.programme_of(session, person_id=amina)
        nothing = people.programme_of(session, person_id=tom)
    assert programme.cohort_names == ("Frailty pathway",) and programme.hours_per_month == 6
    assert programme.contact == "Margaret Evans, 020 7946 0000"
    assert nothing.cohort_ids == () and nothing.programme == ""


def test_seen_is_kept_to_the_hour(db: Database, clock: FakeClock) -> None:
    amina = make_person(db, clock, make_cohort(db, clock), telegram_user_id=601)
    with db.transaction() as session:
        people.seen(session, telegram_user_id=601, clock=clock)
    first = clock.now()
    clock.advance(timedelta(minutes=59))
    with db.transaction() as session:
        people.seen(session, telegram_user_id=601, clock=clock)
    assert _get(db, amina).last_seen_at == first
    clock.advance(timedelta(minutes=2))
    with db.transaction() as session:
        people.seen(session, telegram_user_id=601, clock=clock)
    assert _get(db, amina).last_seen_at == clock.now()


def test_an_erased_person_is_not_found(db: Database, clock: FakeClock) -> None:
    amina = make_person(db, clock, make_cohort(db, clock), telegram_user_id=701)
    with db.transaction() as session:
        forget(session, person_id=amina, clock=clock)
    with db.reading() as session:
        assert people.find_by_telegram(session, telegram_user_id=701) is None
        with pytest.raises(NotFound):
            people.get_person(session, person_id=amina)


def test_command_menus_are_refreshed_only_for_reachable_people_with_an_old_one(
    db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    amina = make_person(db, clock, cohort)
    make_person(db, clock, cohort, name="Bill", telegram_user_id=871)
    chloe = make_person(db, clock, cohort, name="Chloe")
    code = make_invite(db, clock, cohort)
    with db.transaction() as session:
        newcomer = enrol(session, code=code, telegram_user_id=872, chat_id=872, clock=clock)
        people.mark_unreachable(session, telegram_user_id=871, reason="403", clock=clock)
        people.leave(session, person_id=chloe, clock=clock)
    dev = newcomer.person.id  # still onboarding: menus matter from the first message

    def outdated(version: int) -> set[int | None]:
        with db.reading() as session:
            return {p.id for p in people.menu_outdated(session, version=version)}

    assert outdated(3) == {amina, dev}
    with db.transaction() as session:
        people.menu_sent(session, person_id=amina, version=3)
        people.menu_sent(session, person_id=999_999, version=3)  # gone since: nothing to do
    assert outdated(3) == {dev}
    assert outdated(4) == {amina, dev}


def test_seen_memory_asks_the_database_once_an_hour(db: Database, clock: FakeClock) -> None:
    amina = make_person(db, clock, make_cohort(db, clock), telegram_user_id=602)
    memory = people.SeenMemory()
    with db.transaction() as session:
        memory.note(session, telegram_user_id=602, clock=clock)
    first = clock.now()
    with db.transaction() as session:  # someone else's write, which memory does not know of
        session.get_one(Person, amina).last_seen_at = None
    clock.advance(timedelta(minutes=59))
    with db.transaction() as session:
        memory.note(session, telegram_user_id=602, clock=clock)
    assert _get(db, amina).last_seen_at is None  # within the hour: not asked again
    clock.advance(timedelta(minutes=2))
    with db.transaction() as session:
        memory.note(session, telegram_user_id=602, clock=clock)
    assert _get(db, amina).last_seen_at == clock.now() != first
    memory.forget(telegram_user_id=602)
    with db.transaction() as session:
        session.get_one(Person, amina).last_seen_at = None
    with db.transaction() as session:
        memory.note(session, telegram_user_id=602, clock=clock)
    assert _get(db, amina).last_seen_at == clock.now()  # forgotten: noted again at once
