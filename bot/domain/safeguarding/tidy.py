"""Text as the safeguarding rules see it: lower case, quotes and invisible characters
tidied, "I'm" and "im" as "i am", "can't" as "can not"; accents and Arabic diacritics gone.

Polish and Arabic rules (prompts/translations/) are checked against every message, so the
text is tidied for them too (issue 19): people type "chce umrzec" for "chcę umrzeć" on a
phone, and Arabic is written with or without its short vowels, tatweel and hamza (أ/إ/آ/ا,
ى/ي, ة/ه). Phrases go through the same tidying, so both sides agree. An Arabic word carries
its conjunction, preposition and article on its front ("وسأقتل", "بالموت"): the words of a
message include each word without them, and a phrase's Arabic words allow them
(ARABIC_PREFIX), so a phrase is written without them."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ARABIC", "ARABIC_PREFIX", "WORD_CHAR", "normalise", "tidy", "word_table"]


def word_table(text: str) -> dict[str, str]:
    """ "a:b,c:d" as {"a": "b", "c": "d"}; "a,b" as {"a": "", "b": ""}."""
    return {key: value for key, _, value in (pair.partition(":") for pair in text.split(","))}


def _folds() -> dict[int, str | None]:
    """Accented Latin and hamza-carrying Arabic letters as their base letter; marks gone."""
    folds: dict[int, str | None] = {}
    for code in [*range(0xC0, 0x250), *range(0x600, 0x700)]:
        parts = unicodedata.normalize("NFKD", chr(code))
        if len(parts) > 1 and all(unicodedata.category(c) == "Mn" for c in parts[1:]):
            folds[code] = parts[0]
    marks = [*range(0x300, 0x370), *range(0x610, 0x61B), *range(0x64B, 0x660), 0x670, 0x640]
    marks += range(0x6D6, 0x6EE)  # Quranic marks; 0x640 is the tatweel that stretches words
    folds |= dict.fromkeys(marks)
    # ł has no accent to take off; ة ى ی ک ٱ are typed for ه ي ي ك ا; Arabic punctuation.
    folds |= {ord(a): b for a, b in zip("łةىیکٱ؟،؛٪", "lهييكا?,;%", strict=True)}
    folds |= {ord(d): str(n % 10) for n, d in enumerate("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")}
    return folds


_QUOTES = str.maketrans(
    dict.fromkeys("‘’‛ʼ`´′", "'") | dict.fromkeys("“”„«»", '"') | {"_": " "} | _folds()
)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_NOT = (("can't", "can not"), ("won't", "will not"), ("shan't", "shall not"), ("n't", " not"))
_APOSTROPHE = re.compile(r"'(m|ve|ll|d|re|s)\b")
_SUFFIX = word_table("m: am,ve: have,ll: will,d: would,re: are,s: is")
_IS = word_table("he,she,it,that,there,what,who,where,here,everything,nothing,life")
_NT = word_table("do,does,did,is,are,was,were,has,have,had,could,would,should,must,need")
_BARE = word_table(
    "cant:can not,cannot:can not,wont:will not,gonna:going to,wanna:want to,gotta:got to,"
    "anymore:any more,im:i am,ive:i have,hes:he is,shes:she is,thats:that is,theres:there is,"
    "whats:what is,youre:you are,theyre:they are,youve:you have,theyve:they have,weve:we have,"
    "youll:you will,theyll:they will"
)
_WORDS = re.compile(r"[^\W_]+")
WORD_CHAR = re.compile(r"\w")
# What Arabic writes onto the front of a word: and/so, then with/like/to/will, then "the".
_ARABIC_PREFIXES = sorted(
    {c + p for c in ("", "و", "ف") for p in ("", "ب", "ك", "ل", "س", "ال", "بال", "كال", "لل")}
    - {""},
    key=len,
    reverse=True,
)
ARABIC_PREFIX = f"(?:{'|'.join(_ARABIC_PREFIXES)})?"
ARABIC = re.compile("[\u0621-\u064a]")


def _unprefixed(word: str) -> list[str]:
    """An Arabic word without each prefix it may carry ("وبالموت": "بالموت", "الموت", "موت")."""
    return [
        word[len(p) :] for p in _ARABIC_PREFIXES if word.startswith(p) and len(word) > len(p) + 1
    ]


def _apostrophe(match: re.Match[str]) -> str:
    before = _WORDS.findall(match.string, max(match.start() - 12, 0), match.start())
    word, suffix = before[-1] if before else "", match.group(1)
    if (suffix == "m" and word != "i") or (suffix == "s" and word not in _IS):
        return " " + suffix  # "ma'm"; "mum's", which is not "mum is"
    been = suffix == "s" and match.string.startswith(" been", match.end())
    return " has" if been else _SUFFIX[suffix]


def _bare(match: re.Match[str]) -> str:
    word = match.group()
    if match.start() and WORD_CHAR.match(match.string, match.start() - 1):
        return word  # inside a longer word: "him", "scant"
    if word.endswith("s") and match.string.startswith(" been", match.end()):
        return word[:-1] + " has"
    return _BARE.get(word) or word[:-2] + " not"


def tidy(text: str) -> tuple[str, set[str]]:
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
    if not text.isascii() and ARABIC.search(text):
        words.update(*(_unprefixed(w) for w in words if ARABIC.match(w)))
    return text, words


def normalise(text: str) -> str:
    """Text as the rules see it: lower case, "I'm" as "i am", "can't" as "can not"."""
    return tidy(text)[0]
