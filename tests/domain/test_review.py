"""Reading reflections back: a partner's own journal, and facilitators' review, where private
reflections never show and anonymised ones never name their author (not even in the audit
log)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.db import Database
from bot.domain import reflections, review
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.models import AuditEvent, Delivery, Role, Sharing
from tests.factories import make_cohort, make_person, make_reflection


def _debrief(
    db: Database,
    clock: FakeClock,
    prompt_sets: dict,
    person_id: int,
    equal: int = 4,
    sharing: Sharing = Sharing.FACILITATORS,
) -> int:
    with db.transaction() as session:
        position = reflections.start(
            session, person_id=person_id, prompt_set=prompt_sets["after-meeting"], clock=clock
        )
        rid = position.reflection.id
        assert rid is not None
        common = {
            "person_id": person_id,
            "reflection_id": rid,
            "clock": clock,
            "prompt_sets": prompt_sets,
        }
        reflections.answer(session, question_id="how_it_went", number=4, **common)
        position = reflections.answer(session, question_id="equal_partner", number=equal, **common)
        if position.question and position.question.id == "get_in_touch":
            reflections.answer(session, question_id="get_in_touch", choice="yes", **common)
        reflections.answer(session, question_id="learned", text="How budgets are set", **common)
        for question in ("surprised", "differently", "raise_next", "troubling"):
            position = reflections.skip(session, question_id=question, **common)
        assert position.question is None
        reflections.finish(session, sharing=sharing, **common)
    return rid


def test_review_never_shows_private_reflections(
    db: Database, clock: FakeClock, prompt_sets: dict
) -> None:
    frailty, diabetes = make_cohort(db, clock), make_cohort(db, clock, "Diabetes prevention")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, "Margaret")
    other_facilitator = make_person(db, clock, diabetes, Role.FACILITATOR, "Olu")
    tom = make_person(db, clock, None, Role.COORDINATOR, "Tom")
    amina = make_person(db, clock, frailty, name="Amina")
    dev = make_person(db, clock, frailty, name="Dev")
    grace = make_person(db, clock, diabetes, name="Grace")
    shared = _debrief(db, clock, prompt_sets, amina, sharing=Sharing.FACILITATORS)
    private = _debrief(db, clock, prompt_sets, dev, sharing=Sharing.PRIVATE)
    anonymous = _debrief(db, clock, prompt_sets, dev, sharing=Sharing.ANONYMISED)
    elsewhere = _debrief(db, clock, prompt_sets, grace)
    with db.transaction() as session:
        seen = review.for_review(session, viewer_id=margaret, prompt_sets=prompt_sets, clock=clock)
        assert {v.id for v in seen} == {shared, anonymous}
        assert {v.id: v.author for v in seen} == {shared: "Amina", anonymous: None}
        assert private not in {v.id for v in seen}
        assert "How budgets are set" in [a.answer for a in seen[0].answers]
        assert {
            v.id
            for v in review.for_review(
                session, viewer_id=other_facilitator, prompt_sets=prompt_sets, clock=clock
            )
        } == {elsewhere}
        everything = review.for_review(session, viewer_id=tom, prompt_sets=prompt_sets, clock=clock)
        assert {v.id for v in everything} == {shared, anonymous, elsewhere}
        with pytest.raises(NotAllowed):
            review.for_review(session, viewer_id=amina, prompt_sets=prompt_sets, clock=clock)
        own, total = review.journal_page(session, person_id=dev, index=0, prompt_sets=prompt_sets)
        assert total == 2 and own is not None


@pytest.fixture
def cohorts(db: Database, clock: FakeClock) -> dict[str, int]:
    """Margaret runs Frailty pathway (Amina's); Olu runs Diabetes prevention; Tom coordinates."""
    frailty, diabetes = make_cohort(db, clock), make_cohort(db, clock, "Diabetes prevention")
    return {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "olu": make_person(db, clock, diabetes, Role.FACILITATOR, "Olu"),
        "tom": make_person(db, clock, None, Role.COORDINATOR, "Tom"),
        "amina": make_person(db, clock, frailty, name="Amina"),
    }


def test_the_journal_shows_the_newest_first_and_stays_in_range(
    db: Database, clock: FakeClock, prompt_sets: dict, cohorts: dict[str, int]
) -> None:
    amina = cohorts["amina"]
    with db.reading() as session:
        assert review.journal_page(session, person_id=amina, index=0, prompt_sets=prompt_sets) == (
            None,
            0,
        )
    make_reflection(db, clock, amina, {"learned": "First time at the board"}, sharing="private")
    clock.advance(timedelta(days=30))
    make_reflection(db, clock, amina, {"learned": "Asked my question"}, sharing="private")
    with db.reading() as session:
        newest, total = review.journal_page(
            session, person_id=amina, index=0, prompt_sets=prompt_sets
        )
        oldest, _ = review.journal_page(session, person_id=amina, index=99, prompt_sets=prompt_sets)
    assert total == 2 and newest is not None and oldest is not None
    assert "Asked my question" in [a.answer for a in newest.answers]
    assert "First time at the board" in [a.answer for a in oldest.answers]
    assert newest.author is None  # your own journal does not name you to yourself
    assert [a.answer for a in newest.answers][:2] == ["4 out of 5", "4 out of 5"]


def test_a_private_or_another_cohorts_reflection_cannot_be_acted_on(
    db: Database, clock: FakeClock, cohorts: dict[str, int]
) -> None:
    private = make_reflection(db, clock, cohorts["amina"], {}, sharing="private")
    shared = make_reflection(db, clock, cohorts["amina"], {})
    with db.transaction() as session:
        for viewer, reflection in (
            (cohorts["margaret"], private),
            (cohorts["tom"], private),
            (cohorts["olu"], shared),
            (cohorts["amina"], shared),
        ):
            with pytest.raises(NotFound):
                review.shared_reflection(session, viewer_id=viewer, reflection_id=reflection)
        with pytest.raises(NotFound):
            review.flag(session, viewer_id=cohorts["olu"], reflection_id=shared, clock=clock)
        assert (
            review.shared_reflection(session, viewer_id=cohorts["tom"], reflection_id=shared).id
            == shared
        )


def test_a_reply_to_an_anonymised_reflection_reaches_its_author_without_naming_them(
    db: Database, clock: FakeClock, cohorts: dict[str, int]
) -> None:
    amina = cohorts["amina"]
    anonymous = make_reflection(db, clock, amina, {"learned": "x"}, sharing="anonymised")
    with db.transaction() as session:
        with pytest.raises(InvalidInput):
            review.reply(
                session,
                viewer_id=cohorts["margaret"],
                reflection_id=anonymous,
                text="  ",
                clock=clock,
            )
        review.reply(
            session,
            viewer_id=cohorts["margaret"],
            reflection_id=anonymous,
            text="Thank you, we will raise transport next time.",
            clock=clock,
        )
    with db.reading() as session:
        [delivery] = session.exec(select(Delivery).where(Delivery.person_id == amina)).all()
        [event] = session.exec(
            select(AuditEvent).where(AuditEvent.action == "reply_reflection")
        ).all()
    assert "we will raise transport next time" in delivery.payload
    assert "Margaret" in delivery.payload
    assert event.actor_id == cohorts["margaret"] and event.subject_id is None


def test_flagging_marks_a_reflection_for_follow_up_and_a_second_tap_clears_it(
    db: Database, clock: FakeClock, prompt_sets: dict, cohorts: dict[str, int]
) -> None:
    shared = make_reflection(db, clock, cohorts["amina"], {})
    with db.transaction() as session:
        flagged = review.flag(
            session, viewer_id=cohorts["margaret"], reflection_id=shared, clock=clock
        )
        assert flagged.flagged_at == clock.now() and flagged.flagged_by == cohorts["margaret"]
    with db.transaction() as session:
        [seen] = review.for_review(
            session, viewer_id=cohorts["margaret"], prompt_sets=prompt_sets, clock=clock
        )
        assert seen.flagged and seen.author == "Amina"
        cleared = review.flag(
            session, viewer_id=cohorts["margaret"], reflection_id=shared, clock=clock
        )
        assert cleared.flagged_at is None and cleared.flagged_by is None
    with db.reading() as session:
        events = session.exec(
            select(AuditEvent.action, AuditEvent.subject_id)
            .where(col(AuditEvent.action).in_(["flag_reflection", "unflag_reflection"]))
            .order_by(col(AuditEvent.id))
        ).all()
    # Shared with a name: the log names her; clearing the flag is logged as clearing it.
    assert events == [
        ("flag_reflection", cohorts["amina"]),
        ("unflag_reflection", cohorts["amina"]),
    ]


def test_answers_are_described_in_words(
    db: Database, clock: FakeClock, prompt_sets: dict, cohorts: dict[str, int]
) -> None:
    shared = make_reflection(
        db, clock, cohorts["amina"], {"how_it_went": 2, "equal_partner": 1, "get_in_touch": "yes"}
    )
    with db.transaction() as session:
        [view] = review.for_review(
            session, viewer_id=cohorts["tom"], prompt_sets=prompt_sets, clock=clock
        )
    assert view.id == shared and view.wants_contact
    shown = {a.question_id: a.answer for a in view.answers}
    assert shown["how_it_went"] == "2 out of 5"
    assert shown["get_in_touch"] == "Yes"
    assert shown["learned"] == "Skipped"
    assert view.answers[0].question == "Overall, how did the meeting go for you?"
