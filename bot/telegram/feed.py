"""Webhook updates into the Application's queue (the web adapter never touches `telegram`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot.telegram.services import TandemApplication


def update_feed(application: TandemApplication) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """A coroutine function that queues one raw webhook update for processing."""

    async def feed(data: dict[str, Any]) -> None:
        await application.update_queue.put(Update.de_json(data, application.bot))

    return feed
