"""Glossary terms and the loaded glossary: forgiving lookup and did-you-mean suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from bot.library.glossary.keys import compact_key, lookup_key, query_keys, variants

__all__ = ["Glossary", "Term"]

_CUTOFF = 0.66


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    term: str
    explanation: str
    abbreviation: str | None
    aliases: tuple[str, ...]
    see_also: tuple[str, ...]
    line: int
    language: str = "en"  # the language its explanation is in (issue 19)
    english: str = ""  # a translated term's English name, which buttons carry

    @property
    def key(self) -> str:
        """The name a button carries to look the term up in any language (the English)."""
        return self.english or self.term

    @property
    def title(self) -> str:
        """The term with its abbreviation: "Integrated care board (ICB)"."""
        return f"{self.term} ({self.abbreviation})" if self.abbreviation else self.term

    @property
    def names(self) -> tuple[str, ...]:
        """The term, its abbreviation and its aliases: everything it can be looked up by."""
        short = (self.abbreviation,) if self.abbreviation else ()
        return (self.term, *short, *self.aliases)


class Glossary:
    """The loaded terms, with forgiving lookup and did-you-mean suggestions."""

    def __init__(self, terms: Iterable[Term]) -> None:
        in_file_order = list(terms)
        self.terms: tuple[Term, ...] = tuple(
            sorted(in_file_order, key=lambda term: (term.term.casefold(), term.line))
        )
        self._exact: dict[str, Term] = {}
        self._compact: dict[str, Term] = {}
        self._names: list[tuple[str, str, Term]] = []
        for term in in_file_order:
            for name in term.names:
                key, compact = lookup_key(name), compact_key(name)
                # load_glossary reports clashes; here the first entry in the file wins.
                self._exact.setdefault(key, term)
                self._compact.setdefault(compact, term)
                self._names.append((key.replace("-", " "), compact, term))
        self._longest = max((len(compact) for _, compact, _ in self._names), default=0)

    def __len__(self) -> int:
        """How many terms there are."""
        return len(self.terms)

    def lookup(self, query: str) -> Term | None:
        """The term someone typed, forgiving case, punctuation, plurals and "what is"."""
        keys = query_keys(query)
        for key in keys:
            if key in self._exact:
                return self._exact[key]
        for key in keys:
            # A singular or plural is at most three letters away; a paragraph is no term.
            if len(compact_key(key)) > self._longest + 3:
                continue
            for variant in variants(key):
                if variant in self._compact:
                    return self._compact[variant]
        return None

    def suggest(self, query: str, limit: int = 3) -> list[Term]:
        """Near misses for a query, best first, never the term it names exactly."""
        keys = query_keys(query)
        exact = {id(self._exact[key]) for key in keys if key in self._exact}
        wanted_key = keys[-1].replace("-", " ")
        wanted = compact_key(wanted_key)
        if not wanted or limit < 1:
            return []
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        best: dict[int, tuple[float, Term]] = {}
        for key, compact, term in self._names:
            if id(term) in exact:
                continue
            score = _score(matcher, wanted_key, wanted, key, compact)
            if score >= _CUTOFF and score > best.get(id(term), (0.0,))[0]:
                best[id(term)] = (score, term)
        ranked = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].term.casefold()))
        return [term for _, term in ranked[:limit]]


def _score(
    matcher: difflib.SequenceMatcher[str], wanted_key: str, wanted: str, key: str, compact: str
) -> float:
    """How close a name is to the query: prefix and word matches, else difflib's ratio."""
    score = 0.0
    if len(wanted) >= 2 and compact.startswith(wanted):
        score = 0.75 + 0.25 * len(wanted) / len(compact)
    elif len(wanted) >= 3 and f" {wanted_key}" in f" {key}":
        score = 0.65 + 0.25 * len(wanted) / len(compact)
    matcher.set_seq1(compact)
    if matcher.real_quick_ratio() >= _CUTOFF and matcher.quick_ratio() >= _CUTOFF:
        score = max(score, matcher.ratio())
    return score
