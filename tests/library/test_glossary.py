"""The jargon buster: loading content/glossary.yaml with line-numbered problems, and lookup."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from bot.library.glossary import Glossary, Term, load_glossary
from bot.library.paths import CONTENT_DIR

GLOSSARY = CONTENT_DIR / "glossary.yaml"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "glossary"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    loaded, problems = load_glossary(GLOSSARY)
    assert [str(problem) for problem in problems] == []
    return loaded


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def term(
    name: str,
    *,
    explanation: str = "",
    abbreviation: str | None = None,
    aliases: tuple[str, ...] = (),
    line: int = 1,
) -> Term:
    return Term(name, explanation or f"About {name}.", abbreviation, aliases, (), line)


# ------------------------------------------------------------------------- the real file


def test_the_real_glossary_loads_cleanly_with_plenty_of_terms(glossary: Glossary) -> None:
    assert len(glossary.terms) >= 60
    names = [entry.term.casefold() for entry in glossary.terms]
    assert names == sorted(names)
    for entry in glossary.terms:
        assert entry.explanation.endswith(".")
        for target in entry.see_also:
            found = glossary.lookup(target)
            assert found is not None
            assert found.term == target


def test_titles_show_the_abbreviation(glossary: Glossary) -> None:
    icb = glossary.lookup("ICB")
    assert icb is not None
    assert icb.title == "Integrated care board (ICB)"
    healthwatch = glossary.lookup("Healthwatch")
    assert healthwatch is not None
    assert healthwatch.title == "Healthwatch"


def test_entries_keep_their_line_in_the_file(glossary: Glossary) -> None:
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()
    for entry in glossary.terms:
        line = lines[entry.line - 1]
        assert line.startswith("- term:")
        assert entry.term in line


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ICB", "Integrated care board"),
        ("icb", "Integrated care board"),
        ("icbs", "Integrated care board"),
        ("ICBs", "Integrated care board"),
        ("the ICB", "Integrated care board"),
        ("  The   ICB ", "Integrated care board"),
        ("integrated care boards", "Integrated care board"),
        ("Integrated Care Board", "Integrated care board"),
        ("I.C.B.", "Integrated care board"),
        ("i.c.b", "Integrated care board"),
        ("“ICB”", "Integrated care board"),
        ("'ICB'?", "Integrated care board"),
        ("PCNs", "Primary care network"),
        ("what is a CCG?", "Clinical commissioning group"),
        ("What's an ICS", "Integrated care system"),
        ("what’s the ICP?", "Integrated care partnership"),
        ("what are PCNs", "Primary care network"),
        ("what does CQC mean?", "Care Quality Commission"),
        ("trusts", "NHS trust"),
        ("Trust", "NHS trust"),
        ("foundation trust", "Foundation trust"),
        ("foundation trusts", "Foundation trust"),
        ("local authorities", "Local authority"),
        ("frailties", "Frailty"),
        ("long term conditions", "Long-term condition"),
        ("co design", "Co-design"),
        ("core 20 plus 5", "Core20PLUS5"),
        ("minute", "Minutes"),
        ("outcome!!", "Outcome"),
        ("ICS's", "Integrated care system"),
        ("KPIs", "Key performance indicator"),
    ],
)
def test_lookup_forgives_how_people_type(glossary: Glossary, typed: str, expected: str) -> None:
    found = glossary.lookup(typed)
    assert found is not None, typed
    assert found.term == expected


@pytest.mark.parametrize("typed", ["", "   ", "?!", "the", "a", "what is", "hello", "thanks"])
def test_lookup_finds_nothing_for_chatter(glossary: Glossary, typed: str) -> None:
    assert glossary.lookup(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("intergrated care bord", "Integrated care board"),
        ("ICS's", "Integrated care system"),
        ("comissioning", "Commissioning"),
        ("safegarding", "Safeguarding"),
        ("healthwach", "Healthwatch"),
        ("reablment", "Reablement"),
        ("the intergrated care bord", "Integrated care board"),
    ],
)
def test_suggest_offers_the_intended_term_first(
    glossary: Glossary, typed: str, expected: str
) -> None:
    suggestions = glossary.suggest(typed)
    assert suggestions, typed
    assert suggestions[0].term == expected
    assert len(suggestions) <= 3
    assert len({entry.term for entry in suggestions}) == len(suggestions)


def test_suggest_never_offers_the_exact_match(glossary: Glossary) -> None:
    for typed in ("ICB", "Integrated care board", "icbs", "the ICB", "I.C.B."):
        suggestions = glossary.suggest(typed)
        assert "Integrated care board" not in [entry.term for entry in suggestions]
    assert {entry.term for entry in glossary.suggest("ICB")} >= {"Integrated care system"}


def test_suggest_uses_prefixes_and_whole_words(glossary: Glossary) -> None:
    assert "Commissioner" in [entry.term for entry in glossary.suggest("comm")]
    scrutiny = glossary.suggest("scrutiny", limit=5)
    assert [entry.term for entry in scrutiny] == ["Health overview and scrutiny committee"]


def test_suggest_respects_the_limit_and_has_nothing_for_gibberish(glossary: Glossary) -> None:
    assert len(glossary.suggest("care", limit=5)) == 5
    assert len(glossary.suggest("care", limit=1)) == 1
    assert glossary.suggest("care", limit=0) == []
    assert glossary.suggest("xyzzy") == []
    assert glossary.lookup("word " * 800) is None
    assert glossary.suggest("word " * 800) == []
    assert glossary.suggest("") == []


def test_lookup_and_suggest_are_instant_for_hundreds_of_terms() -> None:
    words = ["care", "board", "fund", "plan", "team", "panel", "review", "service", "group"]
    many = [
        term(f"{first} {second} {number}", abbreviation=f"X{number}Y", line=number)
        for number in range(40)
        for first, second in [(words[number % 9], words[(number + 3) % 9])]
    ]
    many += [term(f"{a} {b} {c}") for a in words for b in words for c in ("one", "two", "six")]
    glossary = Glossary(many)
    assert len(glossary) > 250
    started = time.perf_counter()
    for _ in range(20):
        glossary.lookup("the boards panels ones")
        glossary.suggest("revue sevice six")
    assert (time.perf_counter() - started) / 20 < 0.05


# ----------------------------------------------------------------- plurals both ways


def test_plurals_and_singulars_match_both_ways_without_aliases() -> None:
    glossary = Glossary(
        [
            term("Trust"),
            term("Foundation trusts"),
            term("Integrated care board", abbreviation="ICB"),
            term("Body"),
            term("Process"),
            term("Boxes"),
            term("Primary care network", abbreviation="PCN"),
        ]
    )
    cases = {
        "trusts": "Trust",
        "foundation trust": "Foundation trusts",
        "integrated care boards": "Integrated care board",
        "icbs": "Integrated care board",
        "ICB's": "Integrated care board",
        "bodies": "Body",
        "processes": "Process",
        "box": "Boxes",
        "PCNs": "Primary care network",
    }
    for typed, expected in cases.items():
        found = glossary.lookup(typed)
        assert found is not None, typed
        assert found.term == expected, typed


def test_an_exact_name_wins_over_a_plural_of_another() -> None:
    glossary = Glossary([term("Minute"), term("Minutes", explanation="The record.")])
    found = glossary.lookup("minutes")
    assert found is not None
    assert found.explanation == "The record."


# ------------------------------------------------------------------------------ problems


def test_a_missing_file_is_one_problem(tmp_path: Path) -> None:
    glossary, problems = load_glossary(tmp_path / "nowhere.yaml")
    assert len(glossary) == 0
    assert [(p.line, p.message) for p in problems] == [(0, "file is missing")]


def test_invalid_yaml_is_one_problem_at_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        - term: Fine
          explanation: Fine.
        - term: Broken
          explanation: [unclosed.
        """,
    )
    glossary, problems = load_glossary(path)
    assert len(glossary) == 0
    assert len(problems) == 1
    assert problems[0].line in (4, 5)
    assert "not valid YAML" in problems[0].message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty"),
        ("term: ICB\nexplanation: A board.\n", 1, "expected a list"),
    ],
)
def test_a_file_that_is_not_a_list_is_a_problem(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    glossary, problems = load_glossary(write(tmp_path, text))
    assert len(glossary) == 0
    assert [p.line for p in problems] == [line]
    assert message in problems[0].message


def expected_problems(path: Path) -> list[tuple[int, str]]:
    """The problems a fixture promises in its "# expect: a | b" comments, with their lines."""
    expected = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if "# expect: " in line:
            wanted = line.split("# expect: ", 1)[1]
            expected += [(number, fragment) for fragment in wanted.split(" | ")]
    return expected


def test_every_problem_is_reported_at_its_line() -> None:
    path = FIXTURES / "broken.yaml"
    _, problems = load_glossary(path)
    assert all(str(problem).startswith(f"{path}:{problem.line}: ") for problem in problems)
    assert [problem.line for problem in problems] == sorted(problem.line for problem in problems)
    unmatched = [(problem.line, problem.message) for problem in problems]
    for line, fragment in expected_problems(path):
        match = next((p for p in unmatched if p[0] == line and fragment in p[1]), None)
        assert match is not None, (line, fragment, unmatched)
        unmatched.remove(match)
    assert unmatched == []


def test_usable_entries_load_despite_problems() -> None:
    glossary, _ = load_glossary(FIXTURES / "broken.yaml")
    loaded = {entry.term: entry for entry in glossary.terms}
    assert list(loaded) == [
        "Board",
        "Clash",
        "Integrated care board",
        "Integrated care system",
        "No stop",
        "Wordy",
    ]
    assert loaded["Integrated care board"].see_also == ("Integrated care system",)
    assert loaded["Integrated care system"].see_also == ("Integrated care board",)
    assert loaded["Integrated care system"].aliases == ()
    assert loaded["Clash"].aliases == ("clashing",)
    assert loaded["Clash"].line == 28
    assert loaded["Board"].abbreviation is None
    assert loaded["Board"].aliases == ("boards",)
    clashing = glossary.lookup("I.C.B.s")
    assert clashing is not None
    assert clashing.term == "Integrated care board"
