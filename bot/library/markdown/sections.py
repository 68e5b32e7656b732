"""A briefing's pages: its Markdown split at `## ` headings, each with its line in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from bot.library.markdown.render import PARSER

__all__ = ["Section", "split_sections"]

_LINE_BREAK = re.compile(r"\r\n?|\n")


@dataclass(frozen=True)
class Section:
    """One page of a briefing: its `## ` title (None before the first) and its Markdown."""

    title: str | None
    markdown: str
    line: int


def split_sections(markdown: str, *, first_line: int = 1) -> list[Section]:
    """Split a briefing body at its `## ` headings; `line` counts from `first_line`."""
    lines = _LINE_BREAK.split(markdown)
    tokens = PARSER.parse(markdown)
    headings = [
        (token.map[0], token.map[1], inline.content.strip())
        for token, inline in pairwise(tokens)
        if token.type == "heading_open"
        and token.markup == "##"
        and token.level == 0
        and token.map is not None
    ]
    sections = []
    starts = [start for start, _, _ in headings] + [len(lines)]
    offset, text = _trim(lines[: starts[0]])
    if text:
        sections.append(Section(None, text, first_line + offset))
    for (start, body_start, title), end in zip(headings, starts[1:], strict=True):
        sections.append(Section(title, _trim(lines[body_start:end])[1], first_line + start))
    return sections


def _trim(lines: list[str]) -> tuple[int, str]:
    """Drop blank lines at both ends: (index of the first kept line, the text)."""
    kept = [index for index, line in enumerate(lines) if line.strip()]
    if not kept:
        return 0, ""
    return kept[0], "\n".join(lines[kept[0] : kept[-1] + 1])
