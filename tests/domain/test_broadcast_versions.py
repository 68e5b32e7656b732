"""A broadcast's words in other languages (issue 19, step 6): each person gets the version
in their language; a reader of a language with no version gets the original with a note;
English readers get the original alone. Versions are checked like the original, and a
correction replaces the original and drops the versions."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.db import Database
from bot.domain import broadcasts, outbox
from bot.domain.broadcasts import Audience, Wording, wording_for
from bot.domain.clock import FakeClock
from bot.domain.errors import InvalidInput
from bot.domain.outbox import Due
from bot.domain.outbox.contents import prepare
from bot.models import Broadcast, BroadcastVersion, Cohort, Person, Role
from tests.factories import make_cohort, make_person

ORIGINAL = "Hello {{ name }}, papers are out."
POLISH = "Cześć {{ name }}, dokumenty są gotowe."


@pytest.fixture
def frailty(db: Database, clock: FakeClock) -> Cohort:
    return make_cohort(db, clock)


@pytest.fixture
def cast(db: Database, clock: FakeClock, frailty: Cohort) -> dict[str, int]:
    """Margaret runs Frailty pathway: Ola reads Polish, Samir Arabic, Amina English (chosen)
    and Bill has never chosen a language."""
    found = {
        "margaret": make_person(db, clock, frailty, Role.FACILITATOR, "Margaret"),
        "ola": make_person(db, clock, frailty, name="Ola"),
        "samir": make_person(db, clock, frailty, name="Samir"),
        "amina": make_person(db, clock, frailty, name="Amina"),
        "bill": make_person(db, clock, frailty, name="Bill"),
    }
    with db.transaction() as session:
        for who, code in (("ola", "pl"), ("samir", "ar"), ("amina", "en")):
            person = session.get(Person, found[who])
            assert person is not None
            person.language = code
            session.add(person)
    return found


def _send(
    db: Database, clock: FakeClock, cast: dict[str, int], cohort: Cohort, versions: dict[str, str]
) -> int:
    with db.transaction() as session:
        broadcast, _ = broadcasts.send(
            session,
            viewer_id=cast["margaret"],
            audience=Audience("cohort", cohort.id or 0),
            text=ORIGINAL,
            label="everyone in Frailty pathway",
            clock=clock,
            versions=versions,
        )
    return broadcast.id or 0


def _dispatch(db: Database, clock: FakeClock) -> dict[str, dict[str, object]]:
    """One dispatcher tick, every copy sent: what each person's copy says, by name."""
    with db.transaction() as session:
        rows = outbox.claim_due(session, worker="dispatcher", clock=clock)
        due, held = prepare(session, rows, clock.now())
        results = [
            outbox.sent(d.row, now=clock.now(), message_id=900 + (d.person.id or 0)) for d in due
        ]
        outbox.record(session, held + results, clock=clock)
    return {_name(d): d.extra for d in due}


def _name(due: Due) -> str:
    return due.person.preferred_name or ""


def test_the_words_each_reader_gets() -> None:
    versions = {"pl": "Cześć"}
    assert wording_for("pl", original="Hello", versions=versions) == Wording("Cześć", False)
    assert wording_for("ar", original="Hello", versions=versions) == Wording("Hello", True)
    assert wording_for("en", original="Hello", versions=versions) == Wording("Hello", False)
    assert wording_for(None, original="Hello", versions=versions) == Wording("Hello", False)
    assert wording_for("pl", original="Hello", versions={}) == Wording("Hello", True)


def test_each_person_gets_their_languages_version_or_the_original_with_a_note(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    _send(db, clock, cast, frailty, {"pl": POLISH})
    copies = _dispatch(db, clock)
    assert copies["Ola"] == {
        "author": "Margaret",
        "words": "Cześć Ola, dokumenty są gotowe.",
        "note": False,
    }
    assert copies["Samir"] == {
        "author": "Margaret",
        "words": "Hello Samir, papers are out.",
        "note": True,  # no Arabic version: the original, with the note in Arabic
    }
    assert copies["Amina"]["words"] == "Hello Amina, papers are out."
    assert copies["Amina"]["note"] is False
    assert copies["Bill"]["note"] is False  # no language chosen: English


def test_a_version_is_checked_like_the_original_and_nothing_is_sent_when_it_is_wrong(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    for wrong in ("Cześć {{ imie }}", "   ", "x" * (broadcasts.TEXT_LIMIT + 1), "{{ name "):
        with pytest.raises(InvalidInput), db.transaction() as session:
            broadcasts.send(
                session,
                viewer_id=cast["margaret"],
                audience=Audience("cohort", frailty.id or 0),
                text=ORIGINAL,
                label="",
                clock=clock,
                versions={"pl": wrong},
            )
    with db.reading() as session:
        assert session.exec(select(Broadcast)).all() == []
        assert session.exec(select(BroadcastVersion)).all() == []


def test_a_version_is_previewed_for_its_first_reader_with_how_many_read_it(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    with db.reading() as session:
        people = broadcasts.recipients(
            session, viewer_id=cast["margaret"], audience=Audience("cohort", frailty.id or 0)
        )
        (version,) = broadcasts.check_versions(
            session, people=people, versions={"pl": f"  {POLISH}  "}, now=clock.now()
        )
        readers = broadcasts.readers(session, people=people)
    assert (version.language, version.text, version.readers) == ("pl", POLISH, 1)
    assert (version.first_name, version.words) == ("Ola", "Cześć Ola, dokumenty są gotowe.")
    assert readers == {"en": 2, "pl": 1, "ar": 1}


def test_a_correction_replaces_the_original_and_drops_the_versions(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    broadcast_id = _send(db, clock, cast, frailty, {"pl": POLISH, "ar": "مرحبا {{ name }}"})
    _dispatch(db, clock)
    with db.reading() as session:
        draft = broadcasts.preview_correction(
            session,
            viewer_id=cast["margaret"],
            broadcast_id=broadcast_id,
            text="Hello {{ name }}, papers are out on Friday.",
            clock=clock,
        )
    assert set(draft.dropped) == {"pl", "ar"}  # the writer is told before it goes
    with db.transaction() as session:
        edits = broadcasts.correct(
            session,
            viewer_id=cast["margaret"],
            broadcast_id=broadcast_id,
            text=draft.text,
            clock=clock,
        )
    assert edits == 4
    with db.reading() as session:
        assert broadcasts.versions_of(session, broadcast_ids=[broadcast_id]) == {}
    copies = _dispatch(db, clock)
    assert copies["Ola"] == {
        "author": "Margaret",
        "words": "Hello Ola, papers are out on Friday.",
        "note": True,  # the corrected original, now with the note in Polish
    }
    assert copies["Samir"]["note"] is True
    assert copies["Amina"]["note"] is False


def test_the_preview_is_for_an_english_reader_and_exact_when_there_is_none(
    db: Database, clock: FakeClock, frailty: Cohort, cast: dict[str, int]
) -> None:
    with db.reading() as session:
        everyone = broadcasts.preview(
            session,
            viewer_id=cast["margaret"],
            audience=Audience("cohort", frailty.id or 0),
            text=ORIGINAL,
            clock=clock,
        )
        ola_alone = broadcasts.preview(
            session,
            viewer_id=cast["margaret"],
            audience=Audience("person", cast["ola"]),
            text=ORIGINAL,
            clock=clock,
        )
        (polish,) = broadcasts.check_versions(
            session, people=ola_alone.people, versions={"pl": POLISH}, now=clock.now()
        )
    # Ola joined first, but the words as written are previewed for Amina, who reads English.
    assert (everyone.first_name, everyone.language) == ("Amina", "en")
    assert broadcasts.first_copy(everyone, [polish]) == Wording(
        "Hello Amina, papers are out.", note=False
    )
    # Nobody reads English: the preview is Ola's own copy, her version or the note.
    assert (ola_alone.first_name, ola_alone.language) == ("Ola", "pl")
    assert broadcasts.first_copy(ola_alone, [polish]) == Wording(
        "Cześć Ola, dokumenty są gotowe.", note=False
    )
    assert broadcasts.first_copy(ola_alone, []) == Wording("Hello Ola, papers are out.", note=True)
