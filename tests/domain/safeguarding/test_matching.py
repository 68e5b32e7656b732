"""Matching: what alerts and what stays quiet in the shipped phrase file, which category and
phrase a match names, and wording about services that is blanked out only where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.safeguarding import RULES_PATH, Rules, load_rules, normalise
from tests.domain.safeguarding.rule_files import ALERTS, CATEGORIES, QUIET, rules_from, write


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


def test_quiet_for_nothing_and_for_a_long_ordinary_message(rules: Rules) -> None:
    assert rules.check("") is None
    assert rules.check("   \n ") is None
    ordinary = "The board agreed the plan and I asked about waiting times. " * 70
    assert len(ordinary) > 4000
    assert rules.check(ordinary) is None
    match = rules.check(ordinary + "I can't go on.")
    assert match is not None
    assert match.category == "not_coping"


def test_excluded_wording_is_blanked_only_where_it_is(tmp_path: Path) -> None:
    rules = rules_from(tmp_path, "[suicid*]", exclude="[suicide prevention]")
    assert rules.check("the suicide prevention strategy") is None
    match = rules.check("the suicide prevention strategy, and I feel suicidal")
    assert match is not None
    assert match.phrase == "suicidal"


def test_excluded_wording_stops_at_the_end_of_a_sentence(rules: Rules) -> None:
    for text in (
        "I want to commit suicide. Plans for the board are attached",
        "I've taken an overdose. Support is needed",
        "I am suicidal\nrates are up again",
    ):
        assert rules.check(text) is not None, text
    assert rules.check("Suicide, self-harm and overdose services: the plan") is None


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


def test_a_regex_is_found_however_it_opens(tmp_path: Path) -> None:
    """Regexes that open with a choice of words are only tried on messages with one of them
    (for speed); one whose opening words are optional, or that has another way to match,
    is tried on every message."""
    path = write(
        tmp_path,
        r"""
        reviewed: 2026-11-27
        reviewed_by: Tester
        categories:
          test:
            label: Test
            regex:
              - '(?:took|Swallowed)\W+[1-9]\d+\W+tablets'
              - '(?:had|got)?\W*[1-9]\d+\W+pills'
              - '(?:ate|had)\W+nothing|starving'
        """,
    )
    rules, problems = load_rules(path)
    assert problems == []
    for text in ("I took 30 tablets", "I SWALLOWED 12 TABLETS", "40 pills", "I am starving"):
        assert rules.check(text) is not None, text
    assert rules.check("I mistook 30 tablets for sweets") is None
