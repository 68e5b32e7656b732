"""Matching a message against the loaded rules: the first category with a phrase wins, after
its `exclude` wording (talk about services) is blanked out."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from bot.domain.safeguarding.tidy import WORD_CHAR, tidy

__all__ = ["Category", "Match", "Need", "Rule", "Rules"]

_BEFORE = 100  # characters a match can start before its lead: twice the longest in the file
Need = tuple[frozenset[str], tuple[str, ...]]  # words, and stems: a match holds one of them


@dataclass(frozen=True)
class Match:
    """What set off an alert: the category, its label, the words matched and the rule."""

    category: str
    label: str
    phrase: str  # as tidied: "i am going to hurt myself"
    rule: str  # the phrase or regex as written in the file
    line: int
    kind: str = ""  # which signpost answers it (prompts/signposts.yaml); "" is the category
    language: str = "en"  # whose rule matched: "pl" is prompts/translations/pl/, and so on


@dataclass(frozen=True)
class Rule:
    """One phrase or regex from the file, with the words it cannot match without.

    Its regexes are compiled when first searched with: a message is only searched with the
    rules whose words it has, and compiling all ~550 took a third of a second of every
    start (issue 16). The file's own regexes are compiled once at loading, to check them.
    """

    text: str
    line: int
    source: str  # the regex
    needs: tuple[Need, ...] = ()
    lead_source: str | None = None  # searched for first; then the whole, just before
    flags: int = 0
    language: str = "en"  # the file it is in: "en", or a folder of prompts/translations/

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """The whole rule, compiled."""
        return re.compile(self.source, self.flags)

    @cached_property
    def lead(self) -> re.Pattern[str] | None:
        """The rule's most telling part, compiled (None: search with the whole)."""
        return None if self.lead_source is None else re.compile(self.lead_source, self.flags)


class _Index:
    """Which of some rules a message might match. Each rule is filed under the words (and
    word beginnings) of its rarest need, so a message looks its own few words up instead of
    testing every rule's needs in turn, which was most of the CPU of checking a typed
    answer (issue 16). The rules found still have all their needs checked."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        self.always: list[int] = []  # rules that need no particular word
        self.words: dict[str, list[int]] = {}
        self.stems: dict[str, list[int]] = {}
        for at, rule in enumerate(self.rules):
            if not rule.needs:
                self.always.append(at)
                continue
            words, stems = rule.needs[0]
            for word in words:
                self.words.setdefault(word, []).append(at)
            for stem in stems:
                self.stems.setdefault(stem, []).append(at)
        self.stem_lengths = sorted({len(stem) for stem in self.stems})

    def candidates(self, message: _Message) -> list[Rule]:
        """The rules, in order, whose rarest need the message holds."""
        found = set(self.always)
        for word in message.words:
            found.update(self.words.get(word, ()))
            for length in self.stem_lengths:
                if length > len(word):
                    break
                found.update(self.stems.get(word[:length], ()))
        return [self.rules[at] for at in sorted(found)]


@dataclass(frozen=True)
class Category:
    """One kind of concern: what to look for, and wording that only talks about services."""

    name: str
    label: str
    triggers: tuple[Rule, ...]
    excludes: tuple[Rule, ...]
    kind: str = ""  # which signpost answers it; "" means the category's own name

    @cached_property
    def trigger_index(self) -> _Index:
        """The triggers, filed by the words they need."""
        return _Index(self.triggers)

    @cached_property
    def exclude_index(self) -> _Index:
        """The excludes, filed by the words they need."""
        return _Index(self.excludes)


class _Message:
    """A tidied message and its words, to rule out rules that cannot match it."""

    def __init__(self, text: str) -> None:
        self.text, self.words = tidy(text)
        self._sorted = sorted(self.words)

    def _has_stem(self, stem: str) -> bool:
        at = bisect_left(self._sorted, stem)
        return at < len(self._sorted) and self._sorted[at].startswith(stem)

    def _has(self, need: Need) -> bool:
        return not self.words.isdisjoint(need[0]) or any(map(self._has_stem, need[1]))

    def matches(self, rules: Sequence[Rule], text: str) -> list[tuple[re.Match[str], Rule]]:
        """The first match of each rule that has one, in a text such as this message."""
        found = (
            next(_matches(r, text), None) if all(map(self._has, r.needs)) else None for r in rules
        )
        return [(match, rule) for match, rule in zip(found, rules, strict=True) if match]


def _matches(rule: Rule, text: str) -> Iterator[re.Match[str]]:
    """The rule's matches, each starting at the start of a word."""
    at = 0
    while (hit := (rule.lead or rule.pattern).search(text, at)) is not None:
        at = hit.start() + 1
        low = hit.start() if rule.lead is None else max(hit.start() - _BEFORE, 0)
        while (found := rule.pattern.search(text, low, hit.end())) is not None:
            low = found.start() + 1
            if found.start() and WORD_CHAR.match(text, found.start() - 1):
                continue  # "skill myself" is not "kill myself"
            # The search stopped where the lead did; check the match against the whole text.
            if (whole := rule.pattern.match(text, found.start())) is not None:
                yield whole
                at = max(at, whole.end())
                break


@dataclass(frozen=True)
class Rules:
    """The loaded categories, checked in file order: the first with a match wins. Each holds
    the English phrases and then those of every translation, so every message is checked in
    every language (people mix them; issue 19)."""

    categories: tuple[Category, ...] = ()
    reviewed: dt.date | None = None
    reviewed_by: str = ""

    def kind_of(self, category: str) -> str:
        """Which signpost answers a category (a category no longer in the file: its name)."""
        found = next((c for c in self.categories if c.name == category), None)
        return (found.kind or found.name) if found else category

    def check(self, text: str) -> Match | None:
        """The first category with a phrase in the text, or None when all is quiet."""
        message = _Message(text)
        for category in self.categories:
            found = message.matches(category.trigger_index.candidates(message), message.text)
            excludes = category.exclude_index.candidates(message) if found else []
            if found and (blanks := message.matches(excludes, message.text)):
                # Only now (it is rare) blank out excluded wording, which no phrase can match.
                masked = message.text
                for blank in (b for _, rule in blanks for b in _matches(rule, message.text)):
                    masked = masked[: blank.start()] + "_" * len(blank[0]) + masked[blank.end() :]
                found = message.matches([rule for _, rule in found], masked)
            if found:
                match, rule = min(found, key=lambda pair: pair[0].start())
                phrase = " ".join(match.group().split())
                kind = category.kind or category.name
                return Match(
                    category.name, category.label, phrase, rule.text, rule.line, kind, rule.language
                )
        return None
