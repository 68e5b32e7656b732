"""Signposts (prompts/signposts.yaml): where to get help now, one for each kind of risk that
a safeguarding phrase can show. Read and checked here: each signpost reviewed (by whom, when),
every number it lists present in its words, and its words at reading grade 8 or below."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.library import languages, yamlio
from bot.library.languages import translation_dirs
from bot.library.paths import configured
from bot.library.problems import Problem

__all__ = ["SIGNPOSTS_FILE", "Signpost", "Signposts", "default_signposts", "load_signposts"]

SIGNPOSTS_FILE = "signposts.yaml"
GRADE_LIMIT = 8.0
_FIELDS = ("title", "reviewed_by", "reviewed_on", "help", "meanwhile", "given", "numbers")
_TAGS = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"\d{2,}")


@dataclass(frozen=True)
class Signpost:
    """Where to get help now for one kind of risk, and how the staff alert names it."""

    kind: str
    title: str
    help: str  # Telegram HTML
    meanwhile: str
    given: str
    reviewed_by: str
    reviewed_on: dt.date | None
    numbers: tuple[str, ...] = ()  # every phone or text number its help gives


@dataclass(frozen=True)
class Signposts:
    """Every signpost, by kind."""

    by_kind: dict[str, Signpost] = field(default_factory=dict)
    # Each translation's words (help, meanwhile) by language, then kind (issue 19).
    translated: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)

    def for_kind(self, kind: str) -> Signpost:
        """The signpost for a kind of risk, in the language being written when it has been
        translated; an unknown kind (the content check reports it) gets the first, so a
        partner in difficulty is never left without one."""
        signpost = self.by_kind.get(kind) or next(iter(self.by_kind.values()))
        words = self.translated.get(languages.current(), {}).get(signpost.kind)
        if words is None:
            return signpost
        return replace(signpost, help=words[0], meanwhile=words[1])

    def missing(self, kinds: Iterable[str]) -> list[str]:
        """The kinds without a signpost."""
        return sorted(set(kinds) - set(self.by_kind))


def plain(markup: str) -> str:
    """What a signpost's HTML reads as."""
    return html.unescape(_TAGS.sub(" ", markup))


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of a text."""
    import textstat  # only `tandem content check` grades: loading its dictionary takes a second

    return float(textstat.flesch_kincaid_grade(text))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Reader:
    def __init__(self, path: Path, *, grades: bool) -> None:
        self.path, self.grades = path, grades
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def signpost(self, kind: str, value: Any, line: int) -> Signpost | None:
        if not isinstance(value, dict):
            self.problem(line, f"signpost {kind} must have {', '.join(_FIELDS)}")
            return None
        for key in sorted(set(value) - set(_FIELDS)):
            self.problem(line, f"{kind}: unknown key {key!r}; use {', '.join(_FIELDS)}")
        text = {k: str(value.get(k) or "").strip() for k in _FIELDS if k != "numbers"}
        for key, found in text.items():
            if not found:
                self.problem(line, f"{kind}: {key} is missing")
        reviewed_on = value.get("reviewed_on")
        if reviewed_on is not None and not isinstance(reviewed_on, dt.date):
            self.problem(line, f"{kind}: reviewed_on must be a date like 2026-12-07")
            reviewed_on = None
        self.numbers(kind, value.get("numbers"), text["help"], line)
        for key in ("help", "meanwhile") if self.grades else ():
            if text[key] and (level := grade(plain(text[key]))) > GRADE_LIMIT:
                self.problem(line, f"{kind}: {key} reads at grade {level:.1f}; keep it at most 8")
        return Signpost(
            kind,
            text["title"],
            text["help"],
            text["meanwhile"],
            text["given"],
            text["reviewed_by"],
            reviewed_on,
            tuple(map(str, value.get("numbers") or ())),
        )

    def numbers(self, kind: str, numbers: Any, help_text: str, line: int) -> None:
        if not isinstance(numbers, list) or not numbers:
            self.problem(line, f"{kind}: numbers must list the phone numbers in help")
            return
        for number in map(str, numbers):
            if not _NUMBER.search(number) or number not in plain(help_text):
                self.problem(line, f"{kind}: the number {number} is not in help")


def load_signposts(
    path: Path | None = None, *, grades: bool = True
) -> tuple[Signposts, list[Problem]]:
    """The signposts in a file (default: the configured one), and every problem in it;
    `grades=False` skips the reading grades (`tandem content check` reports them)."""
    path = path or configured().prompts / SIGNPOSTS_FILE
    try:
        root, data = yamlio.compose_and_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Signposts(), [Problem(path, 0, "file is missing")]
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return Signposts(), [Problem(path, 0, f"cannot read the file: {exc}")]
    reader = _Reader(path, grades=grades)
    entries = data.get("signposts") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not entries:
        return Signposts(), [Problem(path, 1, "expected signposts: with one entry per kind")]
    lines = _kind_lines(root)
    found = {}
    for kind, value in entries.items():
        if (signpost := reader.signpost(str(kind), value, lines.get(str(kind), 1))) is not None:
            found[str(kind)] = signpost
    translated, problems = _translations(path, found)
    problems += reader.problems
    return Signposts(found, translated), sorted(problems, key=lambda problem: problem.line)


def _translations(
    path: Path, english: dict[str, Signpost]
) -> tuple[dict[str, dict[str, tuple[str, str]]], list[Problem]]:
    """Each translation's help and meanwhile, checked: a kind the English has, both words
    given, and every number of the English's help in the translation's."""
    translated: dict[str, dict[str, tuple[str, str]]] = {}
    problems: list[Problem] = []
    for folder in translation_dirs(path.parent):
        own = folder / SIGNPOSTS_FILE
        if not own.is_file():
            continue
        try:
            data = yamlio.load(own.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            problems.append(Problem(own, 0, f"not valid YAML: {exc}"))
            continue
        entries = data.get("signposts") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            problems.append(Problem(own, 1, "expected signposts: with one entry per kind"))
            continue
        words: dict[str, tuple[str, str]] = {}
        for kind, value in entries.items():
            trouble = _translation_trouble(english.get(str(kind)), value)
            if trouble:
                problems.append(Problem(own, 1, f"{kind}: {trouble}"))
            else:
                words[str(kind)] = (str(value["help"]).strip(), str(value["meanwhile"]).strip())
        translated[folder.name] = words
    return translated, problems


def _translation_trouble(signpost: Signpost | None, value: Any) -> str:
    if signpost is None:
        return "no such kind in the English signposts"
    if not isinstance(value, dict) or not value.get("help") or not value.get("meanwhile"):
        return "needs help and meanwhile"
    missing = [number for number in signpost.numbers if number not in str(value["help"])]
    if missing:
        return f"help lacks the number(s) the English lists: {', '.join(missing)}"
    return ""


def _kind_lines(root: yaml.Node | None) -> dict[str, int]:
    """The line of each kind's entry, for problems."""
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key, value in root.value:
        if key.value == "signposts" and isinstance(value, yaml.MappingNode):
            return {str(k.value): _line(k) for k, _ in value.value}
    return {}


def default_signposts(path: Path | None = None) -> Signposts:
    """The signposts in `path` (default: the configured file), read once; ValueError if
    any has a problem. Reading grades are left to `tandem content check`, which CI runs:
    grading takes longer than all the rest of a start (issue 16)."""
    return _checked(path or configured().prompts / SIGNPOSTS_FILE)


@cache
def _checked(path: Path) -> Signposts:
    signposts, problems = load_signposts(path, grades=False)
    if problems or not signposts.by_kind:
        raise ValueError("\n".join(["signposts have problems:", *map(str, problems)]))
    return signposts
