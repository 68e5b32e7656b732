"""Run an ASGI app with uvicorn inside the current event loop: no signal handlers of its own
(the host process owns SIGINT and SIGTERM), Nagle off, and a shutdown that does not dawdle.
Used by `tandem run` for the web app and by the Bot API sandbox."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator

import uvicorn
from starlette.types import ASGIApp

STOP_TIMEOUT = 5.0
GRACEFUL_SHUTDOWN = 1.0
DRAIN_INTERVAL = 0.005


class PortInUse(OSError):
    """The requested port is taken; the message is one line for the operator."""


def bind_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket (port 0 picks a free one); PortInUse if the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must be IPPROTO_TCP: asyncio only sets TCP_NODELAY on accepted sockets whose
    # proto says TCP, and without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortInUse(f"Port {port} on {host} is already in use ({exc.strerror}).") from None
    return sock


class _EmbeddedServer(uvicorn.Server):
    """uvicorn without signal handlers, with an exit that does not wait for the next tick."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()
        self.exit_requested = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.1):
                    await self.exit_requested.wait()

    def request_exit(self) -> None:
        self.should_exit = True
        self.exit_requested.set()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn's own shutdown always sleeps 0.1 s and then polls every 0.1 s; the sandbox
        # releases its long polls first, so connections drain within a few loop turns.
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + GRACEFUL_SHUTDOWN
        while self.server_state.connections or self.server_state.tasks:
            if loop.time() > deadline:
                for task in self.server_state.tasks:
                    task.cancel()
                break
            await asyncio.sleep(DRAIN_INTERVAL)
        for server in self.servers:
            await server.wait_closed()
        await self.lifespan.shutdown()


class LoopbackServer:
    """Serves an ASGI app with uvicorn as a task of the running event loop."""

    def __init__(
        self, app: ASGIApp, host: str = "127.0.0.1", port: int = 0, *, name: str = "web"
    ) -> None:
        self.app = app
        self.name = name
        self.host = host
        self.port = port
        self._server: _EmbeddedServer | None = None
        self._task: asyncio.Task[None] | None = None
        self._socket: socket.socket | None = None

    @property
    def url(self) -> str:
        """http://host:port once started."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> None:
        """Bind, start serving and return once the server accepts connections."""
        if self._task is not None:
            raise RuntimeError("server already started")
        sock = bind_socket(self.host, self.port)
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            ws="none",
            lifespan="off",
            log_level="warning",
            access_log=False,
        )
        server = self._server = _EmbeddedServer(config)
        task = self._task = asyncio.create_task(
            server.serve(sockets=[sock]), name=f"{self.name}-uvicorn"
        )
        ready = asyncio.create_task(server.ready.wait())
        await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ready
            await self.stop()
            raise RuntimeError("uvicorn did not start")

    async def stop(self) -> None:
        """Stop serving and wait for uvicorn to finish (cancelling it if it hangs)."""
        server, task, sock = self._server, self._task, self._socket
        self._server = self._task = self._socket = None
        if server is not None:
            server.request_exit()
        if task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(task), STOP_TIMEOUT)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if sock is not None:
            sock.close()
