"""Briefings, question sets and the glossary in other languages (issue 19).

A translation lives beside the English: `content/translations/<code>/briefings/*.md` and
`glossary.yaml`, `prompts/translations/<code>/sets/*.yaml`. Each is checked against its
English original (the same pages, questions, choices and values), and a text with no
translation, or a broken one, is the English: the partner is then told once that it is only
in English for now.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from bot.library import yamlio
from bot.library.briefings import Briefing, load_briefings
from bot.library.glossary import Glossary
from bot.library.languages import TRANSLATIONS, Language
from bot.library.problems import Problem
from bot.library.prompts import PromptSet, load_prompt_sets

# A translated page may be longer than the English (Polish runs about a quarter longer),
# but always fits one Telegram message with room for the buttons' note.
TRANSLATED_PAGE_LIMIT = 3000


@dataclass(frozen=True)
class Content:
    """Everything partners read from the library, in one language."""

    briefings: dict[str, Briefing]
    glossary: Glossary
    prompt_sets: dict[str, PromptSet]
    # Ids of the question sets written in this content's own language.
    own_sets: frozenset[str] = frozenset()


def translate(
    english: Content, language: Language, content: Path, prompts: Path
) -> tuple[Content, list[Problem]]:
    """The library in `language`: its translations where they are sound, else the English."""
    code = language.code
    briefings, problems = _briefings(english.briefings, content / TRANSLATIONS / code, code)
    sets, set_problems = _prompt_sets(english.prompt_sets, prompts / TRANSLATIONS / code / "sets")
    glossary, glossary_problems = _glossary(
        english.glossary, content / TRANSLATIONS / code / "glossary.yaml", code
    )
    merged = Content(
        briefings={**english.briefings, **briefings},
        glossary=glossary,
        prompt_sets={**english.prompt_sets, **sets},
        own_sets=frozenset(sets),
    )
    return merged, [*problems, *set_problems, *glossary_problems]


def _briefings(
    english: dict[str, Briefing], folder: Path, code: str
) -> tuple[dict[str, Briefing], list[Problem]]:
    if not (folder / "briefings").is_dir():
        return {}, []
    loaded, problems = load_briefings(
        folder / "briefings", page_limit=TRANSLATED_PAGE_LIMIT, language=code
    )
    sound = {}
    for key, briefing in loaded.items():
        original = english.get(key)
        trouble = _briefing_differences(original, briefing)
        if trouble:
            problems.append(Problem(briefing.path, 1, trouble))
        else:
            sound[key] = briefing
    return sound, problems


def _briefing_differences(original: Briefing | None, translated: Briefing) -> str:
    if original is None:
        return f"no English briefing {translated.id!r} to translate"
    if len(original.pages) != len(translated.pages):
        return (
            f"{len(translated.pages)} pages, but the English has {len(original.pages)}: "
            "keep one `## ` heading for each of the English's"
        )
    if (original.meta.audience, original.meta.tags) != (
        translated.meta.audience,
        translated.meta.tags,
    ):
        return "audience and tags must be the English's"
    return ""


def _prompt_sets(
    english: dict[str, PromptSet], folder: Path
) -> tuple[dict[str, PromptSet], list[Problem]]:
    if not folder.is_dir():
        return {}, []
    loaded, problems = load_prompt_sets(folder)
    problems = [p for p in problems if p.message != "no prompt sets found"]
    sound = {}
    for key, prompt_set in loaded.items():
        trouble = _set_differences(english.get(key), prompt_set)
        if trouble:
            problems.append(Problem(folder / f"{key}.yaml", 1, trouble))
        else:
            sound[key] = prompt_set
    return sound, problems


def set_shape(prompt_set: PromptSet) -> object:
    """What a translation of a set must keep: its questions, kinds, values and rules."""
    return (
        prompt_set.when,
        prompt_set.listed,
        prompt_set.minutes,
        [
            (
                q.id,
                q.kind,
                q.optional,
                q.only_if,
                q.contact_request,
                tuple(c.value for c in q.choices or ()),
                (q.scale.min, q.scale.max) if q.scale else None,
                q.dont_know is None,
            )
            for q in prompt_set.questions
        ],
        prompt_set.measures is None,
    )


def _set_differences(original: PromptSet | None, translated: PromptSet) -> str:
    if original is None:
        return f"no English question set {translated.id!r} to translate"
    if set_shape(original) != set_shape(translated):
        return (
            "the questions must keep the English's ids, kinds, choice values, order and "
            "rules; translate only the words"
        )
    return ""


def _glossary(english: Glossary, path: Path, code: str) -> tuple[Glossary, list[Problem]]:
    """The English glossary with each translated entry's name and explanation in `code`;
    every term can still be found by its English name and abbreviation."""
    if not path.is_file():
        return english, []
    try:
        entries = yamlio.load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return english, [Problem(path, mark.line + 1 if mark else 0, f"not valid YAML: {exc}")]
    if not isinstance(entries, list):
        return english, [Problem(path, 1, "expected a list of entries")]
    by_term = {term.term: term for term in english.terms}
    problems, translated = [], {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(key), str) and entry.get(key)
            for key in ("term", "name", "explanation")
        ):
            problems.append(Problem(path, 0, f"entry {number}: needs term, name and explanation"))
            continue
        original = by_term.get(entry["term"])
        if original is None:
            problems.append(Problem(path, 0, f"entry {number}: no English term {entry['term']!r}"))
            continue
        aliases = entry.get("aliases") or []
        translated[original.term] = (entry["name"], entry["explanation"], [str(a) for a in aliases])
    terms = []
    for term in english.terms:
        if term.term not in translated:
            terms.append(term)
            continue
        name, explanation, aliases = translated[term.term]
        terms.append(
            replace(
                term,
                term=name,
                explanation=explanation,
                aliases=(*aliases, term.term, *term.aliases),
                language=code,
                english=term.term,
            )
        )
    return Glossary(terms), problems
