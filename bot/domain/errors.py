"""One error tree for everything the domain refuses.

    TandemError                 base; `key` names the user-facing text in prompts/messages.yaml
     ├── InvalidInput           the person typed or chose something we cannot use
     ├── InviteError            an invite code cannot be used (unknown, expired, used up)
     ├── NotAllowed             the person's role does not permit this
     ├── NotFound               the thing asked for does not exist (any more)
     └── Conflict               the request clashes with the current state

Adapters translate `key` and `params` into words in one place (the Telegram error
translator, the web error page), so the domain never holds user-facing copy.
"""

from __future__ import annotations

from typing import Any


class TandemError(Exception):
    """A refusal with a key to user-safe text and the values that text may show."""

    def __init__(self, key: str, detail: str = "", **params: Any) -> None:
        super().__init__(detail or key)
        self.key = key
        self.params = params


class InvalidInput(TandemError):
    """The person typed or chose something we cannot use."""


class InviteError(TandemError):
    """An invite code cannot be used."""


class NotAllowed(TandemError):
    """The person's role does not permit this."""


class NotFound(TandemError):
    """The thing asked for does not exist (any more)."""


class Conflict(TandemError):
    """The request clashes with the current state."""
