"""Telegram's HTML parse mode: HTML to text + entities, with Telegram's errors.

Rendering text + entities back to HTML for a browser is in browser_html.py.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from bot.sandbox.common import JSONDict
from bot.sandbox.textutil import check_link, sort_entities, utf16_len

__all__ = ["HtmlParseError", "parse_html"]

_SPECIAL = re.compile(r"[<&]")
# tdlib's is_space() counts NUL as a space; "\0" is also our end-of-text sentinel.
_SPACE = frozenset(" \t\r\n\v\0")
_ATTR_NAME_STOP = _SPACE | frozenset("=>/\"'")
_NAME_TOKEN = frozenset(string.ascii_letters + string.digits + ".-")
_LETTERS = frozenset(string.ascii_letters)
_DECIMAL = frozenset(string.digits)
_HEX = frozenset(string.hexdigits)
_NAMED = {"lt": ord("<"), "gt": ord(">"), "amp": ord("&"), "quot": ord('"')}
_INT64 = re.compile(r"-?[0-9]+")
_TAGS = frozenset(
    {
        *("a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins"),
        *("tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote"),
    }
)
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}


class HtmlParseError(ValueError):
    """Telegram refused the HTML; `description` is its wording after "can't parse entities: "."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def parse_html(text: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram HTML into plain text and MessageEntity dicts (UTF-16 offsets)."""
    return _Parser(text).run()


def _decode_entity(src: str, pos: int) -> tuple[int, int]:
    """Decode the character reference at `pos` ('&'); (0, pos) when it stays literal."""
    n = len(src)
    end = pos + 1
    if end < n and src[end] == "#":
        end += 1
        is_hex = end < n and src[end] == "x"
        end += is_hex
        start = end
        digits = _HEX if is_hex else _DECIMAL
        while end < n and src[end] in digits:
            end += 1
        if end == start or end - pos >= 10:
            return 0, pos
        code = int(src[start:end], 16 if is_hex else 10)
        if code == 0 or code >= 0x10FFFF:
            return 0, pos
    else:
        while end < n and src[end] in _LETTERS:
            end += 1
        code = _NAMED.get(src[pos + 1 : end], 0)
        if not code:
            return 0, pos
    if end < n and src[end] == ";":
        end += 1
    return code, end


def _tag_argument(tag: str, name: str, value: str, current: str) -> str:
    """The one attribute each tag cares about; everything else is ignored, as in Telegram."""
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    if tag == "blockquote" and name == "expandable":
        return "1"
    return current


@dataclass(slots=True)
class _Open:
    tag: str
    argument: str
    offset: int
    out_index: int


class _Parser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.n = len(src)
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[JSONDict] = []
        self.has_surrogates = False

    def at(self, i: int) -> str:
        return self.src[i] if i < self.n else "\0"

    def error(self, message: str) -> HtmlParseError:
        return HtmlParseError(message)

    def byte_offset(self, i: int) -> int:
        return len(self.src[:i].encode("utf-8", "surrogatepass"))

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.utf16 += utf16_len(chunk)

    def run(self) -> tuple[str, list[JSONDict]]:
        i = 0
        while i < self.n:
            match = _SPECIAL.search(self.src, i)
            j = match.start() if match else self.n
            if j > i:
                self.emit(self.src[i:j])
                i = j
            elif self.src[i] == "&":
                i = self.entity(i)
            else:
                i = self.open_tag(i) if self.at(i + 1) != "/" else self.close_tag(i)
        if self.stack:
            tag = self.stack[-1].tag
            raise self.error(f'Can\'t find end tag corresponding to start tag "{tag}"')
        text = "".join(self.out)
        if self.has_surrogates:
            try:
                text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                raise self.error(
                    "Text contains invalid Unicode characters after decoding HTML entities, "
                    "check for unmatched surrogate code units"
                ) from None
        for entity in self.entities:
            entity.pop("_language", None)
        return text, sort_entities(self.entities)

    def entity(self, i: int) -> int:
        code, end = _decode_entity(self.src, i)
        if not code:
            self.emit("&")
            return i + 1
        self.has_surrogates |= 0xD800 <= code <= 0xDFFF
        self.out.append(chr(code))
        self.utf16 += 2 if code > 0xFFFF else 1
        return end

    def skip_spaces(self, i: int) -> int:
        while self.at(i) != "\0" and self.at(i) in _SPACE:
            i += 1
        return i

    def open_tag(self, begin: int) -> int:
        i = begin + 1
        while self.at(i) not in _SPACE and self.at(i) != ">":
            i += 1
        if self.at(i) == "\0":
            raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = self.src[begin + 1 : i].lower()
        if tag not in _TAGS:
            raise self.error(
                f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}'
            )
        argument = ""
        while self.at(i) != ">":
            i = self.skip_spaces(i)
            if self.at(i) != ">":
                argument, i = self.attribute(tag, begin, i, argument)
        if tag == "span" and argument != "spoiler":
            raise self.error(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.stack.append(_Open(tag, argument, self.utf16, len(self.out)))
        return i + 1

    def attribute(self, tag: str, begin: int, i: int, argument: str) -> tuple[str, int]:
        """Read the attribute at `i` in the start tag at `begin`; the tag's argument after it."""
        name_start = i
        while self.at(i) not in _ATTR_NAME_STOP:
            i += 1
        name = self.src[name_start:i]
        if not name:
            where = self.byte_offset(begin)
            raise self.error(f'Empty attribute name in the tag "{tag}" at byte offset {where}')
        i = self.skip_spaces(i)
        if self.at(i) != "=":
            if self.at(i) == "\0":
                raise self.unclosed(tag, begin)
            expandable = tag == "blockquote" and name == "expandable"
            return ("1" if expandable else argument), i
        i = self.skip_spaces(i + 1)
        if self.at(i) == "\0":
            raise self.unclosed(tag, begin)
        value, i = self.attribute_value(i)
        if self.at(i) == "\0":
            raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        return _tag_argument(tag, name, value, argument), i

    def unclosed(self, tag: str, begin: int) -> HtmlParseError:
        return self.error(f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}')

    def attribute_value(self, i: int) -> tuple[str, int]:
        quote = self.at(i)
        if quote not in ("'", '"'):
            start = i
            while self.at(i) in _NAME_TOKEN:
                i += 1
            if self.at(i) not in _SPACE and self.at(i) != ">":
                raise self.error(
                    f"Unexpected end of name token at byte offset {self.byte_offset(start)}"
                )
            return self.src[start:i].lower(), i
        i += 1
        parts: list[str] = []
        while self.at(i) != quote and self.at(i) != "\0":
            if self.src[i] == "&":
                code, end = _decode_entity(self.src, i)
                if code:
                    parts.append(chr(code))
                    i = end
                    continue
            parts.append(self.src[i])
            i += 1
        if self.at(i) == quote:
            i += 1
        return "".join(parts), i

    def close_tag(self, begin: int) -> int:
        if not self.stack:
            raise self.error(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while self.at(i) not in _SPACE and self.at(i) != ">":
            i += 1
        end_name = self.src[begin + 2 : i].lower()
        i = self.skip_spaces(i)
        if self.at(i) != ">":
            raise self.error(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        top = self.stack[-1]
        if end_name and end_name != top.tag:
            raise self.error(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{top.tag}>", found "</{end_name}>"'
            )
        self.stack.pop()
        if self.utf16 > top.offset:
            self.add_entity(top)
        return i + 1

    def add_entity(self, top: _Open) -> None:
        entity: JSONDict = {"offset": top.offset, "length": self.utf16 - top.offset}
        last = self.entities[-1] if self.entities else None
        same_range = last is not None and (last["offset"], last["length"]) == (
            entity["offset"],
            entity["length"],
        )
        if top.tag in _SIMPLE:
            entity["type"] = _SIMPLE[top.tag]
        elif top.tag == "tg-emoji":
            if not _INT64.fullmatch(top.argument) or not 0 < abs(int(top.argument)) < 2**63:
                raise self.error("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=str(int(top.argument)))
        elif top.tag == "a":
            url = check_link(top.argument or "".join(self.out[top.out_index :]))
            if url is None:
                return
            entity.update(type="text_link", url=url)
        elif top.tag == "pre":
            if same_range and last is not None and last["type"] == "code" and last.get("_language"):
                last.update(type="pre", language=last.pop("_language"))
                return
            entity["type"] = "pre"
        elif top.tag == "code":
            if same_range and last is not None and last["type"] == "pre" and top.argument:
                last["language"] = top.argument
                return
            entity.update(type="code", _language=top.argument)
        else:
            entity["type"] = "expandable_blockquote" if top.argument else "blockquote"
        self.entities.append(entity)
