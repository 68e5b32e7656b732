"""Champions and mentoring (issue 18) through the domain: asking and answering, mentors
offered by hand or by themselves, the check-in prompts, the end of mentoring, stepping down
and /forget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import account, champions, privacy
from bot.domain.attendance import set_attended
from bot.domain.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.models import (
    Champion,
    ChampionStatus,
    Cohort,
    Delivery,
    Mentorship,
    MentorshipStatus,
    Role,
)
from tests.factories import make_cohort, make_meeting, make_person


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    cohort = make_cohort(db, clock)
    other = make_cohort(db, clock, "Stroke services")
    ids = {
        "cohort": cohort.id or 0,
        "other": other.id or 0,
        "margaret": make_person(db, clock, cohort, Role.FACILITATOR, "Margaret"),
        "otto": make_person(db, clock, other, Role.FACILITATOR, "Otto"),
        "amina": make_person(db, clock, cohort, name="Amina"),
        "olu": make_person(db, clock, other, name="Olu"),
    }
    clock.advance(timedelta(days=120))  # Amina has been in for four months; Dev is new
    ids["dev"] = make_person(db, clock, cohort, name="Dev")
    return ids


def _champion(db: Database, clock: FakeClock, cast: dict[str, int], who: str = "amina") -> int:
    with db.transaction() as session:
        row = champions.ask(
            session,
            viewer_id=cast["margaret"],
            cohort_id=cast["cohort"],
            person_id=cast[who],
            clock=clock,
        )
        champions.answer(
            session, person_id=cast[who], champion_id=row.id or 0, accept=True, clock=clock
        )
        return row.id or 0


def _mentoring(db: Database, clock: FakeClock, cast: dict[str, int], row: int) -> int:
    with db.transaction() as session:
        offered = champions.offer(
            session, viewer_id=cast["margaret"], mentee_id=cast["dev"], champion_id=row, clock=clock
        )
        champions.answer_offer(
            session, person_id=cast["dev"], mentorship_id=offered.id or 0, accept=True, clock=clock
        )
        return offered.id or 0


def _told(db: Database, person: int, key: str) -> int:
    with db.reading() as session:
        rows = session.exec(select(Delivery).where(Delivery.person_id == person)).all()
    return sum(1 for row in rows if f":{key}:" in row.dedupe_key)


def test_a_partner_is_a_champion_only_once_they_say_yes(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.transaction() as session:
        row = champions.ask(
            session, viewer_id=cast["margaret"], cohort_id=cast["cohort"],
            person_id=cast["amina"], clock=clock,
        )  # fmt: skip
        assert not champions.is_champion(session, person_id=cast["amina"], cohort_id=cast["cohort"])
        with pytest.raises(Conflict):
            champions.ask(
                session, viewer_id=cast["margaret"], cohort_id=cast["cohort"],
                person_id=cast["amina"], clock=clock,
            )  # fmt: skip
        champions.answer(
            session, person_id=cast["amina"], champion_id=row.id or 0, accept=False, clock=clock
        )
        with pytest.raises(Conflict):  # "not now" is final until asked again
            champions.answer(
                session, person_id=cast["amina"], champion_id=row.id or 0, accept=True,
                clock=clock,
            )  # fmt: skip
        assert not champions.is_champion(session, person_id=cast["amina"], cohort_id=cast["cohort"])
    assert _told(db, cast["amina"], "champions.notify.asked") == 1
    assert _told(db, cast["margaret"], "champions.notify.declined") == 1
    _champion(db, clock, cast)  # asked again, and yes this time
    with db.reading() as session:
        assert champions.is_champion(session, person_id=cast["amina"], cohort_id=cast["cohort"])
        assert not champions.is_champion(session, person_id=cast["amina"], cohort_id=cast["other"])
    assert _told(db, cast["margaret"], "champions.notify.accepted") == 1


def test_only_the_cohorts_staff_can_ask_and_only_its_partners(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.transaction() as session:
        with pytest.raises(NotFound):  # another cohort's facilitator
            champions.ask(
                session, viewer_id=cast["otto"], cohort_id=cast["cohort"],
                person_id=cast["amina"], clock=clock,
            )  # fmt: skip
        with pytest.raises(NotFound):  # a partner of another cohort
            champions.ask(
                session, viewer_id=cast["margaret"], cohort_id=cast["cohort"],
                person_id=cast["olu"], clock=clock,
            )  # fmt: skip
        assert session.exec(select(Champion)).all() == []


def test_a_new_partner_gets_the_one_free_champion_by_itself(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    _champion(db, clock, cast)
    with db.transaction() as session:
        offered = champions.offer_after_joining(session, person_id=cast["dev"], clock=clock)
        assert offered is not None and offered.champion_id == cast["amina"]
        assert offered.offered_by is None
        # Amina is no longer free: the next newcomer is not offered anyone by itself.
    with db.reading() as session:
        cohort = session.get(Cohort, cast["cohort"])
    eve = make_person(db, clock, cohort, name="Eve")
    with db.transaction() as session:
        assert champions.offer_after_joining(session, person_id=eve, clock=clock) is None


def test_a_mentor_is_offered_only_to_a_new_partner_without_one(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    row = _champion(db, clock, cast)
    with db.transaction() as session:
        with pytest.raises(InvalidInput):  # herself
            champions.offer(
                session, viewer_id=cast["margaret"], mentee_id=cast["amina"], champion_id=row,
                clock=clock,
            )  # fmt: skip
        with pytest.raises(NotFound):
            champions.offer(
                session, viewer_id=cast["otto"], mentee_id=cast["dev"], champion_id=row,
                clock=clock,
            )  # fmt: skip
    mentorship = _mentoring(db, clock, cast, row)
    with db.transaction() as session, pytest.raises(Conflict):
        champions.offer(
            session, viewer_id=cast["margaret"], mentee_id=cast["dev"], champion_id=row,
            clock=clock,
        )  # fmt: skip
    assert _told(db, cast["dev"], "champions.notify.offer") == 1
    assert _told(db, cast["amina"], "champions.notify.intro_champion") == 1
    with db.reading() as session:
        found = session.get(Mentorship, mentorship)
        assert found is not None and found.status == MentorshipStatus.ACTIVE
        assert found.ends_at is not None and found.ends_at > clock.now() + timedelta(days=80)


def test_check_ins_come_after_the_first_and_third_meeting_once_each(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    mentorship = _mentoring(db, clock, cast, _champion(db, clock, cast))
    with db.reading() as session:
        cohort = session.get(Cohort, cast["cohort"])
    assert cohort is not None
    meetings = [
        make_meeting(
            db, clock, cohort, title=f"Board {n}", starts_at=clock.now() + timedelta(days=7 * n)
        )
        for n in (1, 2, 3, 4)
    ]
    clock.advance(timedelta(days=8))
    with db.transaction() as session:
        assert champions.check_ins(session, clock=clock) == 1
        assert champions.check_ins(session, clock=clock) == 0  # once only
    clock.advance(timedelta(days=7))
    with db.transaction() as session:  # Dev was confirmed absent from the second board
        set_attended(
            session, meeting_id=meetings[1].id or 0, person_id=cast["margaret"],
            partner_id=cast["dev"], attended=False, clock=clock,
        )  # fmt: skip
    clock.advance(timedelta(days=7))
    with db.transaction() as session:
        assert champions.check_ins(session, clock=clock) == 0  # only two of Dev's meetings
    clock.advance(timedelta(days=7))
    with db.transaction() as session:
        assert champions.check_ins(session, clock=clock) == 1  # the fourth was Dev's third
    assert _told(db, cast["amina"], "champions.notify.check_in") == 2
    with db.reading() as session:
        views = champions.partner_home(session, person_id=cast["amina"], clock=clock).mentees
    assert [m.attended for m in views[0].meetings] == [None, False, None, None]
    assert views[0].mentorship.id == mentorship and views[0].name == "Dev"


def test_mentoring_ends_after_three_months_with_thanks_to_both(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    mentorship = _mentoring(db, clock, cast, _champion(db, clock, cast))
    clock.advance(timedelta(days=60))
    with db.transaction() as session:
        assert champions.finish_due(session, clock=clock) == 0
    clock.advance(timedelta(days=40))
    with db.transaction() as session:
        assert champions.finish_due(session, clock=clock) == 1
        assert champions.finish_due(session, clock=clock) == 0
        found = session.get(Mentorship, mentorship)
        assert found is not None and found.status == MentorshipStatus.ENDED
        assert found.end_reason == "finished"
    assert _told(db, cast["amina"], "champions.notify.finished_champion") == 1
    assert _told(db, cast["dev"], "champions.notify.finished_mentee") == 1


def test_stepping_down_ends_mentoring_and_the_mentee_is_told_kindly(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    row = _champion(db, clock, cast)
    _mentoring(db, clock, cast, row)
    with db.transaction() as session:
        with pytest.raises(NotFound):  # only Amina can step down
            champions.step_down(session, person_id=cast["dev"], champion_id=row, clock=clock)
        champions.step_down(session, person_id=cast["amina"], champion_id=row, clock=clock)
        assert session.get(Champion, row).status == ChampionStatus.ENDED  # type: ignore[union-attr]
        assert session.exec(select(Mentorship.status)).one() == MentorshipStatus.ENDED
    assert _told(db, cast["dev"], "champions.notify.mentor_gone") == 1
    assert _told(db, cast["margaret"], "champions.notify.stepped_down") == 1


@pytest.mark.parametrize("who", ["amina", "dev"])
def test_forget_ends_mentoring_erases_both_tables_and_tells_the_other(
    who: str, db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    _mentoring(db, clock, cast, _champion(db, clock, cast))
    with db.transaction() as session:
        exported = privacy.export_personal_data(session, person_id=cast[who], clock=clock)
    assert exported["mentoring"][0]["with"] == ("Dev" if who == "amina" else "Amina")  # type: ignore[index]
    with db.transaction() as session:
        privacy.forget(session, person_id=cast[who], clock=clock)
    with db.reading() as session:
        assert session.exec(select(Mentorship)).all() == []
        left = session.exec(select(Champion)).all()
    assert left == [] if who == "amina" else len(left) == 1
    other, key = (
        ("dev", "champions.notify.mentor_gone")
        if who == "amina"
        else ("amina", "champions.notify.mentee_gone")
    )
    assert _told(db, cast[other], key) == 1


@pytest.mark.parametrize("who", ["amina", "dev"])
def test_leaving_tandem_ends_mentoring_and_tells_the_other(
    who: str, db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    _mentoring(db, clock, cast, _champion(db, clock, cast))
    with db.transaction() as session:
        account.leave(session, person_id=cast[who], clock=clock)
    with db.reading() as session:
        assert session.exec(select(Mentorship.status)).one() == MentorshipStatus.ENDED
    other, key = (
        ("dev", "champions.notify.mentor_gone")
        if who == "amina"
        else ("amina", "champions.notify.mentee_gone")
    )
    assert _told(db, cast[other], key) == 1
