"""The table of emulated Bot API methods and the context each handler receives."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.sandbox.params import Params

if TYPE_CHECKING:
    from bot.sandbox.webhook import WebhookDelivery
    from bot.sandbox.world import World


@dataclass(slots=True)
class ApiCall:
    """One Bot API call being served."""

    world: World
    params: Params
    method: str
    webhooks: WebhookDelivery


@dataclass(slots=True)
class ApiReply:
    """A result plus the top-level `description` Telegram adds for some methods."""

    result: Any
    description: str


Handler = Callable[[ApiCall], Awaitable[Any]]

# lower-case method name -> (Telegram's spelling, handler)
METHODS: dict[str, tuple[str, Handler]] = {}


def api_method(name: str) -> Callable[[Handler], Handler]:
    """Register a handler for the Bot API method `name` (matched case-insensitively)."""

    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = (name, handler)
        return handler

    return register
