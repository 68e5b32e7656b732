"""Reading prompts/safeguarding.yaml and its translations (prompts/translations/*/, issue 19):
each list, category, phrase and regex checked with its file and line; what works still
loads, so one bad phrase never silences the rest.

A translation has the English categories (same names, labels and kinds: facilitators read
the labels) and its own lists; its phrases and excludes join the English category's, so the
English order of categories still decides which one a message sets off."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

import yaml

from bot.domain.safeguarding.matching import Category, Need, Rule, Rules
from bot.domain.safeguarding.phrases import (
    Part,
    PhraseError,
    compile_phrase,
    either,
    within_sentence,
)
from bot.library import yamlio
from bot.library.paths import PROMPTS_DIR, configured
from bot.library.problems import Problem

__all__ = ["RULES_FILE", "RULES_PATH", "default_rules", "load_rules"]

RULES_FILE = "safeguarding.yaml"
RULES_PATH = PROMPTS_DIR / RULES_FILE  # the shipped phrases
TRANSLATIONS = "translations"  # beside the English file: translations/<language>/<its name>

_TOP_KEYS = ("reviewed", "reviewed_by", "lists", "categories")
_CATEGORY_KEYS = ("label", "kind", "phrases", "regex", "exclude", "exclude_regex")
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A regex that opens with a choice of words, "(?:took|taken|swallowed)\W+...": it can only
# match where a word starts with one of them, so it is filed under them like a phrase.
_OPENING_WORDS = re.compile(r"\(\?:((?:[^\W_]+\|)*[^\W_]+)\)")


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(node: yaml.Node) -> str:
    """A scalar's text; "" for `~`, nothing, a list or a mapping."""
    scalar = isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null"
    return str(node.value).strip() if scalar else ""


def _opening_words(regex: str) -> tuple[Need, ...]:
    r"""What a regex needs: a word starting with one of its opening words, if it has them.

    A regex only matches from the start of a word, so the words of "(?:took|taken)\W+..."
    begin a word of the message. Without this, each regex was tried on every message: a
    search through up to 4096 characters for each (issue 19 added two). A regex whose
    opening words are optional ("(?:a|b)?"), or that offers another way ("(?:a|b)x|y"),
    needs nothing.
    """
    opening = _OPENING_WORDS.match(regex)
    if opening is None or regex[opening.end() : opening.end() + 1] in ("?", "*", "{"):
        return ()
    depth, rest = 0, re.sub(r"\\.|\[(?:\\.|[^\]])*\]", "", regex[opening.end() :])
    for char in rest:  # escapes and [classes] taken out: is there a | outside brackets?
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            return ()
    return ((frozenset(), tuple(opening[1].casefold().split("|"))),)


def _split(keys: frozenset[str]) -> Need:
    return frozenset(k for k in keys if k[-1] != "*"), tuple(k[:-1] for k in keys if k[-1] == "*")


class _Reader:
    """Reads the composed YAML, noting each problem with its line; what works still loads."""

    def __init__(self, path: Path, language: str = "en", english: Rules | None = None) -> None:
        self.path = path
        self.language = language
        self.english = english  # for a translation: the categories it must have
        self.problems: list[Problem] = []
        self.lists: dict[str, Part] = {}

    def problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, _line(node), message))

    def fields(self, node: yaml.MappingNode, keys: tuple[str, ...]) -> dict[str, yaml.Node]:
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if (key := _text(key_node)) not in keys:
                self.problem(key_node, f"unknown key {key!r}; use {', '.join(keys)}")
            elif key in fields:
                self.problem(key_node, f"{key} is given twice")
            fields.setdefault(key, value_node)
        return fields

    def text(self, fields: dict[str, yaml.Node], key: str, parent: yaml.Node) -> str:
        if (node := fields.get(key)) is None:
            self.problem(parent, f"{key} is missing")
        elif not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{key} must be text, not a list or mapping")
        elif not _text(node):
            self.problem(node, f"{key} is empty")
        return _text(node) if node is not None else ""

    def items(self, node: yaml.Node | None, key: str) -> list[tuple[str, yaml.Node]]:
        if node is not None and not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{key} must be a list, one '- item' a line")
            return []
        for item in node.value if node is not None else []:
            if not isinstance(item, yaml.ScalarNode):
                self.problem(item, f"{key}: each item must be text; put it in quotes")
            elif not _text(item):
                self.problem(item, f"{key} has an empty item")
        return [(_text(item), item) for item in (node.value if node else []) if _text(item)]

    def phrases(
        self, node: yaml.Node | None, key: str, in_list: bool
    ) -> Iterator[tuple[int, str, Part]]:
        for text, item in self.items(node, key):
            try:
                yield _line(item), text, compile_phrase(text, self.lists, in_list=in_list)
            except PhraseError as exc:
                self.problem(item, f"{key}: {text!r}: {exc}")

    def rules(self, fields: dict[str, yaml.Node], phrases: str, regexes: str) -> tuple[Rule, ...]:
        """A category's phrases and regexes, compiled. Excluded wording stops at the end of a
        sentence: "I've taken an overdose. Support is needed" is no "overdose support"."""
        bound = within_sentence if phrases == "exclude" else str
        found = [
            Rule(
                text,
                line,
                bound(rf"{part.regex}(?!\w)"),
                tuple(map(_split, part.needs)),
                bound(rf"{part.lead}(?!\w)") if part.lead else None,
                language=self.language,
            )
            for line, text, part in self.phrases(fields.get(phrases), phrases, in_list=False)
        ]
        for text, item in self.items(fields.get(regexes), regexes):
            try:
                if _CONTROL.search(text):
                    raise re.error("it holds a control character; write it in 'single quotes'")
                if re.compile(text, re.IGNORECASE).search(""):
                    raise re.error("it matches an empty message, so it would match every one")
                needs = _opening_words(text)
                found.append(
                    Rule(text, _line(item), text, needs, None, re.IGNORECASE, self.language)
                )
            except re.error as exc:
                self.problem(item, f"{regexes}: {text!r} is not a usable regex: {exc}")
        return tuple(found)

    def read(self, root: yaml.Node | None) -> Rules:
        if not isinstance(root, yaml.MappingNode):
            problem = "the file is empty" if root is None else "expected reviewed: and categories:"
            self.problems.append(Problem(self.path, 1 if root is None else _line(root), problem))
            return Rules()
        fields = self.fields(root, _TOP_KEYS)
        # A translation not yet signed off leaves these out; its header says so.
        signed = self.english is None or "reviewed" in fields or "reviewed_by" in fields
        reviewed, date = self.text(fields, "reviewed", root) if signed else "", None
        try:
            date = dt.date.fromisoformat(reviewed) if reviewed else None
        except ValueError:
            self.problem(fields["reviewed"], f"reviewed must be a date like 2026-11-27: {reviewed}")
        reviewed_by = self.text(fields, "reviewed_by", root) if signed else ""
        lists = fields.get("lists")
        if lists is not None and not isinstance(lists, yaml.MappingNode):
            self.problem(lists, "lists must be names, each with a list of words")
        for key_node, value_node in lists.value if isinstance(lists, yaml.MappingNode) else []:
            if not _NAME.match(name := _text(key_node)) or name in ("end", *self.lists):
                self.problem(key_node, f"{name!r} cannot name a list: repeated, or not a-z 0-9 _")
            elif parts := [part for _, _, part in self.phrases(value_node, f"<{name}>", True)]:
                self.lists[name] = either(parts)
        return Rules(self.categories(fields.get("categories"), root), date, reviewed_by)

    def categories(self, node: yaml.Node | None, root: yaml.Node) -> tuple[Category, ...]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node or root, "categories must be names, each with label: and phrases:")
            return ()
        found: dict[str, Category] = {}
        for key_node, value_node in node.value:
            if not _NAME.match(name := _text(key_node)) or name in found:
                self.problem(
                    key_node, f"{name!r} cannot name a category: repeated, or not a-z 0-9 _"
                )
            elif not isinstance(value_node, yaml.MappingNode):
                self.problem(value_node, f"category {name} must have label: and phrases:")
            else:
                fields = self.fields(value_node, _CATEGORY_KEYS)
                label = self.text(fields, "label", key_node) or name
                kind = self.text(fields, "kind", key_node) if "kind" in fields else name
                if kind and not _NAME.match(kind):
                    self.problem(fields["kind"], f"kind {kind!r} must be a-z 0-9 _")
                triggers = self.rules(fields, "phrases", "regex")
                if not triggers:
                    self.problem(key_node, f"category {name} has no phrases that work")
                excludes = self.rules(fields, "exclude", "exclude_regex")
                found[name] = Category(name, label, triggers, excludes, kind or name)
                self.as_in_english(found[name], key_node)
        if self.english is not None and (
            missing := [c.name for c in self.english.categories if c.name not in found]
        ):
            self.problem(node, f"the English categories {', '.join(missing)} are missing")
        return tuple(found.values())

    def as_in_english(self, category: Category, key_node: yaml.Node) -> None:
        """A translation's category is one of the English ones, with its label and kind."""
        if self.english is None:
            return
        english = {c.name: c for c in self.english.categories}
        if (same := english.get(category.name)) is None:
            names = ", ".join(english)
            self.problem(key_node, f"category {category.name} is not in English; use {names}")
        elif (category.label, category.kind) != (same.label, same.kind):
            self.problem(
                key_node,
                f"category {category.name} must have the English label {same.label!r} "
                f"and kind {same.kind!r}, not {category.label!r} and {category.kind!r}",
            )


def load_rules(path: Path | None = None) -> tuple[Rules, list[Problem]]:
    """The usable rules in a safeguarding file (default: the configured one) and in each of its
    translations (translations/*/ beside it), and every problem in them."""
    path = path or configured().prompts / RULES_FILE
    rules, problems = _load(path)
    for translated in sorted(path.parent.glob(f"{TRANSLATIONS}/*/{path.name}")):
        more, found = _load(translated, translated.parent.name, english=rules)
        rules, problems = _joined(rules, more), [*problems, *found]
    return rules, problems


def _joined(english: Rules, translated: Rules) -> Rules:
    """The English rules, each category with the translation's phrases and excludes after."""
    more = {category.name: category for category in translated.categories}
    return replace(
        english,
        categories=tuple(
            replace(c, triggers=c.triggers + t.triggers, excludes=c.excludes + t.excludes)
            if (t := more.get(c.name))
            else c
            for c in english.categories
        ),
    )


def _load(
    path: Path, language: str = "en", english: Rules | None = None
) -> tuple[Rules, list[Problem]]:
    """One file's usable rules and problems; a translation is checked against the English."""
    try:
        root = yamlio.compose(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Rules(), [Problem(path, 0, "file is missing")]
    except (OSError, UnicodeDecodeError) as exc:
        return Rules(), [Problem(path, 0, f"cannot read the file: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Rules(), [Problem(path, mark.line + 1 if mark else 0, f"not valid YAML: {exc}")]
    reader = _Reader(path, language, english)
    rules = reader.read(root)
    return rules, sorted(reader.problems, key=lambda problem: problem.line)


def default_rules(path: Path | None = None) -> Rules:
    """The rules in `path` (default: the configured file), read once; ValueError if broken."""
    return _checked_rules(path or configured().prompts / RULES_FILE)


@cache
def _checked_rules(path: Path) -> Rules:
    rules, problems = load_rules(path)
    if problems:
        raise ValueError("\n".join(["safeguarding rules have problems:", *map(str, problems)]))
    return rules
