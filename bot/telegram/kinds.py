"""What a button's payload is: a `Kind`, a prefix and typed fields, that builds, reads and
matches callback data (bot/telegram/callbacks.py names every kind Tandem sends).

`KIND(values...)` builds the data for a button; `KIND.parse(data)` reads it back (None when
it does not parse: an old release's button, or a modified client); `KIND.pattern` is what
app.py registers its handler with.

Every field is checked when read, here and nowhere else: a whole number is a database id,
an index or a time (0 to 2**31 - 1, what PostgreSQL's integer holds); a choice is one of its
listed words; free text comes last. Telegram caps callback data at 64 bytes: a text field is
cut to fit, never in the middle of a character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit

Field = type[int] | type[str] | tuple[str, ...]  # a whole number, text, or one of some words
INT_MAX = 2**31 - 1


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes without splitting a character."""
    return text.encode()[:limit].decode(errors="ignore")


@dataclass(frozen=True)
class Kind:
    """One sort of button: a prefix and typed fields (whole numbers, choices of words, and
    free text only last)."""

    prefix: str
    fields: tuple[Field, ...] = ()

    def __call__(self, *values: int | str) -> str:
        """The callback data for a button of this kind."""
        if len(values) != len(self.fields):
            raise TypeError(f"{self.prefix} takes {len(self.fields)} values, not {len(values)}")
        parts = [self.prefix]
        for number, (value, field) in enumerate(zip(values, self.fields, strict=True), 1):
            if ":" in str(value) and number < len(self.fields):
                raise ValueError(f"{self.prefix}: only the last field may hold a colon")
            if _read(str(value), field) is None or isinstance(value, bool):
                raise TypeError(f"{self.prefix}: {value!r} does not fit {field!r}")
            if field is int and not isinstance(value, int):
                raise TypeError(f"{self.prefix}: {value!r} is not a whole number")
            parts.append(str(value))
        data = ":".join(parts)
        if self.fields and self.fields[-1] is str:
            head = ":".join(parts[:-1]) + ":"
            data = head + clip(parts[-1], CALLBACK_DATA_LIMIT - len(head.encode()))
        if len(data.encode()) > CALLBACK_DATA_LIMIT:
            raise ValueError(f"callback data over {CALLBACK_DATA_LIMIT} bytes: {data!r}")
        return data

    def parse(self, data: str) -> tuple[Any, ...] | None:
        """The typed values of a button of this kind, or None if `data` is not one."""
        if not self.fields:
            return () if data == self.prefix else None
        head = self.prefix + ":"
        if not data.startswith(head):
            return None
        raw = data[len(head) :].split(":", len(self.fields) - 1)
        if len(raw) != len(self.fields):
            return None
        values = [_read(text, field) for text, field in zip(raw, self.fields, strict=True)]
        return None if any(value is None for value in values) else tuple(values)

    @property
    def pattern(self) -> str:
        """The regular expression PTB matches this kind's data with."""
        escaped = re.escape(self.prefix)
        return f"^{escaped}:" if self.fields else f"^{escaped}$"


def _read(text: str, field: Field) -> int | str | None:
    """One field's value from its text, or None when it does not fit."""
    if field is int:
        if not re.fullmatch(r"\d{1,10}", text) or int(text) > INT_MAX:
            return None
        return int(text)
    if isinstance(field, tuple):
        return text if text in field else None
    return text
