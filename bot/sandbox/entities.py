"""Telegram's text pipeline: parse mode, explicit entities, trimming, auto-detected entities."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from bot.sandbox.common import JSONDict, bad_request
from bot.sandbox.telegram_html import HtmlParseError, parse_html
from bot.sandbox.textutil import Utf16Index, sort_entities, utf16_len

SPLITTABLE = ("bold", "italic", "underline", "strikethrough", "spoiler")
_BLOCKQUOTES = frozenset({"blockquote", "expandable_blockquote"})
_ENTITY_TYPES = frozenset(
    {
        *SPLITTABLE,
        *_BLOCKQUOTES,
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
    }
)
_ENTITY_FIELDS = ("offset", "length", "type", "url", "user", "language", "custom_emoji_id")
_TRIM = " \n"

# Approximations of tdlib's matchers (MessageEntity.cpp): commands, mentions, hashtags, URLs.
_DETECTORS = (
    (
        "bot_command",
        re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>@])"),
    ),
    ("mention", re.compile(r"(?<!\w)@[A-Za-z0-9_]{4,32}(?![\w@])")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*(?![\w#])")),
    ("url", re.compile(r"(?<![\w/@.])(?:https?://|www\.)[^\s<>\"]+[^\s<>\"'.,;:!?)\]}]")),
)


def format_text(raw: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JSONDict]]:
    """Turn a text parameter into Telegram's stored text and entities (may return "")."""
    if entities is not None:
        parsed = _explicit_entities(entities)
        text = raw
    elif parse_mode:
        if parse_mode.lower() != "html":
            raise bad_request("unsupported parse_mode")
        try:
            text, parsed = parse_html(raw)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc.description}") from None
    else:
        text, parsed = raw, []
    text, parsed = _trim(text, _clip(parsed, utf16_len(text)))
    if not text:
        return "", []
    return text, normalize(parsed + detect_entities(text, parsed))


def _explicit_entities(value: Any) -> list[JSONDict]:
    if not isinstance(value, list):
        raise bad_request("can't parse entities JSON object")
    result = []
    for item in value:
        if not isinstance(item, dict) or item.get("type") not in _ENTITY_TYPES:
            raise bad_request("can't parse MessageEntity: unsupported entity type")
        try:
            entity = {k: item[k] for k in _ENTITY_FIELDS if item.get(k) is not None}
            entity["offset"], entity["length"] = int(item["offset"]), int(item["length"])
        except (KeyError, TypeError, ValueError):
            raise bad_request("can't parse MessageEntity: wrong offset or length") from None
        if entity["type"] == "text_link" and not isinstance(entity.get("url"), str):
            raise bad_request('can\'t parse MessageEntity: field "url" must be of type String')
        result.append(entity)
    return result


def _clip(entities: list[JSONDict], length16: int) -> list[JSONDict]:
    clipped = []
    for entity in entities:
        offset = max(0, entity["offset"])
        end = min(length16, entity["offset"] + entity["length"])
        if end > offset:
            clipped.append({**entity, "offset": offset, "length": end - offset})
    return clipped


def _trim(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip leading/trailing spaces and newlines like tdlib, keeping entities aligned."""
    end = len(text.rstrip(_TRIM))
    if end == 0:
        return "", []
    end16 = Utf16Index(text).to_utf16(end)
    kept = []
    for entity in entities:
        if entity["offset"] < end16:
            kept.append({**entity, "length": min(entity["length"], end16 - entity["offset"])})
    lead = len(text) - len(text.lstrip(_TRIM))
    if kept:
        lead = min(lead, min(e["offset"] for e in kept))
    if lead:
        kept = [{**e, "offset": e["offset"] - lead} for e in kept]
    return text[lead:end], kept


def detect_entities(text: str, existing: list[JSONDict]) -> list[JSONDict]:
    """Entities Telegram adds by itself: bot commands, mentions, hashtags and URLs."""
    if not any(c in text for c in "/@#w"):
        return []
    blocked = [
        (e["offset"], e["offset"] + e["length"])
        for e in existing
        if e["type"] not in SPLITTABLE and e["type"] not in _BLOCKQUOTES
    ]
    index = Utf16Index(text)
    found: list[JSONDict] = []
    for kind, pattern in _DETECTORS:
        for match in pattern.finditer(text):
            start, end = index.to_utf16(match.start()), index.to_utf16(match.end())
            clash = any(s < end and start < e for s, e in blocked)
            if not clash:
                found.append({"offset": start, "length": end - start, "type": kind})
                blocked.append((start, end))
    return found


def normalize(entities: list[JSONDict]) -> list[JSONDict]:
    """tdlib's fix_entities: merge and split formatting around other entities, then sort."""
    pres = [(e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] == "pre"]

    def inside_pre(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in pres)

    others = [
        e
        for e in entities
        if e["type"] not in SPLITTABLE
        and not (e["type"] == "code" and inside_pre(e["offset"], e["offset"] + e["length"]))
    ]
    cuts = sorted({p for e in others for p in (e["offset"], e["offset"] + e["length"])})
    result = list(others)
    for kind in SPLITTABLE:
        spans = sorted(
            (e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] == kind
        )
        for start, end in _merge(spans):
            bounds = [start, *(c for c in cuts if start < c < end), end]
            for piece_start, piece_end in pairwise(bounds):
                if not inside_pre(piece_start, piece_end):
                    result.append(
                        {"offset": piece_start, "length": piece_end - piece_start, "type": kind}
                    )
    return sort_entities(result)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of sorted intervals; touching intervals merge too, as Telegram does."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
