"""The bot's update queue: confirmation by offset, replays, listeners and latency timings."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from itertools import islice

from bot.sandbox.common import JSONDict, monotonic

ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
DEFAULT_ALLOWED_UPDATES = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}


@dataclass(slots=True, eq=False)
class Update:
    """One update with its delivery timings (monotonic seconds)."""

    update_id: int
    kind: str
    payload: JSONDict
    chat_id: int | None
    created_at: float = field(default_factory=monotonic)
    delivered_at: float | None = None
    first_reaction_at: float | None = None

    def to_dict(self) -> JSONDict:
        """The Telegram Update object."""
        return {"update_id": self.update_id, self.kind: self.payload}

    def timing(self) -> JSONDict:
        """The row reported by /control/timings."""
        return {
            "update_id": self.update_id,
            "chat_id": self.chat_id,
            "created_at": self.created_at,
            "delivered_at": self.delivered_at,
            "first_reaction_at": self.first_reaction_at,
        }


class UpdateQueue:
    """Pending updates in id order, plus replayed ones awaiting redelivery."""

    def __init__(self) -> None:
        self._next_id = 1
        self._pending: deque[Update] = deque()
        self._pending_ids: set[int] = set()
        self._replayed: dict[int, Update] = {}
        self._handed_out: set[int] = set()
        self._listeners: set[asyncio.Event] = set()
        self.history: dict[int, Update] = {}
        self.timeline: list[Update] = []

    def __len__(self) -> int:
        return len(self._pending) + len(self._replayed)

    def create(self, kind: str, payload: JSONDict, chat_id: int | None) -> Update:
        """A new update with the next id (ids grow even for updates that get filtered out)."""
        update = Update(self._next_id, kind, payload, chat_id)
        self._next_id += 1
        self.history[update.update_id] = update
        return update

    def push(self, update: Update) -> None:
        """Queue an update for the bot and wake listeners."""
        self._pending.append(update)
        self._pending_ids.add(update.update_id)
        self.timeline.append(update)
        self._notify()

    def confirm(self, offset: int) -> None:
        """getUpdates' offset: forget older updates (negative: keep only the last -offset)."""
        if offset < 0:
            while len(self._pending) > -offset:
                self._pop()
            return
        while self._pending and self._pending[0].update_id < offset:
            self._pop()
        for update_id in [i for i in self._handed_out if i < offset]:
            self._handed_out.discard(update_id)
            del self._replayed[update_id]

    def peek(self, limit: int) -> list[Update]:
        """Up to `limit` updates to hand out next, oldest first (replays first)."""
        batch: list[Update] = []
        if self._replayed:
            batch = sorted(self._replayed.values(), key=lambda u: u.update_id)[:limit]
        if len(batch) < limit:
            batch.extend(islice(self._pending, limit - len(batch)))
        return batch

    def handed_out(self, batch: list[Update]) -> None:
        """Note that replayed updates in `batch` reached the bot again."""
        for update in batch:
            if update.update_id in self._replayed:
                self._handed_out.add(update.update_id)

    def ack(self, update: Update) -> None:
        """A webhook accepted `update`: forget it."""
        if self._replayed.pop(update.update_id, None) is not None:
            self._handed_out.discard(update.update_id)
        elif self._pending and self._pending[0] is update:
            self._pop()

    def replay(self, update_id: int) -> Update:
        """Put a delivered update back in the queue under the same id (KeyError if unknown)."""
        update = self.history[update_id]
        if update_id not in self._pending_ids:
            self._replayed[update_id] = update
            self._handed_out.discard(update_id)
            self._notify()
        return update

    def drop_pending(self) -> None:
        """drop_pending_updates: forget everything not yet confirmed."""
        self._pending.clear()
        self._pending_ids.clear()
        self._replayed.clear()
        self._handed_out.clear()

    def clear(self) -> None:
        """Forget all updates and timings (ids keep growing, as Telegram's do)."""
        self.drop_pending()
        self.history.clear()
        self.timeline.clear()

    def listen(self, event: asyncio.Event) -> None:
        """Set `event` whenever an update is queued."""
        self._listeners.add(event)

    def unlisten(self, event: asyncio.Event) -> None:
        """Stop notifying `event`."""
        self._listeners.discard(event)

    def _pop(self) -> None:
        self._pending_ids.discard(self._pending.popleft().update_id)

    def _notify(self) -> None:
        for event in self._listeners:
            event.set()
