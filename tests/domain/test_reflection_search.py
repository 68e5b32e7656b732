"""Word search over shared reflections: any case, anything typed taken literally, short words,
changed answers, and erased answers gone from the index."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.errors import NotFound
from bot.domain.privacy import forget
from bot.domain.reflection_search import ReflectionFilter, search
from bot.library.catalogue import Library
from bot.models import Role
from tests.factories import make_cohort, make_person, make_reflection

LIBRARY, _ = Library.load()

WRITTEN = {
    "plain": 'The "discharge" letters: 50% of them are late_again; OR* NEAR(x) -- ü café',
}


@pytest.fixture
def found(db: Database, clock: FakeClock) -> tuple[int, int]:
    cohort = make_cohort(db, clock)
    tom = make_person(db, clock, None, Role.COORDINATOR, name="Tom")
    amina = make_person(db, clock, cohort, name="Amina")
    make_reflection(db, clock, amina, {"learned": WRITTEN["plain"]})
    make_reflection(db, clock, amina, {"learned": "Nothing to see"})
    return tom, amina


def _hits(db: Database, viewer: int, words: str) -> int:
    with db.reading() as session:
        return search(
            session,
            viewer_id=viewer,
            wanted=ReflectionFilter(text=words),
            prompt_sets=LIBRARY.prompt_sets,
        ).total


@pytest.mark.parametrize(
    "words",
    [
        "discharge",
        "DISCHARGE",
        '"discharge"',
        "50%",
        "late_again",
        "OR*",
        "NEAR(x)",
        "--",
        "café",
        "  letters:   50% ",
        "of",
    ],
)
def test_anything_typed_is_searched_for_literally(
    db: Database, found: tuple[int, int], words: str
) -> None:
    assert _hits(db, found[0], words) == 1


@pytest.mark.parametrize("words", ["dischargex", "50%%", "late-again", "zz", "'"])
def test_no_false_matches(db: Database, found: tuple[int, int], words: str) -> None:
    assert _hits(db, found[0], words) == 0


def test_erased_answers_cannot_be_found(
    db: Database, clock: FakeClock, found: tuple[int, int]
) -> None:
    tom, amina = found
    with db.transaction() as session:
        forget(session, person_id=amina, clock=clock)
    db.compact_after_erasure()
    assert _hits(db, tom, "discharge") == 0
    assert _hits(db, tom, "Nothing") == 0


def test_a_facilitator_finds_only_their_cohorts_shared_reflections(
    db: Database, clock: FakeClock
) -> None:
    frailty, maternity = make_cohort(db, clock), make_cohort(db, clock, "Maternity voices")
    margaret = make_person(db, clock, frailty, Role.FACILITATOR, name="Margaret")
    amina = make_person(db, clock, frailty, name="Amina")
    bola = make_person(db, clock, maternity, name="Bola")
    shared = make_reflection(db, clock, amina, {"learned": "transport"})
    make_reflection(db, clock, amina, {"learned": "transport"}, sharing="private")
    make_reflection(db, clock, bola, {"learned": "transport"})
    with db.reading() as session:
        found = search(
            session,
            viewer_id=margaret,
            wanted=ReflectionFilter(text="transport"),
            prompt_sets=LIBRARY.prompt_sets,
        )
        with pytest.raises(NotFound):  # another cohort is the same as no cohort at all
            search(
                session,
                viewer_id=margaret,
                wanted=ReflectionFilter(cohort_id=maternity.id),
                prompt_sets=LIBRARY.prompt_sets,
            )
    assert [row.id for row in found.rows] == [shared] and found.total == 1
    assert found.rows[0].author == "Amina"
    assert ReflectionFilter(text="transport", cohort_id=3).describe() == "cohort=3, text search"
