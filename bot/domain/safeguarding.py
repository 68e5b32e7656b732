"""Safeguarding: spotting distress or danger in what partners write (prompts/safeguarding.yaml).

The phrases are data that a clinical safety officer reviews; this module tidies a message
(case, quotes, "I'm" and "im" as "i am", "can't" as "can not") and matches it. Each phrase is
one compiled pattern that is only tried when the message has the words it needs, and is then
searched for from its rarest word. A category's `exclude` wording ("suicide prevention
strategy") is blanked out before its phrases are looked for again, so talk about services
stays quiet while a personal statement in the same message still alerts.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.library.paths import PROMPTS_DIR, configured
from bot.library.problems import Problem

__all__ = ["RULES_PATH", "Category", "Match", "Rule", "Rules", "default_rules", "load_rules"]

RULES_FILE = "safeguarding.yaml"
RULES_PATH = PROMPTS_DIR / RULES_FILE  # the shipped phrases

# ------------------------------------------------------------------------ tidying text


def _table(text: str) -> dict[str, str]:
    """ "a:b,c:d" as {"a": "b", "c": "d"}; "a,b" as {"a": "", "b": ""}."""
    return {key: value for key, _, value in (pair.partition(":") for pair in text.split(","))}


_QUOTES = str.maketrans(dict.fromkeys("‘’‛ʼ`´′", "'") | dict.fromkeys("“”„", '"') | {"_": " "})
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_NOT = (("can't", "can not"), ("won't", "will not"), ("shan't", "shall not"), ("n't", " not"))
_APOSTROPHE = re.compile(r"'(m|ve|ll|d|re|s)\b")
_SUFFIX = _table("m: am,ve: have,ll: will,d: would,re: are,s: is")
_IS = _table("he,she,it,that,there,what,who,where,here,everything,nothing,life")
_NT = _table("do,does,did,is,are,was,were,has,have,had,could,would,should,must,need")
_BARE = _table(
    "cant:can not,cannot:can not,wont:will not,gonna:going to,wanna:want to,gotta:got to,"
    "anymore:any more,im:i am,ive:i have,hes:he is,shes:she is,thats:that is,theres:there is,"
    "whats:what is,youre:you are,theyre:they are,youve:you have,theyve:they have,weve:we have,"
    "youll:you will,theyll:they will"
)
_WORDS = re.compile(r"[^\W_]+")
_WORD_CHAR = re.compile(r"\w")


def _apostrophe(match: re.Match[str]) -> str:
    before = _WORDS.findall(match.string, max(match.start() - 12, 0), match.start())
    word, suffix = before[-1] if before else "", match.group(1)
    if (suffix == "m" and word != "i") or (suffix == "s" and word not in _IS):
        return " " + suffix  # "ma'm"; "mum's", which is not "mum is"
    been = suffix == "s" and match.string.startswith(" been", match.end())
    return " has" if been else _SUFFIX[suffix]


def _bare(match: re.Match[str]) -> str:
    word = match.group()
    if match.start() and _WORD_CHAR.match(match.string, match.start() - 1):
        return word  # inside a longer word: "him", "scant"
    if word.endswith("s") and match.string.startswith(" been", match.end()):
        return word[:-1] + " has"
    return _BARE.get(word) or word[:-2] + " not"


def _tidy(text: str) -> tuple[str, set[str]]:
    """The text as the rules see it, and its words."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold().translate(_QUOTES)
    if "'" in text:
        for short, long in _NOT:
            text = text.replace(short, long)
        text = _APOSTROPHE.sub(_apostrophe, text).replace("'", " ")
    words = set(_WORDS.findall(text))
    if bare := {w for w in words if w in _BARE or (w[:-2] in _NT and w.endswith("nt"))}:
        text = re.sub(rf"(?:{'|'.join(sorted(bare))})(?!\w)", _bare, text)
        words = set(_WORDS.findall(text))
    return text, words


def normalise(text: str) -> str:
    """Text as the rules see it: lower case, "I'm" as "i am", "can't" as "can not"."""
    return _tidy(text)[0]


# -------------------------------------------------------------------------- phrases

_SEP = r"\W+"  # between words: spaces, punctuation, emoji; never the "_" of blanked text
_GAP = r"(?:\W+[^\W_]+){0,3}"
_END = r"(?=[^\w.!?,;:\n]*(?:[.!?,;:\n]|\Z))"
_CHUNK = re.compile(r"\([^()]*\)|\.\.\.|(?:<[^<>\s]*>|[^\s()<>])+|\S")
_NOT_ALLOWED = re.compile(r"[\\|?+^$\[\]{}]")
_WORD_PART = re.compile(r"[^\W_]+\*?")
_LIST = re.compile(r"<\s*(\w+)\s*>\Z")
# Words too frequent to look for a phrase by (only speed depends on this list).
_COMMON = _table(
    "i,me,my,am,a,an,the,to,is,are,be,been,was,were,have,has,had,do,does,did,not,no,of,in,on,"
    "at,and,or,but,if,it,this,that,so,he,she,they,we,you,will,would,can,could,should,us,our,"
    "his,her,their,them,him,for,with,from,as,by,about,up,out,off,all,any,more,just,really,very,"
    "what,when,where,who,how,there,here,then,than,now,get,got,go,going,went,say,said,like,know,"
    "think,want,take,make,people,patients,service,services,staff,care,health,team,time,day,"
    "today,week,year,meeting,board,paper,report,plan,work,help,home,family,life,one,some,again"
)


class _Invalid(Exception):
    """A phrase that cannot be used, and why."""


@dataclass(frozen=True)
class _Part:
    regex: str
    anchors: frozenset[str] | None  # a match holds one of these words (or stem*); None: ?
    kind: str = "required"  # or "optional", "gap", "end"
    needs: tuple[frozenset[str], ...] = ()  # the anchors of each required part, rarest first
    lead: str | None = None  # the phrase from its rarest part on: quick to search for


def _rarity(words: frozenset[str]) -> tuple[bool, int, int]:
    """How well words rule a message out: none of them common, few of them, long ones."""
    return words.isdisjoint(_COMMON), -len(words), min(map(len, words))


def _words(text: str) -> _Part:
    if bad := _NOT_ALLOWED.search(text):
        raise _Invalid(f"{bad.group()!r} is not allowed in a phrase; write a regex for that")
    words = _WORD_PART.findall(normalise(text))
    if not words:
        raise _Invalid(f"{text.strip()!r} has no words" if text.strip() else "a choice is empty")
    if text.count("*") != sum(w.endswith("*") for w in words) or re.search(r"\*[^\W_]", text):
        raise _Invalid("'*' goes at the end of a word, as in hurt*")
    if any(len(word) < 4 for word in words if word.endswith("*")):
        raise _Invalid("'*' needs at least three letters before it, as in hit*")
    regexes = [re.escape(w[:-1]) + r"[^\W_]*" if w.endswith("*") else re.escape(w) for w in words]
    return _Part(_SEP.join(regexes), max((frozenset([w]) for w in words), key=_rarity))


def _either(parts: Sequence[_Part], kind: str = "required") -> _Part:
    """Any one of the parts; a match holds one of their anchors (None if one has none)."""
    regexes = list(dict.fromkeys(part.regex for part in parts))
    regex = regexes[0] if len(regexes) == 1 else f"(?:{'|'.join(regexes)})"
    known = [part.anchors for part in parts if part.anchors is not None]
    return _Part(regex, frozenset().union(*known) if len(known) == len(parts) else None, kind)


def _part(chunk: str, lists: dict[str, _Part], in_list: bool) -> _Part:
    if chunk in ("...", "<end>"):
        if in_list:
            raise _Invalid(f"{chunk} cannot be used in a list")
        return _Part("", None, "gap" if chunk == "..." else "end")
    if chunk in "()<>":
        raise _Invalid(f"{chunk!r} has no partner; brackets come in pairs, like (so/really)")
    optional = chunk.startswith("(") and chunk.endswith(")")
    parts = []
    for text in (chunk[1:-1] if optional else chunk).split("/"):
        if (named := _LIST.match(text.strip())) is None:
            parts.append(_words(text))
        elif named.group(1) not in lists:
            where = "at the end of a phrase" if named.group(1) == "end" else "above this line"
            raise _Invalid(f"no list called <{named.group(1)}> {where}")
        else:
            parts.append(lists[named.group(1)])
    return _either(parts, "optional" if optional else "required")


def _join(parts: Sequence[_Part]) -> str:
    """The parts as one regex; raises _Invalid when they are in an impossible order."""
    body, started = "", False
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part.kind == "gap":
            if not started or last or parts[index + 1].kind == "end":
                raise _Invalid("... goes between words, as in: he ... hits me")
            body += _GAP
        elif part.kind == "end":
            if not started or not last:
                raise _Invalid("<end> goes at the very end of a phrase")
            body += _END
        elif not started:
            body += f"(?:{part.regex}{_SEP})?" if part.kind == "optional" else part.regex
            started = part.kind != "optional"
        else:
            body += f"(?:{_SEP}{part.regex})?" if part.kind == "optional" else _SEP + part.regex
    if not started:
        raise _Invalid("a phrase needs at least one word outside brackets")
    return body


def _compile_phrase(text: str, lists: dict[str, _Part], *, in_list: bool = False) -> _Part:
    """A phrase as a regex with what it needs; raises _Invalid saying what is wrong."""
    parts = [_part(chunk, lists, in_list) for chunk in _CHUNK.findall(text)]
    known = [p.anchors for p in parts if p.kind == "required" and p.anchors is not None]
    needs = tuple(sorted(known, key=_rarity, reverse=True))
    best = needs[0] if needs else None
    at = next((n for n, p in enumerate(parts) if p.kind == "required" and p.anchors == best), 0)
    return _Part(_join(parts), best, needs=needs, lead=_join(parts[at:]) if best and at else None)


# ---------------------------------------------------------------------------- matching

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


@dataclass(frozen=True)
class Rule:
    """One phrase or regex from the file, compiled, with the words it cannot match without."""

    text: str
    line: int
    pattern: re.Pattern[str]
    needs: tuple[Need, ...] = ()
    lead: re.Pattern[str] | None = None  # searched for first; then the whole, just before


@dataclass(frozen=True)
class Category:
    """One kind of concern: what to look for, and wording that only talks about services."""

    name: str
    label: str
    triggers: tuple[Rule, ...]
    excludes: tuple[Rule, ...]


class _Message:
    """A tidied message and its words, to rule out rules that cannot match it."""

    def __init__(self, text: str) -> None:
        self.text, self.words = _tidy(text)
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
            if found.start() and _WORD_CHAR.match(text, found.start() - 1):
                continue  # "skill myself" is not "kill myself"
            # The search stopped where the lead did; check the match against the whole text.
            if (whole := rule.pattern.match(text, found.start())) is not None:
                yield whole
                at = max(at, whole.end())
                break


@dataclass(frozen=True)
class Rules:
    """The loaded categories, checked in file order: the first with a match wins."""

    categories: tuple[Category, ...] = ()
    reviewed: dt.date | None = None
    reviewed_by: str = ""

    def check(self, text: str) -> Match | None:
        """The first category with a phrase in the text, or None when all is quiet."""
        message = _Message(text)
        for category in self.categories:
            found = message.matches(category.triggers, message.text)
            if found and (blanks := message.matches(category.excludes, message.text)):
                # Only now (it is rare) blank out excluded wording, which no phrase can match.
                masked = message.text
                for blank in (b for _, rule in blanks for b in _matches(rule, message.text)):
                    masked = masked[: blank.start()] + "_" * len(blank[0]) + masked[blank.end() :]
                found = message.matches([rule for _, rule in found], masked)
            if found:
                match, rule = min(found, key=lambda pair: pair[0].start())
                phrase = " ".join(match.group().split())
                return Match(category.name, category.label, phrase, rule.text, rule.line)
        return None


# ---------------------------------------------------------------------------- loading

_TOP_KEYS = ("reviewed", "reviewed_by", "lists", "categories")
_CATEGORY_KEYS = ("label", "phrases", "regex", "exclude", "exclude_regex")
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(node: yaml.Node) -> str:
    """A scalar's text; "" for `~`, nothing, a list or a mapping."""
    scalar = isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null"
    return str(node.value).strip() if scalar else ""


def _split(keys: frozenset[str]) -> Need:
    return frozenset(k for k in keys if k[-1] != "*"), tuple(k[:-1] for k in keys if k[-1] == "*")


class _Reader:
    """Reads the composed YAML, noting each problem with its line; what works still loads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.lists: dict[str, _Part] = {}

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
    ) -> Iterator[tuple[int, str, _Part]]:
        for text, item in self.items(node, key):
            try:
                yield _line(item), text, _compile_phrase(text, self.lists, in_list=in_list)
            except _Invalid as exc:
                self.problem(item, f"{key}: {text!r}: {exc}")

    def rules(self, fields: dict[str, yaml.Node], phrases: str, regexes: str) -> tuple[Rule, ...]:
        """A category's phrases and regexes, compiled."""
        found = [
            Rule(
                text, line, re.compile(rf"{part.regex}(?!\w)"), tuple(map(_split, part.needs)), lead
            )
            for line, text, part in self.phrases(fields.get(phrases), phrases, in_list=False)
            for lead in [re.compile(rf"{part.lead}(?!\w)") if part.lead else None]
        ]
        for text, item in self.items(fields.get(regexes), regexes):
            try:
                if _CONTROL.search(text):
                    raise re.error("it holds a control character; write it in 'single quotes'")
                if (pattern := re.compile(text, re.IGNORECASE)).search(""):
                    raise re.error("it matches an empty message, so it would match every one")
                found.append(Rule(text, _line(item), pattern))
            except re.error as exc:
                self.problem(item, f"{regexes}: {text!r} is not a usable regex: {exc}")
        return tuple(found)

    def read(self, root: yaml.Node | None) -> Rules:
        if not isinstance(root, yaml.MappingNode):
            problem = "the file is empty" if root is None else "expected reviewed: and categories:"
            self.problems.append(Problem(self.path, 1 if root is None else _line(root), problem))
            return Rules()
        fields = self.fields(root, _TOP_KEYS)
        reviewed, date = self.text(fields, "reviewed", root), None
        try:
            date = dt.date.fromisoformat(reviewed) if reviewed else None
        except ValueError:
            self.problem(fields["reviewed"], f"reviewed must be a date like 2026-11-27: {reviewed}")
        reviewed_by = self.text(fields, "reviewed_by", root)
        lists = fields.get("lists")
        if lists is not None and not isinstance(lists, yaml.MappingNode):
            self.problem(lists, "lists must be names, each with a list of words")
        for key_node, value_node in lists.value if isinstance(lists, yaml.MappingNode) else []:
            if not _NAME.match(name := _text(key_node)) or name in ("end", *self.lists):
                self.problem(key_node, f"{name!r} cannot name a list: repeated, or not a-z 0-9 _")
            elif parts := [part for _, _, part in self.phrases(value_node, f"<{name}>", True)]:
                self.lists[name] = _either(parts)
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
                triggers = self.rules(fields, "phrases", "regex")
                if not triggers:
                    self.problem(key_node, f"category {name} has no phrases that work")
                excludes = self.rules(fields, "exclude", "exclude_regex")
                found[name] = Category(name, label, triggers, excludes)
        return tuple(found.values())


def load_rules(path: Path | None = None) -> tuple[Rules, list[Problem]]:
    """The usable rules in a safeguarding file (default: the configured one), and every problem."""
    path = path or configured().prompts / RULES_FILE
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except FileNotFoundError:
        return Rules(), [Problem(path, 0, "file is missing")]
    except (OSError, UnicodeDecodeError) as exc:
        return Rules(), [Problem(path, 0, f"cannot read the file: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Rules(), [Problem(path, mark.line + 1 if mark else 0, f"not valid YAML: {exc}")]
    reader = _Reader(path)
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
