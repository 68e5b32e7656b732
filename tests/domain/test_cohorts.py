"""Cohorts: unique names, who runs which, and what a facilitator of another cohort cannot
reach."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.domain import people
from bot.domain.clock import FakeClock
from bot.domain.cohorts import (
    cohorts_for,
    create_cohort,
    find_cohort,
    get_cohort,
    list_cohorts,
    require_runs,
    run_by,
)
from bot.domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.models import Role
from tests.factories import make_cohort, make_person


def test_names_are_tidied_and_unique_whatever_the_case(db: Database, clock: FakeClock) -> None:
    with db.transaction() as session:
        made = create_cohort(session, name="  Frailty   pathway ", clock=clock)
    assert made.name == "Frailty pathway" and made.time_zone == "Europe/London"
    with pytest.raises(Conflict) as caught, db.transaction() as session:
        create_cohort(session, name="FRAILTY PATHWAY", clock=clock)
    assert caught.value.params == {"name": "FRAILTY PATHWAY"}
    with db.reading() as session:
        assert find_cohort(session, name="frailty pathway") is not None
        assert get_cohort(session, name="Frailty  Pathway").id == made.id
        with pytest.raises(NotFound):
            get_cohort(session, name="Maternity voices")


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"name": "   "}, "cohort.bad_name"),
        ({"name": "x" * 81}, "cohort.bad_name"),
        ({"time_zone": "Mars/Olympus"}, "tz.unknown"),
        ({"hours_per_month": 0}, "cohort.bad_hours"),
        ({"hours_per_month": 101}, "cohort.bad_hours"),
    ],
)
def test_unusable_cohorts_are_refused(
    db: Database, clock: FakeClock, options: dict[str, object], key: str
) -> None:
    asked: dict[str, object] = {"name": "Frailty pathway"} | options
    with pytest.raises(InvalidInput) as caught, db.transaction() as session:
        create_cohort(session, clock=clock, **asked)  # type: ignore[arg-type]
    assert caught.value.key == key


def test_the_list_counts_active_partners_only(db: Database, clock: FakeClock) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    make_person(db, clock, frailty, name="Amina")
    leaving = make_person(db, clock, frailty, name="Dev")
    make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    with db.transaction() as session:
        people.leave(session, person_id=leaving, clock=clock)
    with db.reading() as session:
        counts = [(cohort.name, n) for cohort, n in list_cohorts(session)]
    assert counts == [("Frailty pathway", 1), ("Maternity voices", 0)]
    assert maternity.id is not None


def test_a_facilitator_runs_only_their_own_cohorts(db: Database, clock: FakeClock) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    amina = make_person(db, clock, frailty, name="Amina")
    with db.reading() as session:
        assert run_by(session, person_id=margaret) == [frailty.id]
        assert [c.name for c in cohorts_for(session, person_id=margaret)] == ["Frailty pathway"]
        require_runs(session, person_id=margaret, cohort_id=frailty.id or 0)
        with pytest.raises(NotFound) as caught:
            require_runs(session, person_id=margaret, cohort_id=maternity.id or 0)
        assert caught.value.key == "cohort.not_yours"
        assert run_by(session, person_id=tom) is None
        assert len(cohorts_for(session, person_id=tom)) == 2
        require_runs(session, person_id=tom, cohort_id=maternity.id or 0)
        with pytest.raises(NotAllowed):
            run_by(session, person_id=amina)
        with pytest.raises(NotFound):
            run_by(session, person_id=999_999)


def test_a_facilitator_who_left_runs_nothing(db: Database, clock: FakeClock) -> None:
    frailty = make_cohort(db, clock)
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    with db.transaction() as session:
        people.leave(session, person_id=margaret, clock=clock)
    with db.reading() as session:
        assert run_by(session, person_id=margaret) == []
