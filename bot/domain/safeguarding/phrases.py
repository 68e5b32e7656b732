"""A safeguarding phrase ("he ... hit* me", "(so/really) <alone>") compiled into one regex,
with the words a message must hold for it to match, rarest first."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.safeguarding.tidy import ARABIC, ARABIC_PREFIX, normalise, word_table

__all__ = ["Part", "PhraseError", "compile_phrase", "either", "within_sentence"]

_SEP = r"\W+"  # between words: spaces, punctuation, emoji; never the "_" of blanked text
_IN_SENTENCE = r"[^\w.!?;:\n]+"  # the same, but never past the end of a sentence
_GAP = r"(?:\W+[^\W_]+){0,3}"
_END = r"(?=[^\w.!?,;:\n]*(?:[.!?,;:\n]|\Z))"
_CHUNK = re.compile(r"\([^()]*\)|\.\.\.|(?:<[^<>\s]*>|[^\s()<>])+|\S")
_NOT_ALLOWED = re.compile(r"[\\|?+^$\[\]{}]")
_WORD_PART = re.compile(r"[^\W_]+\*?")
_LIST = re.compile(r"<\s*(\w+)\s*>\Z")
# Words too frequent to look for a phrase by (only speed depends on this list).
_COMMON = word_table(
    "i,me,my,am,a,an,the,to,is,are,be,been,was,were,have,has,had,do,does,did,not,no,of,in,on,"
    "at,and,or,but,if,it,this,that,so,he,she,they,we,you,will,would,can,could,should,us,our,"
    "his,her,their,them,him,for,with,from,as,by,about,up,out,off,all,any,more,just,really,very,"
    "what,when,where,who,how,there,here,then,than,now,get,got,go,going,went,say,said,like,know,"
    "think,want,take,make,people,patients,service,services,staff,care,health,team,time,day,"
    "today,week,year,meeting,board,paper,report,plan,work,help,home,family,life,one,some,again,"
    # Polish and Arabic (issue 19), as tidied: "się" is "sie", "أنا" is "انا".
    "sie,nie,mnie,mi,ja,jest,to,ze,na,w,z,i,a,jak,juz,tak,po,do,co,mam,moj,moja,moje,ten,ta,"
    "انا,ان,في,من,على,لا,ما,هو,هي,مع,عن,الى,هذا,هذه,كل,لم,لن,قد,كان"
)


class PhraseError(Exception):
    """A phrase that cannot be used, and why."""


@dataclass(frozen=True)
class Part:
    """A phrase, or one piece of it (words, a choice, a gap, the end), as a regex."""

    regex: str
    anchors: frozenset[str] | None  # a match holds one of these words (or stem*); None: ?
    kind: str = "required"  # or "optional", "gap", "end"
    needs: tuple[frozenset[str], ...] = ()  # the anchors of each required part, rarest first
    lead: str | None = None  # the phrase from its rarest part on: quick to search for


def _rarity(words: frozenset[str]) -> tuple[bool, int, int]:
    """How well words rule a message out: none of them common, few of them, long ones."""
    return words.isdisjoint(_COMMON), -len(words), min(map(len, words))


def _word(word: str) -> str:
    """One word (or stem*) as a regex; an Arabic one with the prefixes it may carry."""
    regex = re.escape(word[:-1]) + r"[^\W_]*" if word.endswith("*") else re.escape(word)
    return ARABIC_PREFIX + regex if ARABIC.match(word) else regex


def _words(text: str) -> Part:
    if bad := _NOT_ALLOWED.search(text):
        raise PhraseError(f"{bad.group()!r} is not allowed in a phrase; write a regex for that")
    words = _WORD_PART.findall(normalise(text))
    if not words:
        raise PhraseError(f"{text.strip()!r} has no words" if text.strip() else "a choice is empty")
    if text.count("*") != sum(w.endswith("*") for w in words) or re.search(r"\*[^\W_]", text):
        raise PhraseError("'*' goes at the end of a word, as in hurt*")
    if any(len(word) < 4 for word in words if word.endswith("*")):
        raise PhraseError("'*' needs at least three letters before it, as in hit*")
    regexes = [_word(w) for w in words]
    return Part(_SEP.join(regexes), max((frozenset([w]) for w in words), key=_rarity))


def either(parts: Sequence[Part], kind: str = "required") -> Part:
    """Any one of the parts; a match holds one of their anchors (None if one has none)."""
    regexes = list(dict.fromkeys(part.regex for part in parts))
    regex = regexes[0] if len(regexes) == 1 else f"(?:{'|'.join(regexes)})"
    known = [part.anchors for part in parts if part.anchors is not None]
    return Part(regex, frozenset().union(*known) if len(known) == len(parts) else None, kind)


def _part(chunk: str, lists: dict[str, Part], in_list: bool) -> Part:
    if chunk in ("...", "<end>"):
        if in_list:
            raise PhraseError(f"{chunk} cannot be used in a list")
        return Part("", None, "gap" if chunk == "..." else "end")
    if chunk in "()<>":
        raise PhraseError(f"{chunk!r} has no partner; brackets come in pairs, like (so/really)")
    optional = chunk.startswith("(") and chunk.endswith(")")
    parts = []
    for text in (chunk[1:-1] if optional else chunk).split("/"):
        if (named := _LIST.match(text.strip())) is None:
            parts.append(_words(text))
        elif named.group(1) not in lists:
            where = "at the end of a phrase" if named.group(1) == "end" else "above this line"
            raise PhraseError(f"no list called <{named.group(1)}> {where}")
        else:
            parts.append(lists[named.group(1)])
    return either(parts, "optional" if optional else "required")


def _join(parts: Sequence[Part]) -> str:
    """The parts as one regex; raises PhraseError when they are in an impossible order."""
    body, started = "", False
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part.kind == "gap":
            if not started or last or parts[index + 1].kind == "end":
                raise PhraseError("... goes between words, as in: he ... hits me")
            body += _GAP
        elif part.kind == "end":
            if not started or not last:
                raise PhraseError("<end> goes at the very end of a phrase")
            body += _END
        elif not started:
            body += f"(?:{part.regex}{_SEP})?" if part.kind == "optional" else part.regex
            started = part.kind != "optional"
        else:
            body += f"(?:{_SEP}{part.regex})?" if part.kind == "optional" else _SEP + part.regex
    if not started:
        raise PhraseError("a phrase needs at least one word outside brackets")
    return body


def compile_phrase(text: str, lists: dict[str, Part], *, in_list: bool = False) -> Part:
    """A phrase as a regex with what it needs; raises PhraseError saying what is wrong."""
    parts = [_part(chunk, lists, in_list) for chunk in _CHUNK.findall(text)]
    known = [p.anchors for p in parts if p.kind == "required" and p.anchors is not None]
    needs = tuple(sorted(known, key=_rarity, reverse=True))
    best = needs[0] if needs else None
    at = next((n for n, p in enumerate(parts) if p.kind == "required" and p.anchors == best), 0)
    return Part(_join(parts), best, needs=needs, lead=_join(parts[at:]) if best and at else None)


def within_sentence(regex: str) -> str:
    """A compiled phrase's regex with its words (and gaps) kept within one sentence."""
    return regex.replace(_SEP, _IN_SENTENCE)
