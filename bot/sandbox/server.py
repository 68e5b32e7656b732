"""The sandbox ASGI app and a uvicorn server that runs inside the current event loop."""

from __future__ import annotations

from types import TracebackType

from starlette.applications import Starlette
from starlette.routing import Route

from bot.sandbox.botapi import bot_api_routes, not_found
from bot.sandbox.control import control_routes
from bot.sandbox.webchat import webchat_routes
from bot.sandbox.webhook import WebhookDelivery
from bot.sandbox.world import World
from bot.serving import LoopbackServer

DEFAULT_TOKEN = "123456:" + "A" * 35
STOP_TIMEOUT = 5.0
GRACEFUL_SHUTDOWN = 1.0
DRAIN_INTERVAL = 0.005


def create_app(world: World) -> Starlette:
    """The Starlette app serving the Bot API, the control API and the web chat for `world`."""
    routes = [
        *bot_api_routes(),
        *control_routes(),
        *webchat_routes(),
        Route("/{path:path}", not_found),
    ]
    app = Starlette(routes=routes)
    app.state.world = world
    app.state.webhooks = WebhookDelivery(world)
    return app


class SandboxServer:
    """A running Bot API sandbox: `async with SandboxServer(...) as server: ...`."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        username: str = "tandem_test_bot",
        host: str = "127.0.0.1",
        port: int = 0,
        enforce_limits: bool = False,
        *,
        first_name: str = "Tandem",
        clock_offset: float = 0.0,
    ) -> None:
        self.world = World(token, username, first_name)
        self.world.clock_offset = clock_offset
        if enforce_limits:
            self.world.limits.configure(enforce=True)
        self.app = create_app(self.world)
        self._server = LoopbackServer(self.app, host, port, name="sandbox")

    @property
    def url(self) -> str:
        """The sandbox's base URL, e.g. http://127.0.0.1:PORT."""
        return self._server.url

    @property
    def bot_api_base_url(self) -> str:
        """PTB's base_url (the token is appended by PTB)."""
        return self.url + "/bot"

    @property
    def bot_api_file_url(self) -> str:
        """PTB's base_file_url."""
        return self.url + "/file/bot"

    @property
    def token(self) -> str:
        """The bot token the sandbox accepts."""
        return self.world.token

    async def start(self) -> None:
        """Start serving."""
        self.world.open()
        await self._server.start()
        await self.app.state.webhooks.restart()

    async def stop(self) -> None:
        """Release long polls, stop webhook delivery and shut the server down."""
        self.world.close()
        await self.app.state.webhooks.aclose()
        await self._server.stop()

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
