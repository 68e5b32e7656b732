"""The safeguarding detector: the shipped phrase file, what alerts and what stays quiet, how
text is tidied, the phrase syntax, and problems reported at their line."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from bot.domain.safeguarding import RULES_PATH, Rules, default_rules, load_rules, normalise

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "safeguarding"
CATEGORIES = ["emergency", "suicide", "self_harm", "abuse", "unsafe_at_home", "not_coping"]


def examples(name: str) -> list[str]:
    """The lines of a fixture file that are not blank or comments."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


ALERTS = [tuple(line.split(": ", 1)) for line in examples("alerts.txt")]
QUIET = examples("quiet.txt")


@pytest.fixture(scope="module")
def rules() -> Rules:
    loaded, problems = load_rules(RULES_PATH)
    assert [str(problem) for problem in problems] == []
    return loaded


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "safeguarding.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def rules_from(tmp_path: Path, phrases: str, exclude: str = "[]") -> Rules:
    """Rules with one category, "test", from phrases written as a YAML flow list."""
    path = write(
        tmp_path,
        f"""
        reviewed: 2026-11-27
        reviewed_by: Tester
        lists:
          people: [he/she/they, my mum/dad]
        categories:
          test:
            label: Test
            phrases: {phrases}
            exclude: {exclude}
        """,
    )
    loaded, problems = load_rules(path)
    assert [str(problem) for problem in problems] == []
    return loaded


# ------------------------------------------------------------------------- the real file


def test_the_shipped_file_loads_cleanly(rules: Rules) -> None:
    assert [category.name for category in rules.categories] == CATEGORIES
    assert rules.reviewed == dt.date(2026, 11, 27)
    assert "clinical safety officer" in rules.reviewed_by
    for category in rules.categories:
        assert category.label
        assert len(category.triggers) >= 20
    assert default_rules() is default_rules()
    assert [c.name for c in default_rules().categories] == CATEGORIES


def test_every_category_has_plenty_of_examples_both_ways() -> None:
    for category in CATEGORIES:
        assert sum(1 for wanted, _ in ALERTS if wanted == category) >= 15, category
    assert len(QUIET) >= 100


@pytest.mark.parametrize(("category", "text"), ALERTS, ids=[text for _, text in ALERTS])
def test_these_alert(rules: Rules, category: str, text: str) -> None:
    match = rules.check(text)
    assert match is not None, text
    assert match.category == category, (match.phrase, match.rule)
    assert match.phrase in " ".join(normalise(text).split())


@pytest.mark.parametrize("text", QUIET)
def test_these_stay_quiet(rules: Rules, text: str) -> None:
    match = rules.check(text)
    assert match is None, (match.category, match.phrase, match.rule) if match else None


@pytest.mark.parametrize("text", QUIET)
def test_talk_about_services_never_hides_a_statement_beside_it(rules: Rules, text: str) -> None:
    for statement in ("I want to kill myself", "he hits me", "I've taken an overdose"):
        assert rules.check(f"{text}\n{statement}") is not None, statement
        assert rules.check(f"{statement}. {text}") is not None, statement


def test_a_match_says_what_matched_and_which_rule(rules: Rules) -> None:
    match = rules.check("Honestly?? I want to END my life.")
    assert match is not None
    assert (match.category, match.label) == ("suicide", "thoughts of suicide")
    assert match.phrase == "end my life"
    lines = RULES_PATH.read_text(encoding="utf-8").splitlines()
    assert lines[match.line - 1].strip() == f"- {match.rule}"


def test_the_most_urgent_category_wins_then_the_earliest_phrase(rules: Rules) -> None:
    match = rules.check("I want to die. I took too many pills")
    assert match is not None
    assert match.category == "emergency"
    match = rules.check("I'd be better off dead, I want to kill myself")
    assert match is not None
    assert match.phrase == "better off dead"


@pytest.mark.parametrize(
    "text",
    [
        "I'm going to kill myself",
        "I’m going to kill myself",
        "Im gonna kill myself",
        "i am going to kill my self",
        "I'M  GOING   TO\tKILL MYSELF!!!",
        "I'm going to kill myself 😭😭",
        "I'm going to 😭 kill myself",
        "I'm going to kill\u200b myself",
        "I'm going to kill mysel\u00adf",
        "Ｉ'm going to ｋｉｌｌ myself",
        "ok.\n\nI'm going to kill myself\n",
    ],
)
def test_spelling_spacing_quotes_and_emoji_do_not_hide_a_phrase(rules: Rules, text: str) -> None:
    match = rules.check(text)
    assert match is not None
    assert match.category == "suicide"


@pytest.mark.parametrize(
    ("typed", "tidied"),
    [
        ("I’m", "i am"),
        ("im", "i am"),
        ("I've", "i have"),
        ("can't", "can not"),
        ("cant cannot", "can not can not"),
        ("don’t", "do not"),
        ("dont", "do not"),
        ("won't", "will not"),
        ("he's been", "he has been"),
        ("he's", "he is"),
        ("mum's car", "mum s car"),
        ("gonna wanna anymore", "going to want to any more"),
        ("him, scant, imply", "him, scant, imply"),
    ],
)
def test_text_is_tidied_before_matching(typed: str, tidied: str) -> None:
    assert normalise(typed) == tidied


def test_quiet_for_nothing_and_for_a_long_ordinary_message(rules: Rules) -> None:
    assert rules.check("") is None
    assert rules.check("   \n ") is None
    ordinary = "The board agreed the plan and I asked about waiting times. " * 70
    assert len(ordinary) > 4000
    assert rules.check(ordinary) is None
    match = rules.check(ordinary + "I can't go on.")
    assert match is not None
    assert match.category == "not_coping"


# ------------------------------------------------------------------------ phrase syntax


@pytest.mark.parametrize(
    ("phrases", "text", "found"),
    [
        ("[I want to die]", "i want to die", "i want to die"),
        ("[I want to die]", "I want to die!", "i want to die"),
        ("[I want to die]", "I want to diet", None),
        ("[I want to die]", "I want to... die", "i want to... die"),
        ("[hurt/harm myself]", "I harm myself", "harm myself"),
        ("[I (really/so very) want it]", "I so very want it", "i so very want it"),
        ("[I (really/so very) want it]", "I want it", "i want it"),
        ("[hurt* myself]", "hurting myself", "hurting myself"),
        ("[hurt* myself]", "unhurt myself", None),
        ("[he ... hits me]", "he often really does hits me", "he often really does hits me"),
        ("[he ... hits me]", "he said that she often hits me", None),
        ("[I can't go on <end>]", "I can't go on. It's too much", "i can not go on"),
        ("[I can't go on <end>]", "I cant go on 😢", "i can not go on"),
        ("[I can't go on <end>]", "I can't go on Tuesday", None),
        ("[<people> hits me]", "my mum hits me", "my mum hits me"),
        ("[<people> hits me]", "she hits me", "she hits me"),
        ("[<people> hits me]", "it hits me", None),
        ("[kill myself]", "skill myself up", None),
    ],
)
def test_phrase_syntax(tmp_path: Path, phrases: str, text: str, found: str | None) -> None:
    match = rules_from(tmp_path, phrases).check(text)
    assert (match.phrase if match else None) == found


def test_excluded_wording_is_blanked_only_where_it_is(tmp_path: Path) -> None:
    rules = rules_from(tmp_path, "[suicid*]", exclude="[suicide prevention]")
    assert rules.check("the suicide prevention strategy") is None
    match = rules.check("the suicide prevention strategy, and I feel suicidal")
    assert match is not None
    assert match.phrase == "suicidal"


def test_regexes_see_the_tidied_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        r"""
        reviewed: 2026-11-27
        reviewed_by: Tester
        categories:
          test:
            label: Test
            regex: ['took\W+[1-9]\d+\W+tablets', 'i\W+am\W+done']
        """,
    )
    rules, problems = load_rules(path)
    assert problems == []
    assert rules.check("I took 30 tablets") is not None
    assert rules.check("I took 2 tablets") is None
    assert rules.check("I’m done") is not None


# ------------------------------------------------------------------------------ problems


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
