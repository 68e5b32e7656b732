"""/mydata and /forget: a person's full copy of what Tandem holds, and real erasure.

The coverage tests are driven by the table metadata (see personal_rows.py): a table added
with a column that points at a person fails them until bot/domain/privacy.py erases it (or
says why it is kept) and exports it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, Text
from sqlmodel import SQLModel, select

import bot.models
from bot.db import Database
from bot.domain import meetings, pairs, people, privacy, questions
from bot.domain.clock import FakeClock
from bot.domain.errors import NotFound
from bot.models import (
    Answer,
    AuditEvent,
    ConsentRecord,
    Delivery,
    Membership,
    PartnerQuestion,
    Person,
    PersonStatus,
    Reflection,
    Role,
    UTCDateTime,
)
from tests.domain.personal_rows import check_privacy
from tests.factories import (
    make_cohort,
    make_meeting,
    make_pair,
    make_person,
    make_question,
    make_reflection,
)

ALL_TABLES = SQLModel.metadata.sorted_tables
HOW_TO_FIX = (
    "bot/domain/privacy.py does not cover every table that holds something about a person; "
    "add the table to its erasure (or to KEPT_AFTER_ERASURE, with the reason) and to SECTIONS"
)


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    cohort = make_cohort(db, clock)
    return {
        "cohort": cohort.id or 0,
        "margaret": make_person(db, clock, cohort, Role.FACILITATOR, "Margaret"),
        "amina": make_person(db, clock, cohort, name="Amina K", telegram_user_id=4242),
        "bill": make_person(db, clock, cohort, name="Bill"),
    }


def _export(db: Database, clock: FakeClock, person_id: int) -> dict[str, object]:
    with db.transaction() as session:
        return privacy.export_personal_data(session, person_id=person_id, clock=clock)


def _forget(db: Database, clock: FakeClock, person_id: int) -> None:
    with db.transaction() as session:
        privacy.forget(session, person_id=person_id, clock=clock)


def test_mydata_holds_what_the_person_told_tandem_and_is_audited(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    amina = cast["amina"]
    make_reflection(db, clock, amina, {"learned": "How the budget is set"})
    make_question(db, clock, amina, "Who chairs the board?")
    with db.reading() as session:
        cohort = session.get(bot.models.Cohort, cast["cohort"])
    assert cohort is not None
    meeting = make_meeting(db, clock, cohort)
    with db.transaction() as session:
        meetings.set_rsvp(
            session, meeting_id=meeting.id or 0, person_id=amina, attending=True, clock=clock
        )
    data = _export(db, clock, amina)
    assert data["format"] == privacy.EXPORT_FORMAT
    assert data["you"]["preferred_name"] == "Amina K"  # type: ignore[index]
    assert data["you"]["telegram_user_id"] == 4242  # type: ignore[index]
    assert data["cohorts"] == [{"name": "Frailty pathway", "role": "partner"}]
    [reflection] = data["reflections"]  # type: ignore[misc]
    assert "How the budget is set" in [a["text"] for a in reflection["answers"]]
    assert [q["question"] for q in data["questions"]] == ["Who chairs the board?"]  # type: ignore[attr-defined]
    assert [r["attending"] for r in data["meeting_replies"]] == [True]  # type: ignore[attr-defined]
    assert {m["about"] for m in data["messages_from_tandem"]} >= {"briefing"}  # type: ignore[attr-defined]
    with db.reading() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "export_own_data")).one()
    assert (event.actor_id, event.subject_id) == (amina, amina)


def test_forget_erases_their_words_and_keeps_an_anonymous_row_for_counts(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    amina = cast["amina"]
    reflection = make_reflection(db, clock, amina, {"learned": "Zephyrine's secret"})
    make_question(db, clock, amina)
    _forget(db, clock, amina)
    _forget(db, clock, amina)  # a second time does nothing
    with db.reading() as session:
        with pytest.raises(NotFound):
            people.get_person(session, person_id=amina)
        person = session.get(Person, amina)
        assert person is not None and person.status == PersonStatus.ERASED
        assert (person.telegram_user_id, person.chat_id, person.preferred_name) == (
            None,
            None,
            None,
        )
        assert person.role == Role.PARTNER and person.left_at == clock.now()
        assert session.get(Reflection, reflection) is None
        assert session.exec(select(Answer).where(Answer.reflection_id == reflection)).all() == []
        for table in (ConsentRecord, PartnerQuestion, Delivery):
            assert session.exec(select(table).where(table.person_id == amina)).all() == []
        [membership] = session.exec(select(Membership).where(Membership.person_id == amina))
        assert membership.left_at == clock.now()
        erased = session.exec(select(AuditEvent).where(AuditEvent.action == "erased_own_data"))
        assert len(erased.all()) == 1


def test_forget_removes_the_notices_that_carried_their_words_to_others(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.reading() as session:
        cohort = session.get(bot.models.Cohort, cast["cohort"])
    assert cohort is not None
    make_pair(db, clock, cast["margaret"], cohort, cast["amina"], cast["bill"])
    with db.transaction() as session:
        pairs.relay(session, sender_id=cast["amina"], text="Meet at the café first?", clock=clock)
        pairs.relay(session, sender_id=cast["bill"], text="Yes, at one.", clock=clock)
    _forget(db, clock, cast["amina"])
    with db.reading() as session:
        left = list(
            session.exec(select(Delivery.payload).where(Delivery.person_id == cast["bill"]))
        )
    assert not any("café" in payload for payload in left)
    assert not any("Amina" in payload for payload in left)


def test_a_facilitator_who_forgets_leaves_their_answers_but_unsigned(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    asked = make_question(db, clock, cast["amina"], "Is there parking?")
    with db.transaction() as session:
        questions.answer_question(
            session, viewer_id=cast["margaret"], question_id=asked, text="Yes, free.", clock=clock
        )
    _forget(db, clock, cast["margaret"])
    with db.reading() as session:
        question = session.get(PartnerQuestion, asked)
    assert question is not None and question.answer == "Yes, free."
    assert question.answered_by is None
    assert [q["answer"] for q in _export(db, clock, cast["amina"])["questions"]] == ["Yes, free."]  # type: ignore[attr-defined]


def test_every_table_about_a_person_is_exported_and_erased(db: Database, clock: FakeClock) -> None:
    report = check_privacy(db, clock, ALL_TABLES)
    # The walk finds tables tied directly, through a nullable column only, and through an
    # owner row (an answer belongs to its reflection's author).
    assert {"reflection", "auditevent", "answer", "broadcast"} <= set(report.tables)
    assert not report.not_erased, "\n  ".join(
        [HOW_TO_FIX, "left after /forget:", *report.not_erased]
    )
    assert not report.not_exported, "\n  ".join(
        [HOW_TO_FIX, "missing from /mydata:", *report.not_exported]
    )


def test_erasure_blanks_every_column_of_the_person_not_kept_for_counts(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    amina = cast["amina"]
    columns = Person.__table__.columns  # type: ignore[attr-defined]
    with db.transaction() as session:
        person = session.get(Person, amina)
        assert person is not None
        people.pause(session, person_id=amina, choice="1w", clock=clock)
        person.unreachable_since, person.unreachable_reason = clock.now(), "blocked"
        person.last_seen_at, person.buddy_nudges = clock.now(), False
    _forget(db, clock, amina)
    with db.reading() as session:
        erased = session.get(Person, amina)
    assert erased is not None
    for column in columns:
        if column.name in privacy.KEPT_ON_PERSON:
            continue
        blank = None if column.nullable else column.default.arg
        assert getattr(erased, column.name) == blank, column.name


@pytest.fixture
def scratch_table(db: Database) -> Iterator[Table]:
    """A table someone has just added, holding a person's notes, that privacy.py has never
    heard of (in its own metadata, so no other test sees it)."""
    table = Table(
        "scratchnote",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("person_id", Integer, ForeignKey(Person.__table__.c.id), nullable=False),  # type: ignore[attr-defined]
        Column("reviewer_id", Integer, nullable=True),  # named like a person, no foreign key
        Column("note", Text, nullable=False),
        Column("written_at", UTCDateTime, nullable=False),
    )
    table.create(db.engine)
    yield table
    table.drop(db.engine)


def test_a_table_nobody_told_privacy_about_fails_the_coverage_check(
    db: Database, clock: FakeClock, scratch_table: Table
) -> None:
    report = check_privacy(db, clock, [*ALL_TABLES, scratch_table])
    assert report.tables["scratchnote"] == "person_id, reviewer_id"
    not_erased = [p for p in report.not_erased if p.startswith("scratchnote.")]
    not_exported = [p for p in report.not_exported if p.startswith("scratchnote.")]
    assert [problem.split(":")[0] for problem in not_erased] == [
        "scratchnote.person_id",
        "scratchnote.reviewer_id",
    ]
    assert "the row is still there" in not_erased[0]
    assert "reviewer_id still names them" in not_erased[1]
    # The note is the person's own (its person column cannot be empty), so /mydata must
    # show it; a reviewer is someone who did something to it, so only has to be cleared.
    assert [problem.split(":")[0] for problem in not_exported] == ["scratchnote.person_id"]
