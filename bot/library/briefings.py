"""Briefings: content/briefings/*.md, Markdown with YAML front matter, paged for a phone.

Each `## ` heading starts a page; a page is one Telegram message. Front matter is checked
against a schema; every problem is reported with its file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.library import yamlio
from bot.library.markdown import render_markdown, split_sections, visible_length
from bot.library.problems import Problem
from bot.library.prompts import line_of

# House rule for phone reading (content/README.md); Telegram's own limit is 4096.
PAGE_LIMIT = 1200
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"  # short enough for callback data by construction
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


class Source(BaseModel):
    """Where a briefing's facts come from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str = Field(min_length=1, max_length=200)
    url: str = Field(pattern=r"^https://\S+$")


class FrontMatter(BaseModel):
    """The YAML header of a briefing."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1, max_length=100)
    summary: str = Field(min_length=1, max_length=300)
    minutes: int = Field(ge=1, le=30)
    audience: Literal["partner", "facilitator", "everyone"]
    tags: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,30}$")], ...] = Field(
        min_length=1
    )
    reviewed: dt.date
    changing: str | None = None
    # Why this briefing may read above the grade limit (bot/library/grading.py).
    reading_grade: str | None = None
    sources: tuple[Source, ...] = Field(min_length=1)


@dataclass(frozen=True)
class Page:
    """One page of a briefing, as Telegram HTML."""

    title: str | None
    html: str
    line: int


@dataclass(frozen=True)
class Briefing:
    """A briefing ready to show."""

    meta: FrontMatter
    pages: tuple[Page, ...]
    path: Path
    body: str
    language: str = "en"  # the language it is written in (issue 19)

    @property
    def id(self) -> str:
        """The briefing's id (its file name)."""
        return self.meta.id


def load_briefings(
    directory: Path, *, page_limit: int = PAGE_LIMIT, language: str = "en"
) -> tuple[dict[str, Briefing], list[Problem]]:
    """Every briefing in `directory`, and every problem found, with its line. A translation
    (`language`) may run longer than the English's pages, up to `page_limit`."""
    briefings: dict[str, Briefing] = {}
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.md")):
        briefing = _load_one(path, problems, page_limit, language)
        if briefing is not None:
            briefings[briefing.id] = briefing
    if not briefings and not problems:
        problems.append(Problem(directory, 0, "no briefings found"))
    return briefings, problems


def _load_one(
    path: Path, problems: list[Problem], page_limit: int, language: str
) -> Briefing | None:
    text = path.read_text(encoding="utf-8")
    match = _FRONT.match(text)
    if match is None:
        problems.append(Problem(path, 1, "front matter missing: start with --- and YAML"))
        return None
    try:
        node, data = yamlio.compose_and_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(path, (mark.line + 2) if mark else 1, f"front matter: {exc}"))
        return None
    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "front matter"
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(Problem(path, line_of(node, error["loc"]) + 1, f"{where}: {message}"))
        return None
    if meta.id != path.stem:
        problems.append(
            Problem(
                path,
                line_of(node, ("id",)) + 1,
                f"id {meta.id!r} must match the file name {path.stem!r}",
            )
        )
        return None
    body = text[match.end() :]
    first_line = text[: match.end()].count("\n") + 1
    pages = _pages(path, body, first_line, problems, page_limit)
    if not pages:
        return None
    return Briefing(meta=meta, pages=pages, path=path, body=body, language=language)


def _pages(
    path: Path, body: str, first_line: int, problems: list[Problem], page_limit: int
) -> tuple[Page, ...]:
    pages = []
    for section in split_sections(body, first_line=first_line):
        html = render_markdown(section.markdown)
        if section.title:
            html = f"<b>{render_markdown(section.title).strip()}</b>\n\n{html}".strip()
        length = visible_length(html)
        if length > page_limit:
            problems.append(
                Problem(
                    path, section.line, f"page is {length} characters; keep pages to {page_limit}"
                )
            )
        pages.append(Page(title=section.title, html=html, line=section.line))
    if not pages:
        problems.append(Problem(path, first_line, "the briefing has no text"))
    return tuple(pages)
