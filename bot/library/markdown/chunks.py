"""Telegram HTML split into messages Telegram accepts: at most its limit of visible characters,
cut at the best break, with the tags open at a cut closed and opened again."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.library.markdown.length import Atom, html_atoms

__all__ = ["TELEGRAM_LIMIT", "split_message"]

TELEGRAM_LIMIT = 4096
_CLOSERS = frozenset("\"')]}”’»")
_SENTENCE_ENDS = frozenset(".!?…")
_EMPTY_PAIR = re.compile(r"<([A-Za-z][\w-]*)(?:\s[^>]*)?></\1>")
_PARAGRAPH, _NEWLINE, _SENTENCE, _SPACE = range(4)


def split_message(html: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into messages of at most `limit` visible characters each."""
    if limit < 2:
        raise ValueError("limit must be at least 2 (an emoji takes two UTF-16 units)")
    atoms = html_atoms(html)
    chunks: list[str] = []
    opened: list[Atom] = []
    start, line_start = 0, True
    while start < len(atoms):
        cut, resume = _find_cut(atoms, start, limit)
        still_open = _open_after(opened, atoms[start:cut])
        body = _strip(atoms[start:cut], keep_indent=line_start)
        if any(atom.char.strip() for atom in body):
            text = "".join(atom.source for atom in [*opened, *body])
            text += "".join(f"</{atom.tag}>" for atom in reversed(still_open))
            chunks.append(_drop_empty_pairs(text))
        opened, start = still_open, resume
        line_start = resume > cut and atoms[cut].char == "\n"
    return chunks


def _find_cut(atoms: list[Atom], start: int, limit: int) -> tuple[int, int]:
    """Where this chunk ends and the next begins (they differ by a dropped space or newline)."""
    breaks = _Breaks(threshold=limit // 3)
    width = 0
    for index in range(start, len(atoms)):
        atom = atoms[index]
        if not atom.width:
            continue
        if width + atom.width > limit:
            cut = breaks.best()
            if cut is not None:
                return cut, cut + 1
            cut = _hard_cut(atoms, start, index)
            return cut, cut
        breaks.note(atom.char, index, width)
        width += atom.width
    return len(atoms), len(atoms)


@dataclass
class _Breaks:
    """The last break of each kind seen in a chunk's window: anywhere, and past `threshold`."""

    threshold: int
    preferred: list[int | None] = field(default_factory=lambda: [None] * 4)
    anywhere: list[int | None] = field(default_factory=lambda: [None] * 4)
    last_char: str = ""
    last_text_char: str = ""
    last_newline: int = -1
    newline_width: int = 0

    def best(self) -> int | None:
        """The atom to cut at (it is dropped), or None when the window has no break."""
        # A break less than a third of the way in would leave a stub (a heading alone),
        # so try every kind of break late in the window before any break early in it.
        return next((cut for cut in (*self.preferred, *self.anywhere) if cut is not None), None)

    def note(self, char: str, index: int, width: int) -> None:
        """Note the breaks at atom `index` (`width` units into the window), then pass it."""
        if char in "\n \t" and self.last_text_char:
            for level, cut, before in self._candidates(char, index, width):
                self.anywhere[level] = cut
                if before >= self.threshold:
                    self.preferred[level] = cut
        if char == "\n" and self.last_char != "\n":
            self.last_newline, self.newline_width = index, width
        if char.strip() and char not in _CLOSERS:
            self.last_text_char = char
        self.last_char = char

    def _candidates(self, char: str, index: int, width: int) -> list[tuple[int, int, int]]:
        """(kind, atom to cut at, width before it) of each break whitespace `char` makes."""
        candidates = [(_NEWLINE if char == "\n" else _SPACE, index, width)]
        if self.last_char == "\n" == char:
            candidates.append((_PARAGRAPH, self.last_newline, self.newline_width))
        if self.last_text_char in _SENTENCE_ENDS:
            candidates.append((_SENTENCE, index, width))
        return candidates


def _hard_cut(atoms: list[Atom], start: int, end: int) -> int:
    """Cut before atom `end`, stepping back so an emoji sequence or accent stays whole."""
    cut = end
    while True:
        before = next((i for i in range(cut - 1, start - 1, -1) if atoms[i].width), None)
        if before is None or before == start or not _joins(atoms[before].char, atoms[cut].char):
            break
        cut = before
    return cut if any(atom.char.strip() for atom in atoms[start:cut]) else end


def _joins(before: str, after: str) -> bool:
    """True when `after` belongs to the same visible character as `before`."""
    return (
        unicodedata.category(after) in ("Mn", "Mc", "Me")
        or "\U0001f3fb" <= after <= "\U0001f3ff"
        or "\U000e0020" <= after <= "\U000e007f"
        or "\u200d" in (before, after)
        or ("\U0001f1e6" <= before <= "\U0001f1ff" and "\U0001f1e6" <= after <= "\U0001f1ff")
    )


def _open_after(opened: list[Atom], atoms: list[Atom]) -> list[Atom]:
    stack = list(opened)
    for atom in atoms:
        if atom.tag and not atom.closing:
            stack.append(atom)
        elif atom.tag:
            match = next(
                (i for i in range(len(stack) - 1, -1, -1) if stack[i].tag == atom.tag), None
            )
            if match is not None:
                del stack[match]
    return stack


def _strip(atoms: list[Atom], *, keep_indent: bool) -> list[Atom]:
    """Drop leading blank lines (and spaces, mid-line) and trailing whitespace; keep tags."""
    text = [index for index, atom in enumerate(atoms) if atom.char.strip()]
    if not text:
        return [atom for atom in atoms if atom.tag]
    first, last = text[0], text[-1]
    begin = first
    if keep_indent:
        begin = 1 + max((i for i in range(first) if atoms[i].char == "\n"), default=-1)
    return [atom for index, atom in enumerate(atoms) if atom.tag or begin <= index <= last]


def _drop_empty_pairs(text: str) -> str:
    while True:
        shorter = _EMPTY_PAIR.sub("", text)
        if shorter == text:
            return text
        text = shorter
