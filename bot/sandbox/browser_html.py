"""Text + Telegram entities rendered as safe, properly nested HTML for a browser (web chat)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.sandbox.common import JSONDict
from bot.sandbox.textutil import Utf16Index

__all__ = ["entities_to_html"]

_SAFE_HREF = frozenset({"http", "https", "tg", "mailto"})
_SIMPLE_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ('<span class="tg-spoiler">', "</span>"),
    "code": ("<code>", "</code>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ('<blockquote class="expandable">', "</blockquote>"),
}


def _link(href: str) -> tuple[str, str]:
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme not in _SAFE_HREF:
        return "", ""
    return f'<a href="{html.escape(href)}" rel="noopener noreferrer">', "</a>"


def _tags(entity: JSONDict, covered: str) -> tuple[str, str]:
    kind = entity.get("type", "")
    if kind in _SIMPLE_TAGS:
        return _SIMPLE_TAGS[kind]
    if kind == "pre":
        language = entity.get("language")
        if language:
            return f'<pre><code class="language-{html.escape(str(language))}">', "</code></pre>"
        return "<pre>", "</pre>"
    if kind == "text_link":
        return _link(str(entity.get("url", "")))
    if kind == "url":
        return _link(covered if "://" in covered else "http://" + covered)
    if kind == "email":
        return _link("mailto:" + covered)
    return f'<span class="tg-{html.escape(kind.replace("_", "-"))}">', "</span>"


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    open: str
    close: str
    pre: bool


def entities_to_html(text: str, entities: list[JSONDict]) -> str:
    """Render text + entities as safe, properly nested HTML for a browser."""
    index = Utf16Index(text)
    spans: list[_Span] = []
    for entity in entities:
        start = index.to_index(int(entity.get("offset", 0)))
        end = index.to_index(int(entity.get("offset", 0)) + int(entity.get("length", 0)))
        if end > start:
            opening, closing = _tags(entity, text[start:end])
            spans.append(_Span(start, end, opening, closing, entity.get("type") in ("pre", "code")))
    spans.sort(key=lambda s: (s.start, -s.end))
    points = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    out: list[str] = []
    stack: list[_Span] = []
    pending = iter(spans)
    upcoming = next(pending, None)
    for here, following in zip(points, [*points[1:], None], strict=True):
        _close_at(here, stack, out)
        while upcoming is not None and upcoming.start == here:
            out.append(upcoming.open)
            stack.append(upcoming)
            upcoming = next(pending, None)
        if following is not None:
            segment = html.escape(text[here:following])
            out.append(segment if any(s.pre for s in stack) else segment.replace("\n", "<br>"))
    return "".join(out)


def _close_at(here: int, stack: list[_Span], out: list[str]) -> None:
    """Close spans ending at `here`, reopening spans that were nested inside but go on."""
    lowest = next((k for k, span in enumerate(stack) if span.end <= here), None)
    if lowest is None:
        return
    reopen = []
    while len(stack) > lowest:
        span = stack.pop()
        out.append(span.close)
        if span.end > here:
            reopen.append(span)
    for span in reversed(reopen):
        out.append(span.open)
        stack.append(span)
