"""The kinds of update Tandem asks Telegram for (polling, the webhook and the router)."""

from __future__ import annotations

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
