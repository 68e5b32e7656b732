"""Telegram HTML as Telegram counts it: tags (no width) and visible characters (UTF-16 units)."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Atom", "html_atoms", "visible_length"]

_TAG = re.compile(r"""</?([A-Za-z][\w-]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
_ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9A-Fa-f]{1,7})|([A-Za-z]+));?")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<&]")


@dataclass(frozen=True, slots=True)
class Atom:
    """A tag (width 0) or one visible character, as written in the HTML."""

    source: str
    char: str = ""
    width: int = 0
    tag: str = ""
    closing: bool = False


def visible_length(html: str) -> int:
    """Telegram's length of an HTML message: UTF-16 units of its text without tags."""
    return sum(atom.width for atom in html_atoms(html))


def html_atoms(markup: str) -> list[Atom]:
    """The HTML as tags and visible characters, each as written (an entity stays one)."""
    atoms: list[Atom] = []
    position = 0
    while position < len(markup):
        special = _SPECIAL.search(markup, position)
        stop = special.start() if special else len(markup)
        atoms.extend(Atom(char, char, _utf16(char)) for char in markup[position:stop])
        if stop == len(markup):
            break
        tag = _TAG.match(markup, stop)
        entity = _ENTITY.match(markup, stop)
        decoded = _decode(entity) if entity else ""
        if tag:
            closing = tag.group().startswith("</")
            atoms.append(Atom(tag.group(), tag=tag.group(1).lower(), closing=closing))
            position = tag.end()
        elif entity and decoded:
            atoms.append(Atom(entity.group(), decoded, _utf16(decoded)))
            position = entity.end()
        else:
            char = markup[stop]
            atoms.append(Atom(char, char, 1))
            position = stop + 1
    return atoms


def _decode(entity: re.Match[str]) -> str:
    """The character Telegram decodes, or "" when it shows the "&" as written."""
    decimal, hexadecimal, name = entity.groups()
    if name is not None:
        return _NAMED.get(name, "")
    code = int(decimal, 10) if decimal is not None else int(hexadecimal, 16)
    return chr(code) if 0 < code < 0x10FFFF else ""


def _utf16(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1
