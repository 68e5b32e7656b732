"""Checks that a translation says what the English says, in the shape the code needs:
every key there (or deliberately English), the same placeholders, the same HTML tags in
a valid order, a form for each of the language's plural categories, and texts that fit a
Telegram message. `tandem content check` reports each problem with its file and line."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from jinja2 import TemplateSyntaxError, meta, nodes

from bot.library.languages import Language, load_languages, plural_categories
from bot.library.messages import MESSAGES_FILE, compile_file, make_environment
from bot.library.problems import Problem

TELEGRAM_LIMIT = 4096
# A template's own words leave room for what fills its placeholders.
TEMPLATE_LIMIT = 3500

_TAG = re.compile(r"<(/?)([a-z][a-z0-9-]*)\b([^>]*)>", re.IGNORECASE)
_HREF = re.compile(r"""href\s*=\s*["']([^"']*)["']""")


def tag_problems(english: str, translated: str) -> list[str]:
    """How the translation's HTML differs from the English, or is not well formed."""
    problems = []
    mine, theirs = _tags(translated), _tags(english)
    if Counter(mine) != Counter(theirs):
        problems.append(f"HTML tags differ from the English: {_shown(theirs)} vs {_shown(mine)}")
    open_tags: list[str] = []
    for match in _TAG.finditer(translated):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            problems.append(f"unbalanced HTML: </{name}> does not close the last tag opened")
            break
    else:
        if open_tags:
            problems.append(f"unbalanced HTML: <{open_tags[-1]}> is never closed")
    return problems


def _tags(text: str) -> list[str]:
    found = []
    for match in _TAG.finditer(text):
        href = _HREF.search(match.group(3))
        target = f" {href.group(1)}" if href else ""
        found.append(f"<{match.group(1)}{match.group(2).lower()}{target}>")
    return found


def _shown(tags: list[str]) -> str:
    return " ".join(sorted(tags)) or "none"


def template_problems(english: str, translated: str, language: Language) -> list[str]:
    """Placeholders, tags, plural forms and length of one translated template."""
    environment = make_environment()
    try:
        theirs, mine = environment.parse(english), environment.parse(translated)
    except TemplateSyntaxError as exc:
        return [f"template does not parse: {exc.message}"]
    problems = []
    wanted, used = meta.find_undeclared_variables(theirs), meta.find_undeclared_variables(mine)
    if wanted - used:
        problems.append(f"placeholder(s) missing: {', '.join(sorted(wanted - used))}")
    if used - wanted:
        extra = ", ".join(sorted(used - wanted))
        problems.append(f"placeholder(s) the English does not have: {extra}")
    problems += tag_problems(english, translated)
    needed = plural_categories(language.code)
    for node in mine.find_all(nodes.Filter):
        if node.name != "plural":
            continue
        given = {keyword.key for keyword in node.kwargs}
        if node.args or given != needed:
            missing = ", ".join(sorted(needed - given)) or "none"
            problems.append(
                f"plural needs a form for each of {language.english_name}'s categories "
                f"({', '.join(sorted(needed))}); missing: {missing}"
            )
    if len(translated) > TEMPLATE_LIMIT:
        problems.append(f"{len(translated)} characters: too long for one Telegram message")
    return problems


def message_translation_problems(prompts: Path) -> list[Problem]:
    """Every problem in each translation of prompts/messages.yaml."""
    english, _, trouble = compile_file(prompts / MESSAGES_FILE)
    if trouble:
        return []  # reported with the English itself
    spoken, problems = load_languages(prompts)
    for language in spoken[1:]:
        path = prompts / "translations" / language.code / MESSAGES_FILE
        if not path.is_file():
            problems.append(Problem(path, 0, f"{language.english_name} has no {MESSAGES_FILE}"))
            continue
        translated, sources, trouble = compile_file(path)
        problems += trouble
        for key, source in translated.items():
            line = sources[key][1]
            if key not in english:
                problems.append(Problem(path, line, f"{key}: no such key in the English"))
                continue
            problems += [
                Problem(path, line, f"{key}: {problem}")
                for problem in template_problems(english[key], source, language)
            ]
        problems += [
            Problem(path, 0, f"{key}: not translated (translate it, or list it under english_only)")
            for key in english
            if key not in translated and not language.keeps_english(key)
        ]
    return problems


def unreviewed(prompts: Path, content: Path) -> dict[str, list[str]]:
    """Each translation's files no native speaker is recorded as having reviewed."""
    spoken, _ = load_languages(prompts)
    waiting: dict[str, list[str]] = {}
    for language in spoken[1:]:
        files = []
        for root, label in ((prompts, "prompts"), (content, "content")):
            folder = root / "translations" / language.code
            if folder.is_dir():
                files += [
                    f"{label}/{path.relative_to(folder).as_posix()}"
                    for path in sorted(folder.rglob("*"))
                    if path.is_file() and path.name != "language.yaml"
                ]
        waiting[language.code] = [f for f in files if f not in language.reviewed]
    return waiting
