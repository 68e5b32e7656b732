"""The web chat's directory: the demo's people, its invite link, a few hints, and the time
zone its clock shows (the demo's people live in the UK, wherever the browser is).

`tandem demo` registers it through POST /control/directory; the web chat page reads it to
label the people it can chat as. Validation is strict so a typo fails loudly with a 400.
"""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.sandbox.common import ApiError, JSONDict

ROLES = ("partner", "facilitator", "coordinator", "board")
MAX_PEOPLE = 200
MAX_HINTS = 20
MAX_TITLE = 100
MAX_LABEL = 100
MAX_NOTE = 200
MAX_HINT = 300
# Telegram's rule for a deep-link start parameter.
START_CODE = re.compile(r"[A-Za-z0-9_-]{1,64}")

_FIELDS = frozenset({"title", "people", "invite", "hints", "time_zone"})
_PERSON_FIELDS = frozenset({"user_id", "label", "role", "note"})
_INVITE_FIELDS = frozenset({"code", "link"})


def empty_directory() -> JSONDict:
    """The directory before anything is registered (and after a reset)."""
    return {"title": "", "people": [], "invite": None, "hints": [], "time_zone": None}


def parse_directory(data: Any) -> JSONDict:
    """Validate a posted directory and return it normalised; ApiError(400) on bad input."""
    _object(data, "the directory", _FIELDS)
    people = _list(data.get("people"), "people", MAX_PEOPLE)
    directory: JSONDict = {
        "title": _text(data.get("title"), "title", MAX_TITLE, required=False) or "",
        "people": [_person(entry, f"people[{n}]") for n, entry in enumerate(people)],
        "invite": None if data.get("invite") is None else _invite(data["invite"]),
        "hints": [
            _text(hint, f"hints[{n}]", MAX_HINT)
            for n, hint in enumerate(_list(data.get("hints"), "hints", MAX_HINTS))
        ],
        "time_zone": _zone(data.get("time_zone")),
    }
    seen: set[int] = set()
    for n, person in enumerate(directory["people"]):
        if person["user_id"] in seen:
            raise _bad(f"people[{n}].user_id {person['user_id']} is listed twice")
        seen.add(person["user_id"])
    return directory


def _bad(description: str) -> ApiError:
    return ApiError(400, description)


def _object(value: Any, where: str, allowed: frozenset[str]) -> None:
    if not isinstance(value, dict):
        raise _bad(f"{where} must be a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        expected = ", ".join(sorted(allowed))
        raise _bad(f"unknown field {unknown[0]!r} in {where} (expected: {expected})")


def _list(value: Any, where: str, limit: int) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _bad(f"{where} must be a list")
    if len(value) > limit:
        raise _bad(f"{where} has {len(value)} entries; at most {limit} are allowed")
    return value


def _text(value: Any, where: str, limit: int, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _bad(f"{where} must be a string")
    if required and not value.strip():
        raise _bad(f"{where} must not be empty")
    if len(value) > limit:
        raise _bad(f"{where} is {len(value)} characters long; at most {limit} are allowed")
    return value


def _person(value: Any, where: str) -> JSONDict:
    _object(value, where, _PERSON_FIELDS)
    user_id = value.get("user_id")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise _bad(f"{where}.user_id must be a positive integer")
    role = value.get("role")
    if role not in ROLES:
        raise _bad(f"{where}.role must be one of {', '.join(ROLES)}")
    return {
        "user_id": user_id,
        "label": _text(value.get("label"), f"{where}.label", MAX_LABEL),
        "role": role,
        "note": _text(value.get("note"), f"{where}.note", MAX_NOTE, required=False),
    }


def _zone(value: Any) -> str | None:
    """An IANA time zone name for the chat's clock (None: the browser's own)."""
    name = _text(value, "time_zone", 64, required=False)
    if name is None:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise _bad(f"time_zone {name!r} is not a known time zone, like Europe/London") from None
    return name


def _invite(value: Any) -> JSONDict:
    _object(value, "invite", _INVITE_FIELDS)
    code = _text(value.get("code"), "invite.code", 64)
    if code is None or not START_CODE.fullmatch(code):
        raise _bad("invite.code must be 1-64 characters of A-Z, a-z, 0-9, _ and -")
    link = _text(value.get("link"), "invite.link", 300)
    if link is None or not link.startswith("https://"):
        raise _bad("invite.link must be an https:// link")
    return {"code": code, "link": link}
