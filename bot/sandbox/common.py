"""Types and errors shared by every sandbox module."""

from __future__ import annotations

import time
from typing import Any

JSONDict = dict[str, Any]


class ApiError(Exception):
    """An error reply: HTTP status (= Telegram error_code), description, optional parameters."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def to_dict(self) -> JSONDict:
        """Render the Bot API error envelope."""
        body: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 error with Telegram's `Bad Request: ` prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """A 403 error with Telegram's `Forbidden: ` prefix."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 error carrying `parameters.retry_after`, as Telegram sends it."""
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def unix_now() -> int:
    """Wall-clock seconds, the unit of Telegram's `date` fields."""
    return int(time.time())


def monotonic() -> float:
    """Monotonic seconds, used for latency timings."""
    return time.monotonic()
