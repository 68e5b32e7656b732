"""ChatUser: one simulated Telegram user, with a cursor over their chat's events."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from bot.sandbox.common import JSONDict

if TYPE_CHECKING:
    from bot.sandbox.client import SandboxClient

BOT_OUTPUT = ("message", "edit")
_FLAGS = (("edited", "edit_date"), ("deleted", "deleted"))


def describe(snapshot: JSONDict) -> str:
    """One transcript line for a message snapshot."""
    who = snapshot["from"]
    flags = [name for name, field in _FLAGS if snapshot.get(field)]
    head = f"#{snapshot['message_id']} {who}" + (f" ({', '.join(flags)})" if flags else "")
    body = snapshot.get("text") or snapshot.get("caption") or ""
    if snapshot["kind"] != "text":
        document = snapshot.get("document") or {}
        label = document.get("file_name") or snapshot["raw"].get("sticker", {}).get("emoji", "")
        body = f"[{snapshot['kind']} {label}]".replace(" ]", "]") + (f" {body}" if body else "")
    line = f"{head}: {body}"
    markup = snapshot.get("reply_markup") or {}
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    if rows:
        line += "  [" + " | ".join(button["text"] for row in rows for button in row) + "]"
    return line


def _matches(snapshot: JSONDict, fragment: str) -> bool:
    content = snapshot.get("text") or snapshot.get("caption") or ""
    return fragment.casefold() in content.casefold()


class ChatUser:
    """A user of the bot; waits return only what is new since the previous wait."""

    def __init__(self, client: SandboxClient, data: JSONDict) -> None:
        self._client = client
        self.id: int = data["id"]
        self.chat_id: int = data["id"]
        self.first_name: str = data["first_name"]
        self.last_name: str | None = data.get("last_name")
        self.username: str | None = data.get("username")
        self.language_code: str | None = data.get("language_code")
        self.cursor = 0
        self.last_message_id: int | None = None

    def __repr__(self) -> str:
        return f"ChatUser(id={self.id}, first_name={self.first_name!r})"

    async def _send(self, action: str, body: JSONDict | None = None) -> int:
        data = await self._client.act(self.id, action, body)
        if "message" in data:
            self.last_message_id = data["message"]["message_id"]
        return int(data["update_id"])

    async def send(self, text: str) -> int:
        """Send a text message; returns the update_id."""
        return await self._send("text", {"text": text})

    async def press(self, label_or_data: str, *, message_id: int | None = None) -> int:
        """Tap an inline button by label or callback_data; returns the update_id."""
        body = {"text": label_or_data, "data": label_or_data, "message_id": message_id}
        return await self._send("press", body)

    async def forge_press(self, data: str) -> int:
        """Send callback data no button carried, as a tampered client could."""
        return await self._send("forge", {"data": data})

    async def send_sticker(self, emoji: str = "👍") -> int:
        """Send a sticker."""
        return await self._send("sticker", {"emoji": emoji})

    async def send_photo(self, caption: str | None = None) -> int:
        """Send a photo."""
        return await self._send("photo", {"caption": caption})

    async def send_voice(self, duration: int = 5) -> int:
        """Send a voice note."""
        return await self._send("voice", {"duration": duration})

    async def send_document(
        self,
        file_name: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> int:
        """Send a file."""
        body = {
            "file_name": file_name,
            "content_base64": base64.b64encode(content).decode("ascii"),
            "mime_type": mime_type,
            "caption": caption,
        }
        return await self._send("document", body)

    async def edit(self, message_id: int, text: str) -> int:
        """Edit one of this user's text messages."""
        return await self._send("edit", {"message_id": message_id, "text": text})

    async def block(self) -> int:
        """Block the bot."""
        return await self._send("block")

    async def unblock(self) -> int:
        """Unblock the bot."""
        return await self._send("unblock")

    async def deactivate(self) -> None:
        """Delete the account."""
        await self._client.act(self.id, "deactivate")

    async def messages(self) -> list[JSONDict]:
        """Every message snapshot in the chat."""
        return await self._client.messages(self.chat_id)

    async def bot_messages(self) -> list[JSONDict]:
        """The bot's messages that are not deleted."""
        return [m for m in await self.messages() if m["from"] == "bot" and not m["deleted"]]

    async def last_bot_message(self) -> JSONDict | None:
        """The newest undeleted bot message, if any."""
        messages = await self.bot_messages()
        return messages[-1] if messages else None

    async def transcript(self) -> str:
        """The whole chat, one line per message."""
        lines = [describe(snapshot) for snapshot in await self.messages()]
        header = f"--- chat with {self.first_name} ({self.chat_id}) ---"
        return "\n".join([header, *(lines or ["(no messages)"])])

    async def _wait(
        self, accept: Callable[[JSONDict], bool], seconds: float, seen: list[JSONDict]
    ) -> JSONDict | None:
        """Advance the cursor to the first accepted event; None on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            remaining = max(0.0, deadline - loop.time())
            batch = await self._client.events(self.chat_id, after=self.cursor, timeout=remaining)
            self.cursor = min(self.cursor, batch["last"])
            events: list[JSONDict] = batch["events"]
            for event in events:
                self.cursor = event["seq"]
                if accept(event):
                    return event
                seen.append(event)
            if remaining <= 0:
                return None

    async def next_event(
        self,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - the specified helper signature
        types: Iterable[str] = BOT_OUTPUT,
    ) -> JSONDict:
        """The next event of one of `types`; AssertionError with the transcript on timeout."""
        wanted = tuple(types)
        event = await self._wait(lambda e: e["type"] in wanted, timeout, [])
        if event is None:
            raise AssertionError(
                f"no {'/'.join(wanted)} event within {timeout}s\n{await self.transcript()}"
            )
        return event

    async def expect(self, fragment: str, *, timeout: float = 5.0) -> JSONDict:  # noqa: ASYNC109
        """The next new or edited bot message containing `fragment` (case-insensitive)."""
        seen: list[JSONDict] = []

        def accept(event: JSONDict) -> bool:
            return event["type"] in BOT_OUTPUT and _matches(event["message"], fragment)

        event = await self._wait(accept, timeout, seen)
        if event is None:
            other = [describe(e["message"]) for e in seen if e["type"] in BOT_OUTPUT]
            raise AssertionError(
                f"no bot message containing {fragment!r} within {timeout}s; "
                f"bot messages seen meanwhile:\n"
                + ("\n".join(other) or "(none)")
                + f"\n\n{await self.transcript()}"
            )
        message: JSONDict = event["message"]
        return message

    async def expect_toast(self, *, timeout: float = 5.0) -> JSONDict:  # noqa: ASYNC109
        """The next callback_answer event."""
        return await self.next_event(timeout=timeout, types=("callback_answer",))

    async def expect_silence(self, seconds: float = 0.3) -> None:
        """Assert that the bot sends or edits nothing for `seconds`."""
        event = await self._wait(lambda e: e["type"] in BOT_OUTPUT, seconds, [])
        if event is not None:
            raise AssertionError(
                f"expected {seconds}s of silence, but the bot did: "
                f"{event['type']} {describe(event['message'])}\n\n{await self.transcript()}"
            )
