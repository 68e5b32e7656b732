"""The record of contribution (issue 18): its sections from what Tandem holds, the PDF (and
that nothing private reaches it), achievements, endorsements the partner approves, erasure,
and the one nudge to confirm attendance after a meeting."""

from __future__ import annotations

import html
import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlmodel import col, select

from bot.db import Database
from bot.domain import privacy, record
from bot.domain.attendance_lists import nudge_unconfirmed
from bot.domain.clock import FakeClock
from bot.domain.errors import Conflict, InvalidInput, NotFound
from bot.library import languages
from bot.library.messages import Texts
from bot.models import (
    Achievement,
    AuditEvent,
    Cohort,
    Delivery,
    Endorsement,
    EndorsementStatus,
    Role,
)
from tests.factories import library, make_cohort, make_meeting, make_person
from tests.record_history import (
    ATTENDED,
    ITEM,
    ITEM_OUTCOME,
    MEASURE,
    MISSED,
    PRIVATE_WORDS,
    SAID_OUTCOME,
    give_history,
)

TITLES = {key: b.meta.title for key, b in library().briefings.items()}


@pytest.fixture
def cast(db: Database, clock: FakeClock) -> dict[str, int]:
    cohort = make_cohort(db, clock)
    other = make_cohort(db, clock, "Stroke services")
    return {
        "cohort": cohort.id or 0,
        "margaret": make_person(db, clock, cohort, Role.FACILITATOR, "Margaret"),
        "priya": make_person(db, clock, other, Role.FACILITATOR, "Priya"),
        "zoe": make_person(db, clock, cohort, name="Zoë"),
        "bill": make_person(db, clock, cohort, name="Bill"),
    }


def _cohort(db: Database, cohort_id: int) -> Cohort:
    with db.reading() as session:
        found = session.get(Cohort, cohort_id)
    assert found is not None
    return found


def _pdf_text(db: Database, clock: FakeClock, person_id: int) -> str:
    with db.transaction() as session:
        made = record.export_record(
            session, person_id=person_id, briefing_titles=TITLES, clock=clock
        )
        data = record.record_pdf(made, Texts.load())
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _endorse(db: Database, clock: FakeClock, cast: dict[str, int], text: str) -> int:
    with db.transaction() as session:
        return (
            record.write_endorsement(
                session, viewer_id=cast["margaret"], partner_id=cast["zoe"], text=text, clock=clock
            ).id
            or 0
        )


def _decide(db: Database, clock: FakeClock, who: int, endorsement: int, approve: bool) -> None:
    with db.transaction() as session:
        record.decide_endorsement(
            session, person_id=who, endorsement_id=endorsement, approve=approve, clock=clock
        )


def test_the_pdf_holds_the_partners_work_and_nothing_private(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    history = give_history(
        db, clock, _cohort(db, cast["cohort"]), partner=cast["zoe"], facilitator=cast["margaret"]
    )
    with db.transaction() as session:
        record.add_achievement(
            session, person_id=cast["zoe"], title="Выступила на совете", detail="Про письма",
            clock=clock,
        )  # fmt: skip
    kept = _endorse(db, clock, cast, "Zoë spoke up clearly at every board. Thank you.")
    _endorse(db, clock, cast, "Words Zoë has not agreed to show anyone yet.")
    _decide(db, clock, cast["zoe"], kept, approve=True)

    text = _pdf_text(db, clock, cast["zoe"])
    for shown in (
        "Record of contribution",
        "Zoë",
        "North West London integrated care",
        ATTENDED,
        history.briefing_title,
        ITEM,
        ITEM_OUTCOME,
        SAID_OUTCOME,
        MEASURE,
        "Выступила на совете",
        "Zoë spoke up clearly at every board.",
        "Written by Margaret",
    ):
        assert shown in " ".join(text.split()), shown
    for hidden in (PRIVATE_WORDS, MISSED, "has not agreed"):
        assert hidden not in text, hidden
    with db.reading() as session:
        exports = session.exec(
            select(AuditEvent).where(AuditEvent.action == "record.export_pdf")
        ).all()
    assert [(e.actor_id, e.subject_id) for e in exports] == [(cast["zoe"], cast["zoe"])]


def test_a_record_in_arabic_prints_its_words_in_order(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    """Issue 19: the record is in the partner's language; Arabic is shaped (joined letters,
    right to left), so the words come back out of the PDF as written."""
    written = "تحدثت أمام المجلس عن رسائل الخروج"
    with db.transaction() as session:
        record.add_achievement(
            session, person_id=cast["zoe"], title=written, detail=None, clock=clock
        )
    with languages.speaking("ar"):
        text = " ".join(_pdf_text(db, clock, cast["zoe"]).split())
        title = html.unescape(Texts.load().render("record.pdf.title"))
    assert written in text
    assert title in text and "Record of contribution" not in text


def test_a_record_with_nothing_yet_still_makes_a_pdf(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    text = _pdf_text(db, clock, cast["bill"])
    assert "Bill" in text and "Nothing on this record yet" in " ".join(text.split())


def test_only_staff_of_the_partners_group_endorse_and_only_the_partner_decides(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.transaction() as session, pytest.raises(NotFound):
        record.write_endorsement(
            session, viewer_id=cast["priya"], partner_id=cast["zoe"],
            text="Another group's facilitator writing.", clock=clock,
        )  # fmt: skip
    with db.transaction() as session, pytest.raises(InvalidInput):
        record.write_endorsement(
            session, viewer_id=cast["margaret"], partner_id=cast["zoe"], text="Good", clock=clock
        )
    endorsement = _endorse(db, clock, cast, "Zoë chaired the partners' meeting well.")
    with db.reading() as session:
        told = session.exec(
            select(Delivery).where(Delivery.person_id == cast["zoe"], Delivery.purpose == "notice")
        ).all()
    assert len(told) == 1 and "chaired" in told[0].payload
    with pytest.raises(NotFound):
        _decide(db, clock, cast["bill"], endorsement, approve=True)
    _decide(db, clock, cast["zoe"], endorsement, approve=False)
    with pytest.raises(Conflict):
        _decide(db, clock, cast["zoe"], endorsement, approve=True)
    with db.reading() as session:
        found = record.build_record(
            session, person_id=cast["zoe"], briefing_titles=TITLES, clock=clock
        )
    assert [s.count for s in found.sections if s.key == "endorsements"] == [0]


def test_achievements_are_added_and_removed_by_their_partner_only(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.transaction() as session:
        mine = record.add_achievement(
            session, person_id=cast["zoe"], title="Gave a talk", detail=None, clock=clock
        )
        with pytest.raises(InvalidInput):
            record.add_achievement(
                session, person_id=cast["zoe"], title="x", detail=None, clock=clock
            )
    with db.transaction() as session, pytest.raises(NotFound):
        record.remove_achievement(session, person_id=cast["bill"], achievement_id=mine.id or 0)
    with db.transaction() as session:
        record.remove_achievement(session, person_id=cast["zoe"], achievement_id=mine.id or 0)
        assert record.achievements_of(session, person_id=cast["zoe"]) == []


def test_forget_erases_the_partners_record_and_unsigns_what_a_facilitator_wrote(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    with db.transaction() as session:
        record.add_achievement(
            session, person_id=cast["bill"], title="Gave a talk", detail=None, clock=clock
        )
    endorsement = _endorse(db, clock, cast, "Zoë chaired the partners' meeting well.")
    _decide(db, clock, cast["zoe"], endorsement, approve=True)
    with db.transaction() as session:
        data = privacy.export_personal_data(session, person_id=cast["zoe"], clock=clock)
    assert [e["text"] for e in data["record_endorsements"]] == [  # type: ignore[index]
        "Zoë chaired the partners' meeting well."
    ]
    with db.transaction() as session:
        privacy.forget(session, person_id=cast["margaret"], clock=clock)
        privacy.forget(session, person_id=cast["bill"], clock=clock)
    with db.reading() as session:
        kept = session.get(Endorsement, endorsement)
        assert kept is not None and kept.status == EndorsementStatus.APPROVED
        assert (kept.author_id, kept.signature) == (None, None)
        assert session.exec(select(Achievement)).all() == []
    text = " ".join(_pdf_text(db, clock, cast["zoe"]).split())
    assert "Written by a member of staff" in text and "Margaret" not in text
    with db.transaction() as session:
        privacy.forget(session, person_id=cast["zoe"], clock=clock)
    with db.reading() as session:
        assert session.exec(select(Endorsement)).all() == []


def test_facilitators_are_nudged_once_to_confirm_who_came(
    db: Database, clock: FakeClock, cast: dict[str, int]
) -> None:
    meeting = make_meeting(
        db, clock, _cohort(db, cast["cohort"]), starts_at=clock.now() + timedelta(days=1)
    )

    def nudges() -> list[Delivery]:
        with db.transaction() as session:
            nudge_unconfirmed(session, clock=clock)
        with db.reading() as session:
            return list(
                session.exec(
                    select(Delivery).where(col(Delivery.dedupe_key).contains("attendance_staff"))
                ).all()
            )

    clock.set(meeting.ends_at + timedelta(hours=1))
    assert nudges() == []  # too soon after the meeting
    clock.advance(timedelta(hours=2))
    sent = nudges()
    assert [d.person_id for d in sent] == [cast["margaret"]]  # not Priya, not partners
    clock.advance(timedelta(hours=6))
    assert len(nudges()) == 1  # once only
