"""The languages Tandem speaks, and which one the words being written now are in.

English is the source: every text exists in it. A translation lives in
`prompts/translations/<code>/` (its `language.yaml` says its name and direction, and who
reviewed which file) and `content/translations/<code>/`; a text missing from a translation
falls back to English.

The language of what is being written is a context variable: the update guard sets it to
the person's language for the whole update, the outbox sets it for each message, and
`speaking(code)` sets it while writing to someone else. The catalogue, the library, dates
and plurals all read it, so no caller passes a language around.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError

from bot.library import yamlio
from bot.library.problems import Problem

ENGLISH = "en"
TRANSLATIONS = "translations"
LANGUAGE_FILE = "language.yaml"

_CURRENT: ContextVar[str] = ContextVar("tandem_language", default=ENGLISH)
# The language_code Telegram gave with the update being handled ("pl", "pt-br"; None).
_TELEGRAM: ContextVar[str | None] = ContextVar("tandem_telegram_language", default=None)


@dataclass(frozen=True)
class Language:
    """A language Tandem speaks."""

    code: str
    name: str  # as its speakers write it: "Polski"
    english_name: str
    right_to_left: bool = False
    # Files of this translation (relative to prompts/ or content/) and who reviewed each,
    # a native speaker recorded by name; a file not listed is not yet reviewed.
    reviewed: dict[str, str] = field(default_factory=dict)
    # Message keys (or key prefixes ending in ".") deliberately left in English.
    english_only: tuple[str, ...] = ()

    def keeps_english(self, key: str) -> bool:
        """True when the translation leaves `key` in English on purpose."""
        return any(
            key == kept or (kept.endswith(".") and key.startswith(kept))
            for kept in self.english_only
        )


ENGLISH_LANGUAGE = Language(ENGLISH, "English", "English")


def current() -> str:
    """The language of the words being written now."""
    return _CURRENT.get()


def use(code: str | None) -> None:
    """Write in `code` (None: English) for the rest of this task (an update, say)."""
    _CURRENT.set(code or ENGLISH)


def note_telegram(code: str | None) -> None:
    """Remember the language Telegram says the person's app is in, for this update."""
    _TELEGRAM.set(code)


def english_app() -> bool:
    """True when the person's Telegram app is in English (so a choice need not be offered
    on their first screen)."""
    code = _TELEGRAM.get()
    return bool(code) and (code or "").lower().startswith(ENGLISH)


@contextmanager
def speaking(code: str | None) -> Iterator[None]:
    """Write in `code` (None: English) within the block: to someone else, say."""
    token = _CURRENT.set(code or ENGLISH)
    try:
        yield
    finally:
        _CURRENT.reset(token)


@cache
def locale(code: str) -> Locale:
    """Babel's (CLDR) locale for a language code."""
    return Locale.parse(code)


def plural_category(code: str, count: float) -> str:
    """CLDR's plural category of `count` in the language: one, few, many, other..."""
    return str(locale(code).plural_form(abs(count)))


def plural_categories(code: str) -> frozenset[str]:
    """Every plural category a language has (CLDR), which a translation must all give."""
    return frozenset(locale(code).plural_form.tags | {"other"})


def telegram_language(code: str | None, known: frozenset[str]) -> str | None:
    """The language Tandem speaks for Telegram's `language_code` ("pl", "pt-br"), if any."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in known else None


def translation_dirs(root: Path) -> list[Path]:
    """Each translation's folder under `root/translations`, by code."""
    folder = root / TRANSLATIONS
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if (path / LANGUAGE_FILE).is_file())


def load_languages(prompts: Path) -> tuple[list[Language], list[Problem]]:
    """English, then each translation under prompts/translations, from its language.yaml."""
    languages, problems = [ENGLISH_LANGUAGE], []
    for folder in translation_dirs(prompts):
        path = folder / LANGUAGE_FILE
        try:
            data = yamlio.load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            problems.append(Problem(path, 0, f"not valid YAML: {exc}"))
            continue
        language, trouble = _language(folder.name, data)
        if trouble:
            problems.append(Problem(path, 1, trouble))
        else:
            languages.append(language)
    return languages, problems


def _language(code: str, data: dict[str, object]) -> tuple[Language, str]:
    try:
        locale(code)
    except (UnknownLocaleError, ValueError):
        return ENGLISH_LANGUAGE, f"{code!r} is not a language code CLDR knows"
    name, english_name = data.get("name"), data.get("english_name")
    if not isinstance(name, str) or not isinstance(english_name, str):
        return ENGLISH_LANGUAGE, "needs `name` (as its speakers write it) and `english_name`"
    direction = data.get("direction", "ltr")
    if direction not in ("ltr", "rtl"):
        return ENGLISH_LANGUAGE, "direction must be ltr or rtl"
    reviews = data.get("reviewed") or {}
    if not isinstance(reviews, dict):
        return ENGLISH_LANGUAGE, "reviewed: a mapping of file to the reviewer's name"
    reviewed = {str(file): str(who) for file, who in reviews.items() if who}
    kept = data.get("english_only") or []
    if not isinstance(kept, list):
        return ENGLISH_LANGUAGE, "english_only: a list of message keys kept in English"
    english_only = tuple(str(key) for key in kept)
    return Language(code, name, english_name, direction == "rtl", reviewed, english_only), ""
