"""Briefing Markdown as Telegram HTML.

Telegram's HTML parse mode knows a handful of tags and four named entities, and refuses a whole
message over one unclosed tag, so the renderer escapes every character it did not write itself.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

__all__ = ["PARSER", "render_markdown"]

_INDENT = "  "
_BULLET = "• "
_LISTS = frozenset({"bullet_list", "ordered_list"})
_INLINE_TAGS = {"strong": "b", "em": "i"}


class _Markdown(MarkdownIt):
    """CommonMark that hands every link to the renderer to judge."""

    def validateLink(self, url: str) -> bool:
        """Let every link through; the renderer shows an unsafe one as its words."""
        # markdown-it would leave a javascript: link as literal "[words](javascript:...)";
        # letting every link through means the renderer's scheme check is the one gate, and an
        # unsafe link shows just its words.
        return True


# With raw HTML off, "<b>" in a file is parsed as text, so it is escaped like any other text.
PARSER = _Markdown("commonmark", {"html": False})


@dataclass(frozen=True)
class _Context:
    depth: int = 0
    quoted: bool = False
    newline: str = "\n"


def render_markdown(text: str) -> str:
    """Telegram HTML for the Markdown used in briefings; all source text is escaped."""
    tree = SyntaxTreeNode(PARSER.parse(text))
    return "\n\n".join(_blocks(tree, _Context())).strip()


def _blocks(node: SyntaxTreeNode, context: _Context) -> list[str]:
    rendered = (_block(child, context) for child in node.children)
    return [block for block in rendered if block.strip()]


def _block(node: SyntaxTreeNode, context: _Context) -> str:
    kind = node.type
    if kind == "paragraph":
        return _inline(node.children[0], context, frozenset())
    if kind == "heading":
        title = _inline(node.children[0], context, frozenset({"strong"}))
        return f"<b>{title}</b>" if title.strip() else ""
    if kind in _LISTS:
        return _list(node, context)
    if kind == "blockquote":
        inner = "\n\n".join(_blocks(node, replace(context, quoted=True)))
        # Telegram does not nest blockquotes, so an inner quote just joins the outer one.
        if context.quoted or not inner:
            return inner
        return f"<blockquote>{inner}</blockquote>"
    if kind in ("fence", "code_block"):
        code = node.content.rstrip("\n")
        return f"<pre>{_escape(code)}</pre>" if code.strip() else ""
    if kind == "html_block":  # only if raw HTML were ever switched on: show it, never obey it
        return _escape(node.content.strip())
    # A horizontal rule ("hr") is the blank line that already separates blocks.
    return ""


def _list(node: SyntaxTreeNode, context: _Context) -> str:
    ordered = node.type == "ordered_list"
    start = int(str(node.attrs.get("start", 1))) if ordered else 1
    indent = _INDENT * context.depth
    inner = replace(context, depth=context.depth + 1, newline="\n" + indent + _INDENT)
    items = []
    for number, item in enumerate(node.children, start):
        marker = f"{number}. " if ordered else _BULLET
        items.append(_item(item, inner, indent + marker))
    return "\n".join(items)


def _item(item: SyntaxTreeNode, inner: _Context, lead: str) -> str:
    hanging = inner.newline[1:]
    lines: list[str] = []
    for child in item.children:
        if child.type in _LISTS:
            if lead:
                lines.append(lead.rstrip())
                lead = ""
            lines.append(_list(child, inner))
            continue
        block = _block(child, inner)
        if block:
            lines.append((lead or hanging) + block)
            lead = ""
    if lead:
        lines.append(lead.rstrip())
    return "\n".join(lines)


def _inline(node: SyntaxTreeNode, context: _Context, open_tags: frozenset[str]) -> str:
    out: list[str] = []
    for child in node.children:
        kind = child.type
        if kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append(context.newline)
        elif kind == "code_inline":
            out.append(f"<code>{_escape(child.content)}</code>")
        elif kind in _INLINE_TAGS:
            inside = _inline(child, context, open_tags | {kind})
            tag = _INLINE_TAGS[kind]
            # Bold inside bold (a bold heading, "**a __b__**") would only repeat the tag.
            nested = kind in open_tags or not inside
            out.append(inside if nested else f"<{tag}>{inside}</{tag}>")
        elif kind == "link":
            out.append(_link(child, context, open_tags))
        elif kind == "image":
            out.append(_inline(child, context, open_tags))
        else:
            out.append(_escape(child.content))
    return "".join(out)


def _link(node: SyntaxTreeNode, context: _Context, open_tags: frozenset[str]) -> str:
    words = _inline(node, context, open_tags)
    href = str(node.attrs.get("href", ""))
    if not _is_safe_link(href):
        return words
    return f'<a href="{_escape_attribute(href)}">{words or _escape(href)}</a>'


def _is_safe_link(href: str) -> bool:
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return bool(parts.hostname)
    return scheme == "mailto" and bool(parts.path)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _escape_attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;")
