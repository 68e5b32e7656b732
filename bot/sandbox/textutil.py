"""UTF-16 offset arithmetic, entity ordering and link checks shared by the text modules."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any
from urllib.parse import urlsplit

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite"})

# tdlib's MessageEntity type priorities: the tie-breaker when offset and length are equal.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, Telegram's unit for lengths and offsets."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class Utf16Index:
    """Converts between UTF-16 offsets and Python string indices for one text."""

    def __init__(self, text: str) -> None:
        self._length = len(text)
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        self._astral16 = [pos + k for k, pos in enumerate(self._astral)]

    def to_utf16(self, index: int) -> int:
        """UTF-16 offset of Python index `index`."""
        if not self._astral:
            return index
        return index + bisect_left(self._astral, index)

    def to_index(self, offset16: int) -> int:
        """Python index of UTF-16 offset `offset16` (clamped to the text)."""
        if self._astral:
            offset16 -= bisect_left(self._astral16, offset16 - 1)
        return max(0, min(offset16, self._length))


def entity_sort_key(entity: dict[str, Any]) -> tuple[int, int, int]:
    """tdlib's entity order: by offset, longer first, then by type priority."""
    kind = entity["type"]
    priority = 10 if kind == "pre" and entity.get("language") else _PRIORITY.get(kind, 50)
    return (entity["offset"], -entity["length"], priority)


def sort_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return `entities` in the order Telegram reports them."""
    return sorted(entities, key=entity_sort_key)


def check_link(url: str) -> str | None:
    """Validate a link target like Telegram does; None when Telegram would drop the link."""
    url = url.strip()
    if not url:
        return None
    match = _SCHEME.match(url)
    if match is None:
        url = "http://" + url
        scheme = "http"
    else:
        scheme = match.group(1).lower()
    if scheme not in _LINK_SCHEMES:
        return None
    if scheme in ("http", "https"):
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return None
        if "." not in host and host != "localhost" and ":" not in host:
            return None
    elif len(url) <= len(scheme) + 1:
        return None
    return url
