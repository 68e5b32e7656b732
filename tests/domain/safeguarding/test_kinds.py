"""Which signpost answers a message: each category of phrases maps to a kind of risk, so
abuse gets the domestic abuse signpost and suicide the suicide one (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.safeguarding import Rules
from tests.domain.safeguarding.rule_files import rules_from

KINDS = [
    ("abuse", "my husband hits me"),
    ("abuse", "my partner hurts me"),
    ("abuse", "he hit me"),
    ("abuse", "I'm scared of him"),
    ("abuse", "I don't feel safe with him"),
    ("abuse", "my ex is controlling me"),
    ("suicide", "I want to end my life"),
    ("suicide", "I'm going to kill myself"),
    ("suicide", "I've been self-harming again"),
    ("emergency", "I've taken an overdose"),
    ("emergency", "my mum has collapsed"),
    ("at_risk", "the kids aren't safe with him"),
    ("at_risk", "I have nowhere to sleep tonight"),
    ("at_risk", "I don't feel safe at home"),
    ("crisis", "I can't cope any more"),
    ("crisis", "I'm having a breakdown"),
]


@pytest.mark.parametrize(("kind", "text"), KINDS, ids=[text for _, text in KINDS])
def test_each_message_gets_the_signpost_of_its_kind(rules: Rules, kind: str, text: str) -> None:
    match = rules.check(text)
    assert match is not None, text
    assert match.kind == kind, (match.category, match.phrase)


def test_every_category_names_its_kind(rules: Rules) -> None:
    kinds = {category.name: category.kind for category in rules.categories}
    assert kinds == {
        "emergency": "emergency",
        "suicide": "suicide",
        "self_harm": "suicide",
        "abuse": "abuse",
        "unsafe_at_home": "at_risk",
        "not_coping": "crisis",
    }
    assert rules.kind_of("self_harm") == "suicide"
    assert rules.kind_of("gone_from_the_file") == "gone_from_the_file"


def test_fear_of_what_someone_thinks_is_not_abuse(rules: Rules) -> None:
    for text in (
        "I'm scared of my mum finding out I'm on this panel",
        "I'm afraid of her reaction",
    ):
        assert rules.check(text) is None, text


def test_a_category_without_a_kind_is_its_own_kind(tmp_path: Path) -> None:
    rules = rules_from(tmp_path, "[I am lost]")
    match = rules.check("I am lost")
    assert match is not None and match.kind == match.category == "test"
