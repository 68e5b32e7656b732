"""The jargon buster: content/glossary.yaml, checked line by line, looked up the way people type.

Every term, abbreviation and alias is indexed by a normalised key (case, punctuation, spacing
and dotted abbreviations folded away), so a lookup is a few dictionary probes however many
terms there are. Names may not collide under that key, so a lookup never has to guess.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from bot.library.problems import Problem

__all__ = ["MAX_WORDS", "Glossary", "Term", "load_glossary"]

MAX_WORDS = 30
_KEYS = ("term", "abbreviation", "aliases", "explanation", "see_also")
_CUTOFF = 0.66

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"'}
)
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_NOT_WORD = re.compile(r"[\W_]+")
_DOTTED = re.compile(r"(?<![\w.])((?:[^\W\d_]\.)+[^\W\d_])\.?(?!\w)")
_QUESTION = re.compile(r"^(?:what\s*(?:is|'s|s|are|'re)\s+)?(?:(?:the|a|an)\s+)?")
_MEANING = re.compile(r"^what\s+(?:does|do)\s+(.+?)\s+(?:mean|stand\s+for)$")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_FULL_STOP = re.compile(r"\.[\"'’”)\]]*$")


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    term: str
    explanation: str
    abbreviation: str | None
    aliases: tuple[str, ...]
    see_also: tuple[str, ...]
    line: int

    @property
    def title(self) -> str:
        """The term with its abbreviation: "Integrated care board (ICB)"."""
        return f"{self.term} ({self.abbreviation})" if self.abbreviation else self.term

    @property
    def names(self) -> tuple[str, ...]:
        """The term, its abbreviation and its aliases: everything it can be looked up by."""
        short = (self.abbreviation,) if self.abbreviation else ()
        return (self.term, *short, *self.aliases)


def _key(text: str) -> str:
    """Case, quotes, spacing, surrounding punctuation and "I.C.B." dots folded away."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _DOTTED.sub(lambda match: match.group(1).replace(".", ""), text)
    return _EDGES.sub("", " ".join(text.split()))


def _compact(text: str) -> str:
    """Letters and digits only, so "co-design", "co design" and "codesign" meet."""
    return _NOT_WORD.sub("", _key(text))


def _query_keys(query: str) -> list[str]:
    """The typed key, then the same without "what is the" and the like."""
    key = _key(query)
    asked = _MEANING.match(key)
    bare = _EDGES.sub("", _QUESTION.sub("", asked.group(1) if asked else key, count=1))
    return [key, bare] if bare and bare != key else [key]


def _word_forms(word: str) -> list[str]:
    """Singulars, then plurals, of one typed word: "bodies" -> "body", "pcn" -> "pcns"."""
    forms = []
    if word.endswith("'s"):
        forms.append(word[:-2])
    if len(word) > 3 and word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith(("ses", "xes", "zes", "ches", "shes")):
        forms.append(word[:-2])
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        forms.append(word[:-1] + "ies")
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(word + "es")
    forms.append(word + "s")
    return forms


def _variants(key: str) -> Iterator[str]:
    """Compact keys to try: as typed, then with one word made singular or plural."""
    yield _compact(key)
    words = key.split(" ")
    for position in reversed(range(len(words))):
        for form in _word_forms(words[position]):
            yield _compact(" ".join([*words[:position], form, *words[position + 1 :]]))


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
                key, compact = _key(name), _compact(name)
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
        keys = _query_keys(query)
        for key in keys:
            if key in self._exact:
                return self._exact[key]
        for key in keys:
            # A singular or plural is at most three letters away; a paragraph is no term.
            if len(_compact(key)) > self._longest + 3:
                continue
            for variant in _variants(key):
                if variant in self._compact:
                    return self._compact[variant]
        return None

    def suggest(self, query: str, limit: int = 3) -> list[Term]:
        """Near misses for a query, best first, never the term it names exactly."""
        keys = _query_keys(query)
        exact = {id(self._exact[key]) for key in keys if key in self._exact}
        wanted_key = keys[-1].replace("-", " ")
        wanted = _compact(wanted_key)
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


# --------------------------------------------------------------------------------- loading


@dataclass
class _Draft:
    """An entry read from the file, before names are checked across entries."""

    term: Term
    names: list[tuple[str, int]]
    see_also: list[tuple[str, int]]


class _Reader:
    """Reads entries from the composed YAML, noting each problem with its line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, message: str) -> None:
        """Note a problem at the node's line."""
        self.problems.append(Problem(self.path, _line(node), message))

    def entries(self, root: yaml.Node | None) -> list[_Draft]:
        """Every entry that has a term and an explanation."""
        if root is None:
            self.problems.append(Problem(self.path, 1, "the glossary is empty"))
            return []
        if not isinstance(root, yaml.SequenceNode):
            self.problem(root, "expected a list of entries, each starting with '- term:'")
            return []
        drafts = (self.entry(node) for node in root.value)
        return [draft for draft in drafts if draft is not None]

    def entry(self, node: yaml.Node) -> _Draft | None:
        """One entry, or None when it has no usable term or explanation."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "each entry must be a mapping with 'term:' and 'explanation:'")
            return None
        fields = self.fields(node)
        term = self.text(node, fields, "term", required=True)
        explanation = self.text(node, fields, "explanation", required=True)
        abbreviation = self.text(node, fields, "abbreviation")
        aliases = self.texts(fields, "aliases")
        see_also = self.texts(fields, "see_also")
        if explanation is not None:
            self.check_explanation(fields["explanation"], explanation)
        if term is None or explanation is None:
            return None
        alias_names = tuple(name for name, _ in aliases)
        entry = Term(term, explanation, abbreviation, alias_names, (), _line(node))
        names = [(term, _line(fields["term"]))]
        if abbreviation is not None:
            names.append((abbreviation, _line(fields["abbreviation"])))
        return _Draft(entry, names + aliases, see_also)

    def fields(self, node: yaml.MappingNode) -> dict[str, yaml.Node]:
        """The entry's values by key; unknown and repeated keys are problems."""
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if key not in _KEYS:
                self.problem(key_node, f"unknown key {key!r}; use {', '.join(_KEYS)}")
            elif key in fields:
                self.problem(key_node, f"{key} is given twice in this entry")
            else:
                fields[key] = value_node
        return fields

    def text(
        self, entry: yaml.Node, fields: dict[str, yaml.Node], key: str, *, required: bool = False
    ) -> str | None:
        """A text value, or None when it is missing, empty or not text."""
        node = fields.get(key)
        if node is None:
            if required:
                self.problem(entry, f"{key} is missing")
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{key} must be text, not a {_kind(node)}")
            return None
        value = _scalar(node)
        if not value:
            self.problem(
                node, f"{key} is empty" + ("" if required else "; fill it in or remove it")
            )
        return value or None

    def texts(self, fields: dict[str, yaml.Node], key: str) -> list[tuple[str, int]]:
        """A list of texts, each with its line; anything else in it is a problem."""
        node = fields.get(key)
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{key} must be a list in square brackets, like [a, b]")
            return []
        found = []
        for item in node.value:
            value = _scalar(item) if isinstance(item, yaml.ScalarNode) else None
            if value is None:
                self.problem(item, f"each item in {key} must be text, not a {_kind(item)}")
            elif not value:
                self.problem(item, f"{key} has an empty item")
            else:
                found.append((value, _line(item)))
        return found

    def check_explanation(self, node: yaml.Node, explanation: str) -> None:
        """At most MAX_WORDS words, ending with a full stop."""
        words = len(_WORD.findall(explanation))
        if words > MAX_WORDS:
            self.problem(node, f"explanation has {words} words; keep it to {MAX_WORDS}")
        if not _FULL_STOP.search(explanation):
            self.problem(node, "explanation must end with a full stop")


def _scalar(node: yaml.ScalarNode) -> str:
    """The text as written (so "NO" stays "NO"); an empty value or `~` is ""."""
    if node.tag == "tag:yaml.org,2002:null":
        return ""
    return " ".join(str(node.value).split())


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return "mapping" if isinstance(node, yaml.MappingNode) else "value"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def load_glossary(path: Path) -> tuple[Glossary, list[Problem]]:
    """The usable entries of a glossary file, and every problem found, with its line."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except FileNotFoundError:
        return Glossary(()), [Problem(path, 0, "file is missing")]
    except (OSError, UnicodeDecodeError) as exc:
        return Glossary(()), [Problem(path, 0, f"cannot read the file: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        return Glossary(()), [Problem(path, line, f"not valid YAML: {exc}")]
    reader = _Reader(path)
    drafts = _unique(reader.entries(root), reader)
    terms = _resolve_see_also(drafts, reader)
    return Glossary(terms), sorted(reader.problems, key=lambda problem: problem.line)


def _unique(drafts: list[_Draft], reader: _Reader) -> list[_Draft]:
    """Drop names that clash with an earlier entry's; an entry whose term clashes goes."""
    owners: dict[str, tuple[str, int, int]] = {}
    kept = []
    for number, draft in enumerate(drafts):
        names = _claim(draft, number, owners, reader)
        if names is None:
            continue
        term = draft.term
        aliases = tuple(name for name in term.aliases if name in names)
        abbreviation = term.abbreviation if term.abbreviation in names else None
        draft.term = replace(term, abbreviation=abbreviation, aliases=aliases)
        kept.append(draft)
    return kept


def _claim(
    draft: _Draft, number: int, owners: dict[str, tuple[str, int, int]], reader: _Reader
) -> list[str] | None:
    """The entry's names that no earlier entry has, or None when its term is taken."""
    names = []
    for position, (name, line) in enumerate(draft.names):
        key = _compact(name)
        owner = owners.get(key)
        if key and (owner is None or owner[2] == number):
            names.append(name)
            continue
        reader.problems.append(
            _clash(reader.path, name, line, owner)
            if owner is not None
            else Problem(reader.path, line, f"{name!r} has no letters or digits")
        )
        if position == 0:
            return None
    for name, line in draft.names:
        if _compact(name):
            owners.setdefault(_compact(name), (name, line, number))
    return names


def _clash(path: Path, name: str, line: int, owner: tuple[str, int, int]) -> Problem:
    other, other_line, _ = owner
    unique = "every term, abbreviation and alias must be unique"
    return Problem(path, line, f"{name!r} is the same as {other!r} (line {other_line}); {unique}")


def _resolve_see_also(drafts: list[_Draft], reader: _Reader) -> list[Term]:
    """Each entry with its see_also written as the terms they name; dead references dropped."""
    by_term = {_key(draft.term.term): draft.term.term for draft in drafts}
    by_name = Glossary(draft.term for draft in drafts)
    terms = []
    for draft in drafts:
        targets: list[str] = []
        for name, line in draft.see_also:
            target = by_term.get(_key(name))
            if target is None:
                found = by_name.lookup(name)
                hint = f"; write the term, {found.term!r}" if found else ""
                reader.problems.append(
                    Problem(reader.path, line, f"see_also {name!r} names no term{hint}")
                )
                target = found.term if found else None
            if target is not None and target != draft.term.term and target not in targets:
                targets.append(target)
        terms.append(replace(draft.term, see_also=tuple(targets)))
    return terms
