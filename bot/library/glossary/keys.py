"""How glossary names and what people type meet: both folded into the same lookup keys."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

__all__ = ["compact_key", "lookup_key", "query_keys", "variants"]

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"'}
)
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_NOT_WORD = re.compile(r"[\W_]+")
_DOTTED = re.compile(r"(?<![\w.])((?:[^\W\d_]\.)+[^\W\d_])\.?(?!\w)")
_QUESTION = re.compile(r"^(?:what\s*(?:is|'s|s|are|'re)\s+)?(?:(?:the|a|an)\s+)?")
_MEANING = re.compile(r"^what\s+(?:does|do)\s+(.+?)\s+(?:mean|stand\s+for)$")


def lookup_key(text: str) -> str:
    """Case, quotes, spacing, surrounding punctuation and "I.C.B." dots folded away."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _DOTTED.sub(lambda match: match.group(1).replace(".", ""), text)
    return _EDGES.sub("", " ".join(text.split()))


def compact_key(text: str) -> str:
    """Letters and digits only, so "co-design", "co design" and "codesign" meet."""
    return _NOT_WORD.sub("", lookup_key(text))


def query_keys(query: str) -> list[str]:
    """The typed key, then the same without "what is the" and the like."""
    key = lookup_key(query)
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


def variants(key: str) -> Iterator[str]:
    """Compact keys to try: as typed, then with one word made singular or plural."""
    yield compact_key(key)
    words = key.split(" ")
    for position in reversed(range(len(words))):
        for form in _word_forms(words[position]):
            yield compact_key(" ".join([*words[:position], form, *words[position + 1 :]]))
