"""Briefing Markdown as Telegram HTML: rendering, pages at `## ` headings, and message-sized chunks.

Telegram's HTML parse mode knows a handful of tags and four named entities, and refuses a whole
message over one unclosed tag, so the renderer escapes every character it did not write itself.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import pairwise
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

__all__ = ["Section", "render_markdown", "split_message", "split_sections", "visible_length"]

TELEGRAM_LIMIT = 4096
_INDENT = "  "
_BULLET = "• "
_LISTS = frozenset({"bullet_list", "ordered_list"})
_INLINE_TAGS = {"strong": "b", "em": "i"}
_LINE_BREAK = re.compile(r"\r\n?|\n")


class _Markdown(MarkdownIt):
    """CommonMark that hands every link to the renderer to judge."""

    def validateLink(self, url: str) -> bool:
        """Let every link through; the renderer shows an unsafe one as its words."""
        # markdown-it would leave a javascript: link as literal "[words](javascript:...)";
        # letting every link through means the renderer's scheme check is the one gate, and an
        # unsafe link shows just its words.
        return True


# With raw HTML off, "<b>" in a file is parsed as text, so it is escaped like any other text.
_MD = _Markdown("commonmark", {"html": False})


@dataclass(frozen=True)
class _Context:
    depth: int = 0
    quoted: bool = False
    newline: str = "\n"


def render_markdown(text: str) -> str:
    """Telegram HTML for the Markdown used in briefings; all source text is escaped."""
    tree = SyntaxTreeNode(_MD.parse(text))
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


# ------------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class Section:
    """One page of a briefing: its `## ` title (None before the first) and its Markdown."""

    title: str | None
    markdown: str
    line: int


def split_sections(markdown: str, *, first_line: int = 1) -> list[Section]:
    """Split a briefing body at its `## ` headings; `line` counts from `first_line`."""
    lines = _LINE_BREAK.split(markdown)
    tokens = _MD.parse(markdown)
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


# -------------------------------------------------------------------------------- lengths

_TAG = re.compile(r"""</?([A-Za-z][\w-]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
_ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9A-Fa-f]{1,7})|([A-Za-z]+));?")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL = re.compile(r"[<&]")


@dataclass(frozen=True, slots=True)
class _Atom:
    """A tag (width 0) or one visible character, as written in the HTML."""

    source: str
    char: str = ""
    width: int = 0
    tag: str = ""
    closing: bool = False


def visible_length(html: str) -> int:
    """Telegram's length of an HTML message: UTF-16 units of its text without tags."""
    return sum(atom.width for atom in _atoms(html))


def _atoms(markup: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    position = 0
    while position < len(markup):
        special = _SPECIAL.search(markup, position)
        stop = special.start() if special else len(markup)
        atoms.extend(_Atom(char, char, _utf16(char)) for char in markup[position:stop])
        if stop == len(markup):
            break
        tag = _TAG.match(markup, stop)
        entity = _ENTITY.match(markup, stop)
        decoded = _decode(entity) if entity else ""
        if tag:
            closing = tag.group().startswith("</")
            atoms.append(_Atom(tag.group(), tag=tag.group(1).lower(), closing=closing))
            position = tag.end()
        elif entity and decoded:
            atoms.append(_Atom(entity.group(), decoded, _utf16(decoded)))
            position = entity.end()
        else:
            char = markup[stop]
            atoms.append(_Atom(char, char, 1))
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


# ------------------------------------------------------------------------------- chunking

_CLOSERS = frozenset("\"')]}”’»")
_SENTENCE_ENDS = frozenset(".!?…")
_EMPTY_PAIR = re.compile(r"<([A-Za-z][\w-]*)(?:\s[^>]*)?></\1>")
_PARAGRAPH, _NEWLINE, _SENTENCE, _SPACE = range(4)


def split_message(html: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split Telegram HTML into messages of at most `limit` visible characters each."""
    if limit < 2:
        raise ValueError("limit must be at least 2 (an emoji takes two UTF-16 units)")
    atoms = _atoms(html)
    chunks: list[str] = []
    opened: list[_Atom] = []
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


def _find_cut(atoms: list[_Atom], start: int, limit: int) -> tuple[int, int]:
    """Where this chunk ends and the next begins (they differ by a dropped space or newline)."""
    width = 0
    threshold = limit // 3
    preferred: list[int | None] = [None] * 4
    anywhere: list[int | None] = [None] * 4
    last_char, last_text_char, last_newline, newline_width = "", "", -1, 0
    for index in range(start, len(atoms)):
        atom = atoms[index]
        if not atom.width:
            continue
        if width + atom.width > limit:
            # A break less than a third of the way in would leave a stub (a heading alone),
            # so try every kind of break late in the window before any break early in it.
            for cut in (*preferred, *anywhere):
                if cut is not None:
                    return cut, cut + 1
            cut = _hard_cut(atoms, start, index)
            return cut, cut
        if atom.char in "\n \t" and last_text_char:
            candidates = [(_NEWLINE if atom.char == "\n" else _SPACE, index, width)]
            if last_char == "\n" == atom.char:
                candidates.append((_PARAGRAPH, last_newline, newline_width))
            if last_text_char in _SENTENCE_ENDS:
                candidates.append((_SENTENCE, index, width))
            for level, cut, before in candidates:
                anywhere[level] = cut
                if before >= threshold:
                    preferred[level] = cut
        if atom.char == "\n" and last_char != "\n":
            last_newline, newline_width = index, width
        if atom.char.strip() and atom.char not in _CLOSERS:
            last_text_char = atom.char
        last_char = atom.char
        width += atom.width
    return len(atoms), len(atoms)


def _hard_cut(atoms: list[_Atom], start: int, end: int) -> int:
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


def _open_after(opened: list[_Atom], atoms: list[_Atom]) -> list[_Atom]:
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


def _strip(atoms: list[_Atom], *, keep_indent: bool) -> list[_Atom]:
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
