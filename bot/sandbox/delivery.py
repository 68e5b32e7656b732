"""How updates reach the bot: the allowed_updates filter, getUpdates' long poll and its
conflicts, and when each update was delivered and first reacted to."""

from __future__ import annotations

import asyncio
from contextlib import suppress

from bot.sandbox.common import ApiError, JSONDict, monotonic
from bot.sandbox.models import Chat, WebhookConfig
from bot.sandbox.updates import DEFAULT_ALLOWED_UPDATES, Update, UpdateQueue

__all__ = ["UpdateDelivery"]

_CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


class _Poll:
    """The getUpdates call currently held open."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.conflict: str | None = None

    def terminate(self, reason: str) -> None:
        self.conflict = reason
        self.event.set()


class UpdateDelivery:
    """The update queue and its delivery to the bot; WorldState adds chats and the rest."""

    # Owned by WorldState: the chats (whose delivered updates await a reaction) and
    # whether the server is stopping.
    chats: dict[int, Chat]
    closing: bool

    def __init__(self) -> None:
        self.updates = UpdateQueue()
        self.webhook: WebhookConfig | None = None
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._poll: _Poll | None = None

    def release_poll(self) -> None:
        """Let a held getUpdates return at once (the server is stopping)."""
        if self._poll is not None:
            self._poll.event.set()

    def enqueue(self, kind: str, payload: JSONDict, chat_id: int | None) -> Update:
        """Create an update; queue it unless allowed_updates filters its type out."""
        update = self.updates.create(kind, payload, chat_id)
        if kind in self.allowed_updates:
            self.updates.push(update)
        return update

    def set_allowed_updates(self, allowed: list[str] | None) -> None:
        """Store allowed_updates (None keeps the previous setting, [] restores the default)."""
        if allowed is None:
            return
        self.allowed_updates = frozenset(allowed) if allowed else DEFAULT_ALLOWED_UPDATES

    async def get_updates(self, offset: int, limit: int, wait: float) -> list[Update]:
        """getUpdates: confirm by offset, then return pending updates, long-polling if none."""
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        if self._poll is not None:
            self._poll.terminate(_CONFLICT_POLL)
        if offset:
            self.updates.confirm(offset)
        batch = self.updates.peek(limit)
        if not batch and wait > 0 and not self.closing:
            await self._hold(wait)
            batch = self.updates.peek(limit)
        self.mark_delivered(batch)
        return batch

    async def _hold(self, wait: float) -> None:
        """Wait up to `wait` seconds for an update; 409 when another call ends this one."""
        poll = self._poll = _Poll()
        self.updates.listen(poll.event)
        try:
            with suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await poll.event.wait()
        finally:
            self.updates.unlisten(poll.event)
            if self._poll is poll:
                self._poll = None
        if poll.conflict is not None:
            raise ApiError(409, poll.conflict)

    def terminate_poll(self, reason: str) -> None:
        """End a held getUpdates with 409 (e.g. when a webhook gets set)."""
        if self._poll is not None:
            self._poll.terminate(reason)

    def mark_delivered(self, batch: list[Update]) -> None:
        """Record that `batch` was handed to the bot."""
        now = monotonic()
        for update in batch:
            if update.delivered_at is None:
                update.delivered_at = now
                chat = self.chats.get(update.chat_id) if update.chat_id is not None else None
                if chat is not None:
                    chat.awaiting.append(update)
        self.updates.handed_out(batch)

    def note_reaction(self, chat_id: int) -> None:
        """The bot made a call concerning `chat_id`: delivered updates there got a reaction."""
        chat = self.chats.get(chat_id)
        if chat is None or not chat.awaiting:
            return
        now = monotonic()
        for update in chat.awaiting:
            if update.first_reaction_at is None:
                update.first_reaction_at = now
        chat.awaiting.clear()
