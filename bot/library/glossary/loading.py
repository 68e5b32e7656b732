"""Reading content/glossary.yaml: each entry checked line by line, names kept unique across
entries, and see_also written as the terms it names."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from bot.library import yamlio
from bot.library.glossary.keys import compact_key, lookup_key
from bot.library.glossary.terms import Glossary, Term
from bot.library.problems import Problem

__all__ = ["MAX_WORDS", "load_glossary"]

MAX_WORDS = 30
_KEYS = ("term", "abbreviation", "aliases", "explanation", "see_also")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_FULL_STOP = re.compile(r"\.[\"'’”)\]]*$")


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
        root = yamlio.compose(path.read_text(encoding="utf-8"))
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
        key = compact_key(name)
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
        if compact_key(name):
            owners.setdefault(compact_key(name), (name, line, number))
    return names


def _clash(path: Path, name: str, line: int, owner: tuple[str, int, int]) -> Problem:
    other, other_line, _ = owner
    unique = "every term, abbreviation and alias must be unique"
    return Problem(path, line, f"{name!r} is the same as {other!r} (line {other_line}); {unique}")


def _resolve_see_also(drafts: list[_Draft], reader: _Reader) -> list[Term]:
    """Each entry with its see_also written as the terms they name; dead references dropped."""
    by_term = {lookup_key(draft.term.term): draft.term.term for draft in drafts}
    by_name = Glossary(draft.term for draft in drafts)
    terms = []
    for draft in drafts:
        targets: list[str] = []
        for name, line in draft.see_also:
            target = by_term.get(lookup_key(name))
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
