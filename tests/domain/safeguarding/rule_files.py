"""The safeguarding phrase files the tests read: the shipped examples, and small rule files
written for one test."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.domain.safeguarding import Rules, load_rules

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "safeguarding"
CATEGORIES = ["emergency", "suicide", "self_harm", "abuse", "unsafe_at_home", "not_coping"]


def examples(name: str) -> list[str]:
    """The lines of a fixture file that are not blank or comments."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


ALERTS = [tuple(line.split(": ", 1)) for line in examples("alerts.txt")]
QUIET = examples("quiet.txt")
# The translations' examples (prompts/translations/<language>/safeguarding.yaml): each in
# tests/fixtures/safeguarding/<language>/, as (language, category, message) and
# (language, message).
LANGUAGES = ["pl", "ar"]
TRANSLATED_ALERTS = [
    (language, *line.split(": ", 1))
    for language in LANGUAGES
    for line in examples(f"{language}/alerts.txt")
]
TRANSLATED_QUIET = [
    (language, line) for language in LANGUAGES for line in examples(f"{language}/quiet.txt")
]


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
