"""Loading the phrase file: the shipped one loads cleanly, and every problem in a broken one
is reported at its line while what works still loads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.domain.safeguarding import Rules, default_rules, load_rules
from tests.domain.safeguarding.rule_files import CATEGORIES, FIXTURES, write


def test_the_shipped_file_loads_cleanly(rules: Rules) -> None:
    assert [category.name for category in rules.categories] == CATEGORIES
    assert rules.reviewed == dt.date(2026, 11, 27)
    assert "clinical safety officer" in rules.reviewed_by
    for category in rules.categories:
        assert category.label
        assert len(category.triggers) >= 20
    assert default_rules() is default_rules()
    assert [c.name for c in default_rules().categories] == CATEGORIES


def expected_problems(path: Path) -> list[tuple[int, str]]:
    """The problems a fixture promises in its "# expect: a | b" comments, with their lines."""
    expected = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if "# expect: " in line:
            expected += [(number, part) for part in line.split("# expect: ", 1)[1].split(" | ")]
    return expected


def test_every_problem_is_reported_at_its_line() -> None:
    path = FIXTURES / "broken.yaml"
    _, problems = load_rules(path)
    assert all(str(problem).startswith(f"{path}:{problem.line}: ") for problem in problems)
    unmatched = [(problem.line, problem.message) for problem in problems]
    for line, fragment in expected_problems(path):
        found = next((p for p in unmatched if p[0] == line and fragment in p[1]), None)
        assert found is not None, (line, fragment, unmatched)
        unmatched.remove(found)
    assert unmatched == []


def test_what_works_still_loads_despite_problems() -> None:
    rules, _ = load_rules(FIXTURES / "broken.yaml")
    assert [category.name for category in rules.categories] == ["suicide", "empty_one"]
    assert [category.label for category in rules.categories] == ["Thoughts of suicide", "empty_one"]
    assert rules.reviewed is None
    match = rules.check("Today I want to die")
    assert match is not None
    assert match.category == "suicide"
    assert rules.check("she hurts me") is not None


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the file is empty"),
        ("- a list\n", 1, "expected reviewed: and categories:"),
        ("reviewed: 2026-11-27\nreviewed_by: x\ncategories:\n  a: b: c\n", 4, "not valid YAML"),
        ("reviewed: 2026-11-27\nreviewed_by: x\n", 1, "categories must be names"),
        ("reviewed: 2026-11-27\nreviewed_by: [x]\ncategories: {}\n", 2, "must be text"),
    ],
)
def test_a_file_that_is_not_rules_is_a_problem(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    rules, problems = load_rules(write(tmp_path, text))
    assert rules.categories == ()
    assert [problem.line for problem in problems] == [line]
    assert message in problems[0].message


def test_a_missing_file_is_one_problem(tmp_path: Path) -> None:
    rules, problems = load_rules(tmp_path / "nowhere.yaml")
    assert rules.check("I want to die") is None
    assert [(p.line, p.message) for p in problems] == [(0, "file is missing")]
