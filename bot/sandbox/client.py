"""An async client of the sandbox's control API."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import httpx

from bot.sandbox.chat_user import ChatUser
from bot.sandbox.common import JSONDict

__all__ = ["ChatUser", "SandboxClient", "SandboxError"]


class SandboxError(Exception):
    """The control API refused a request."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description


class SandboxClient:
    """Talks to /control with one httpx.AsyncClient; use as an async context manager."""

    def __init__(self, base_url: str, *, timeout: float = 10.0, max_connections: int = 100) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/control",
            timeout=timeout,
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
        )
        self._users: dict[int, ChatUser] = {}

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        wait: float = 0.0,
    ) -> Any:
        """Call the control API and return its JSON; raise SandboxError on an error status."""
        timeout = httpx.Timeout(self._timeout + wait)
        response = await self._http.request(method, path, json=json, params=params, timeout=timeout)
        if response.is_error:
            try:
                description = str(response.json().get("description", response.text))
            except ValueError:
                description = response.text
            raise SandboxError(response.status_code, description)
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.content

    # ------------------------------------------------------------------ users

    async def create_user(
        self,
        first_name: str,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str = "en",
        id: int | None = None,
        started: bool = False,
    ) -> ChatUser:
        """Create a Telegram user who can talk to the bot (`started`: who pressed Start
        before, so the bot may write first)."""
        body = {
            "first_name": first_name,
            "last_name": last_name,
            "username": username,
            "language_code": language_code,
            "id": id,
            "started": started,
        }
        data = await self.request("POST", "/users", json=body)
        user = self._users[data["id"]] = ChatUser(self, data)
        return user

    async def create_users(self, names: list[str], *, started: bool = True) -> list[JSONDict]:
        """Many users at once (for benchmarks and big tests); returns their User dicts."""
        body = {"users": [{"first_name": name} for name in names], "started": started}
        result: list[JSONDict] = await self.request("POST", "/users/bulk", json=body)
        return result

    async def user(self, id: int) -> ChatUser:
        """An existing user (the same object, with its cursor, if created by this client)."""
        if id in self._users:
            return self._users[id]
        for data in await self.users():
            if data["id"] == id:
                user = self._users[id] = ChatUser(self, data)
                return user
        raise SandboxError(404, f"no user {id}")

    async def users(self) -> list[JSONDict]:
        """Every user, as Telegram User dicts."""
        result: list[JSONDict] = await self.request("GET", "/users")
        return result

    async def act(self, user_id: int, action: str, body: JSONDict | None = None) -> JSONDict:
        """POST /control/users/{id}/{action}."""
        result: JSONDict = await self.request("POST", f"/users/{user_id}/{action}", json=body or {})
        return result

    # ------------------------------------------------------------------ world

    async def reset(self) -> None:
        """Forget users, chats, updates, faults and commands."""
        await self.request("POST", "/reset")
        self._users.clear()

    async def bot_info(self) -> JSONDict:
        """The bot's id, username, token and webhook."""
        result: JSONDict = await self.request("GET", "/bot")
        return result

    async def set_directory(self, directory: JSONDict) -> JSONDict:
        """Register the web chat's title, people, invite and hints; returns them normalised."""
        result: JSONDict = await self.request("POST", "/directory", json=directory)
        return result

    async def directory(self) -> JSONDict:
        """What the web chat lists (empty until registered)."""
        result: JSONDict = await self.request("GET", "/directory")
        return result

    async def replay(self, update_id: int) -> None:
        """Queue an already delivered update again under the same id."""
        await self.request("POST", f"/updates/{update_id}/replay")

    async def messages(self, chat_id: int) -> list[JSONDict]:
        """Snapshots of every message in the chat, oldest first."""
        result: list[JSONDict] = await self.request("GET", f"/chats/{chat_id}/messages")
        return result

    async def events(
        self,
        chat_id: int,
        *,
        after: int = 0,
        timeout: float = 0.0,  # noqa: ASYNC109 - the server-side long-poll duration
    ) -> JSONDict:
        """Chat events after `after`, long-polling up to `timeout` seconds."""
        params = {"after": after, "timeout": timeout}
        result: JSONDict = await self.request(
            "GET", f"/chats/{chat_id}/events", params=params, wait=timeout
        )
        return result

    async def feed(self, *, after: int = 0, timeout: float = 0.0, limit: int = 1000) -> JSONDict:  # noqa: ASYNC109
        """Events of every chat after feed position `after` (each with its chat_id)."""
        result: JSONDict = await self.request(
            "GET",
            "/events",
            params={"after": after, "timeout": timeout, "limit": limit},
            wait=timeout,
        )
        return result

    async def download(self, file_id: str) -> bytes:
        """A file's bytes."""
        response = await self._http.get(f"/files/{file_id}")
        if response.is_error:
            raise SandboxError(response.status_code, response.text)
        return response.content

    async def commands_for(self, chat_id: int) -> list[JSONDict]:
        """The command menu that chat's user sees."""
        result: list[JSONDict] = await self.request("GET", "/commands", params={"chat_id": chat_id})
        return result

    async def all_commands(self) -> list[JSONDict]:
        """Every registered scope with its commands."""
        result: list[JSONDict] = await self.request("GET", "/commands/all")
        return result

    # ------------------------------------------------------------------ faults and numbers

    async def add_fault(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        error_code: int | None = None,
        description: str | None = None,
        retry_after: int | None = None,
        delay: float | None = None,
        times: int = 1,
    ) -> int:
        """Make the next `times` matching Bot API calls wait and/or fail; returns the fault id."""
        body = {
            "method": method,
            "chat_id": chat_id,
            "error_code": error_code,
            "description": description,
            "retry_after": retry_after,
            "delay": delay,
            "times": times,
        }
        data = await self.request("POST", "/faults", json=body)
        return int(data["fault_id"])

    async def faults(self) -> list[JSONDict]:
        """The remaining faults."""
        result: list[JSONDict] = await self.request("GET", "/faults")
        return result

    async def clear_faults(self) -> None:
        """Remove every fault."""
        await self.request("DELETE", "/faults")

    async def set_limits(
        self,
        *,
        enforce: bool,
        global_per_second: float = 30,
        per_chat_per_second: float = 1,
        per_chat_burst: float = 3,
    ) -> None:
        """Switch Telegram-style flood limits on or off."""
        body = {
            "enforce": enforce,
            "global_per_second": global_per_second,
            "per_chat_per_second": per_chat_per_second,
            "per_chat_burst": per_chat_burst,
        }
        await self.request("POST", "/limits", json=body)

    async def stats(self) -> JSONDict:
        """Bot API request and error counts by method."""
        result: JSONDict = await self.request("GET", "/stats")
        return result

    async def timings(self) -> list[JSONDict]:
        """Per-update created/delivered/first-reaction times (monotonic seconds)."""
        result: list[JSONDict] = await self.request("GET", "/timings")
        return result
