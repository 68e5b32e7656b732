"""Bot API request parameters from the query string and JSON, urlencoded or multipart bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.requests import Request

from bot.sandbox.common import ApiError, bad_request

_TRUE = frozenset({"true", "1", "yes", "on"})


@dataclass(slots=True)
class Upload:
    """A file part of a multipart request."""

    data: bytes
    filename: str | None
    content_type: str | None


class Params:
    """Typed access to one call's parameters; form values arrive as strings (JSON inside)."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    @classmethod
    async def from_request(cls, request: Request) -> Params:
        """Merge query-string and body parameters (the body wins)."""
        values: dict[str, Any] = dict(request.query_params)
        uploads: dict[str, Upload] = {}
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";", 1)[0].strip()
            if content_type == "application/json":
                values.update(await _json_body(request))
            elif content_type == "multipart/form-data":
                async with request.form() as form:
                    for name, value in form.multi_items():
                        if isinstance(value, UploadFile):
                            data = await value.read()
                            uploads[name] = Upload(data, value.filename, value.content_type)
                        else:
                            values[name] = value
            elif content_type == "application/x-www-form-urlencoded":
                body = (await request.body()).decode("utf-8", "replace")
                values.update(parse_qsl(body, keep_blank_values=True))
        return cls(values, uploads)

    def raw(self, name: str) -> Any:
        """The value as sent (None when absent)."""
        return self.values.get(name)

    def get_str(self, name: str, default: str | None = None) -> str | None:
        """A string parameter."""
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, str):
            return value
        return json.dumps(value) if isinstance(value, dict | list) else str(value)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter; like Telegram, garbage reads as 0."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        try:
            return int(float(value)) if isinstance(value, float) else int(str(value).strip())
        except ValueError:
            return 0

    def required_int(self, name: str) -> int:
        """An integer parameter that must be present."""
        value = self.get_int(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def get_float(self, name: str, default: float = 0.0) -> float:
        """A number parameter."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            return default

    def get_bool(self, name: str, default: bool = False) -> bool:
        """A boolean parameter ("true"/"1" or JSON true)."""
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in _TRUE

    def get_json(self, name: str, error: str | None = None) -> Any:
        """A complex parameter, JSON-decoded when it arrived as a string."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(error or f"can't parse {name} JSON object") from None

    def chat_id(self) -> int:
        """chat_id: an integer; @usernames never resolve to private chats."""
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request("chat not found") from None

    def peek_chat_id(self) -> int | None:
        """chat_id if it is a valid integer, for fault matching and rate limits."""
        try:
            return self.chat_id() if "chat_id" in self.values else None
        except ApiError:
            return None


async def _json_body(request: Request) -> dict[str, Any]:
    body = await request.body()
    if not body:
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        raise bad_request("can't parse JSON encoded request body") from None
    if not isinstance(data, dict):
        raise bad_request("JSON encoded request body must be an object")
    return data
