"""Every partner-facing text, found with its file and line, and its reading grade.

Each text of ten words or more is graded on its own (Flesch-Kincaid grade level) as the reader
sees it: message templates are rendered with realistic sample values (a first name, a meeting
title, a date), tags are stripped, and each line counts as a sentence (on a phone a line
without a full stop still reads as one). A template with `{% if %}` branches is rendered twice,
with its optional values present and absent, and graded by the harder of the two.

A text may be harder than the limit only with a reason written beside it: a YAML comment
`# grade: <reason>` on the text's key line (or on a comment line just above it), or, for a
whole briefing, the front-matter field `reading_grade: "<reason>"` (content/README.md).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import textstat
import yaml
from jinja2 import TemplateError, Undefined, nodes
from jinja2.sandbox import SandboxedEnvironment

from bot.library.briefings import load_briefings
from bot.library.messages import MESSAGES_FILE, finish, make_environment
from bot.library.samples import SAMPLES

MIN_WORDS = 10  # shorter texts (buttons, labels, one-line answers) are not graded
_TAGS = re.compile(r"<[^>]+>")
_MARKER = re.compile(r"(?:^|\s)#\s*grade:(.*)$")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when it is built
_END = re.compile(r"[.!?:;…]\W*$")

# prompts/messages.yaml: sections only facilitators and coordinators read (their tools for
# running a cohort: invites, board meetings, broadcasts, reviewing reflections, the dashboard).
# Everything else in the file counts as partner-facing.
STAFF_SECTIONS = frozenset(
    {
        "invite",
        "dashboard",
        "questions",
        "review",
        "broadcast",
        "broadcasts",
        "newmeeting",
        "correction",
        "meeting_move",
        "agenda_staff",
    }
)
# Staff-only keys inside otherwise partner-facing sections (a key and everything under it).
STAFF_KEYS = frozenset(
    {
        "menu.invite",
        "menu.meetings_staff",
        "menu.newmeeting",
        "menu.questions",
        "menu.review",
        "menu.broadcast",
        "menu.broadcasts",
        "menu.pairs",
        "menu.dashboard",
        "start.facilitator",
        "start.coordinator",
        "help.facilitator",
        "help.coordinator",
        "onboarding.staff",
        "notify.question",
        "notify.contact",
        "notify.partner_joined",
        "notify.partner_left",
        "notify.partner_rejoined",
        "notify.question_waiting",
        "notify.pair_problem",
        "notify.safeguarding",
        "notify.safeguarding_private",
        "notify.safeguarding_unacknowledged",
        "errors.invite.needs_cohort",
        "errors.invite.bad_uses",
        "errors.invite.bad_expiry",
        "errors.invite.not_found",
        "errors.invite.gone",
        "errors.duration",
        "errors.when",
        "errors.concern",
        "errors.cohort",
        "errors.meeting",
        "errors.timetable",
        "errors.broadcast",
        "errors.review",
        "errors.dashboard",
        "errors.outcomes",
        "errors.pairs.already_paired",
        "errors.pairs.not_found",
        "errors.pairs.not_in_cohort",
        "errors.pairs.same_person",
        "errors.questions",
        "errors.agenda_staff",
        "meetings.none_staff",
        "meetings.footer",
        "meetings.who",
        "meetings.move_prompt",
        "meetings.moved",
        "meetings.confirm_cancel",
        "meetings.cancelled",
        "meetings.kept",
        "pairs.overview",
        "pairs.pick_first",
        "pairs.pick_second",
        "pairs.too_few",
        "pairs.made",
        "pairs.confirm_unpair",
        "pairs.unpaired",
        "pairs.none_yet",
        "safeguarding.acknowledged",
        "safeguarding.contacted",
    }
)
# Safeguarding signposts kept in messages.yaml: graded with prompts/safeguarding.yaml.
SAFEGUARDING_KEYS = frozenset({"safeguarding.signpost"})
# prompts/safeguarding.yaml: the keys that hold phrases to match, not words to read.
_NOT_READ = frozenset({"lists", "phrases", "exclude", "regex", "reviewed", "reviewed_by", "id"})


@dataclass(frozen=True)
class Text:
    """One partner-facing text as the reader sees it, with where it is written."""

    path: Path
    line: int
    key: str
    area: str  # messages, sets, timetable, glossary, briefings or safeguarding
    plain: str
    reason: str | None = None  # the written reason for an exception ("" = marker, no reason)

    @property
    def words(self) -> int:
        """How many words the reader sees."""
        return int(textstat.lexicon_count(self.plain))


@dataclass(frozen=True)
class TextGrade:
    """A text and its Flesch-Kincaid grade."""

    text: Text
    grade: float


def grade_of(plain: str) -> float:
    """The Flesch-Kincaid grade of a plain text, each line read as a sentence.

    A line that runs on in lower case on the next line is one sentence wrapped, not two.
    """
    lines = [line.strip(" \t") for line in plain.splitlines()]
    words: list[str] = []
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        text = line.strip("•-–— \t")
        if not text:
            continue
        runs_on = following[:1].islower()
        words.append(text if runs_on or _END.search(text) else f"{text}.")
    return float(textstat.flesch_kincaid_grade(" ".join(words)))


def plain_text(markup: str) -> str:
    """What a reader sees of Telegram HTML: tags gone, entities decoded."""
    return html.unescape(_TAGS.sub("", markup))


def grade_texts(texts: list[Text]) -> list[TextGrade]:
    """The grade of every text of MIN_WORDS words or more."""
    return [TextGrade(text, grade_of(text.plain)) for text in texts if text.words >= MIN_WORDS]


def partner_texts(content_dir: Path, prompts_dir: Path) -> list[Text]:
    """Every partner-facing text in prompts/ and content/, with its file and line."""
    texts = list(message_texts(prompts_dir / MESSAGES_FILE))
    for path in sorted((prompts_dir / "sets").glob("*.yaml")):
        texts += yaml_texts(path, "sets", render=True)
    texts += yaml_texts(prompts_dir / "timetable.yaml", "timetable")
    texts += yaml_texts(prompts_dir / "safeguarding.yaml", "safeguarding")
    texts += glossary_texts(content_dir / "glossary.yaml")
    texts += briefing_texts(content_dir / "briefings")
    return texts


def _compose(path: Path) -> tuple[yaml.Node | None, list[str]]:
    try:
        source = path.read_text(encoding="utf-8")
        return yaml.compose(source, Loader=_LOADER), source.splitlines()
    except (OSError, yaml.YAMLError):
        return None, []  # a missing or broken file is reported by its loader


def reason_at(lines: list[str], line: int) -> str | None:
    """The `# grade: <reason>` written on a key's line (1-based) or the comment line above."""
    candidates = [lines[line - 1]] if 0 < line <= len(lines) else []
    if 1 < line <= len(lines) + 1 and lines[line - 2].lstrip().startswith("#"):
        candidates.append(lines[line - 2])
    for candidate in candidates:
        match = _MARKER.search(candidate)
        if match:
            return match.group(1).strip()
    return None


def _scalars(node: yaml.Node | None, key: str = "") -> Iterator[tuple[str, yaml.Node, str]]:
    """(dotted key, key node, text) of every string leaf under `node`."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            name = f"{key}.{key_node.value}" if key else str(key_node.value)
            if isinstance(value, yaml.ScalarNode):
                if value.tag.endswith(":str"):
                    yield name, key_node, str(value.value)
            else:
                yield from _scalars(value, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            name = f"{key}.{index}" if key else str(index)
            if isinstance(item, yaml.ScalarNode):
                if item.tag.endswith(":str"):
                    yield name, item, str(item.value)
            else:
                yield from _scalars(item, name)


def _staff_only(key: str) -> bool:
    parts = key.split(".")
    prefixes = {".".join(parts[:n]) for n in range(1, len(parts) + 1)}
    return parts[0] in STAFF_SECTIONS or bool(prefixes & STAFF_KEYS)


def message_texts(path: Path) -> Iterator[Text]:
    """Partner-facing templates in messages.yaml, rendered with sample values."""
    root, lines = _compose(path)
    for key, key_node, source in _scalars(root):
        if _staff_only(key):
            continue
        line = key_node.start_mark.line + 1
        area = "safeguarding" if key in SAFEGUARDING_KEYS else "messages"
        for plain in renderings(source):
            yield Text(path, line, key, area, plain, reason_at(lines, line))


def yaml_texts(path: Path, area: str, render: bool = False) -> Iterator[Text]:
    """Every text in a YAML file (prompt sets are rendered as templates)."""
    root, lines = _compose(path)
    for key, key_node, source in _scalars(root):
        if set(key.split(".")) & _NOT_READ:
            continue
        line = key_node.start_mark.line + 1
        for plain in renderings(source) if render else [plain_text(source)]:
            yield Text(path, line, key, area, plain, reason_at(lines, line))


def glossary_texts(path: Path) -> Iterator[Text]:
    """Each glossary entry's explanation (the answer /explain gives)."""
    root, lines = _compose(path)
    for key, key_node, source in _scalars(root):
        if key.endswith(".explanation"):
            line = key_node.start_mark.line + 1
            term = key.split(".")[0]
            entry = root.value[int(term)] if isinstance(root, yaml.SequenceNode) else None
            name = _term_of(entry) or term
            reason = reason_at(lines, line)
            if reason is None and entry is not None:
                reason = reason_at(lines, entry.start_mark.line + 1)
            yield Text(path, line, f"glossary: {name}", "glossary", source, reason)


def _term_of(entry: yaml.Node | None) -> str | None:
    if isinstance(entry, yaml.MappingNode):
        for key_node, value in entry.value:
            if key_node.value == "term" and isinstance(value, yaml.ScalarNode):
                return str(value.value)
    return None


def briefing_texts(directory: Path) -> Iterator[Text]:
    """Each briefing's pages, summary and "what's changing" note."""
    briefings, _ = load_briefings(directory)  # problems are reported by the library check
    for briefing in sorted(briefings.values(), key=lambda b: b.path):
        path = briefing.path
        lines = path.read_text(encoding="utf-8").splitlines()
        front = {key: reason_at(lines, n + 1) for n, key in _front_lines(lines)}
        whole = briefing.meta.reading_grade
        for field in ("summary", "changing"):
            value = getattr(briefing.meta, field)
            line = next((n + 1 for n, key in _front_lines(lines) if key == field), 1)
            if value:
                reason = whole if whole is not None else front.get(field)
                yield Text(path, line, f"{briefing.id} {field}", "briefings", value, reason)
        for number, page in enumerate(briefing.pages, start=1):
            plain = plain_text(page.html)
            yield Text(path, page.line, f"{briefing.id} page {number}", "briefings", plain, whole)


def _front_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(0-based line, key) of each top-level key in a briefing's front matter."""
    for number, line in enumerate(lines[1:], start=1):
        if line.startswith("---"):
            return
        match = re.match(r"([a-z_]+):", line)
        if match:
            yield number, match.group(1)


class _Sample(Undefined):
    """A value the samples lack: reads as a plain word, so new templates still grade."""

    def __str__(self) -> str:
        return "this"


@cache
def _environment() -> SandboxedEnvironment:
    environment = make_environment()
    environment.undefined = _Sample
    return environment


def renderings(source: str) -> list[str]:
    """The template as read: optional values present, and (if it has any) absent."""
    environment = _environment()
    try:
        template = environment.from_string(source)
        optional = {
            name.name
            for branch in environment.parse(source).find_all(nodes.If)
            for name in branch.test.find_all(nodes.Name)
        }
        full: dict[str, Any] = dict(SAMPLES)
        found = [finish(template.render(**full))]
        if optional:
            found.append(
                finish(
                    template.render(**full | {name: _empty(full.get(name)) for name in optional})
                )
            )
    except (TemplateError, TypeError, ValueError):  # graded as written, placeholders as a name
        found = [re.sub(r"{[{%#].*?[%}#]}", " Sam ", source)]
    return [plain_text(text).strip() for text in found]


def _empty(value: object) -> object:
    if isinstance(value, list | tuple):
        return []
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0
    return ""
