"""HTTP to the Bot API over aiohttp, retrying the failures Telegram itself calls temporary.

PTB ships an httpx transport; under load its connection pool and per-request overhead cost
the bot most of its CPU (bench/updates.py), so Tandem plugs aiohttp in through PTB's
documented `BaseRequest` interface instead. Requests without files go as a JSON body (the
Bot API takes `application/json`), not as a form: url-encoding a long HTML text byte by byte
cost more than sending it (also measured there).
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({500, 502, 503, 504})
_JSON = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """A PTB request backend on aiohttp.

    A 5xx reply or a refused connection is retried a few times with jittered exponential
    backoff. A request that timed out after it was sent is not retried here: Telegram may
    have acted on it, and a blind retry could send a message twice.
    """

    def __init__(
        self,
        *,
        connections: int = 16,
        read_timeout: float | None = 10.0,
        connect_timeout: float | None = 5.0,
        retries: int = 2,
        base_delay: float = 0.25,
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._retries = retries
        self._base_delay = base_delay
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout, in seconds."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the connection pool."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        """Close the connection pool."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send the request; retry temporary failures before giving the last answer back."""
        timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=_value(connect_timeout, self._connect_timeout),
            sock_read=_value(read_timeout, self._read_timeout),
        )
        attempt = 0
        while True:
            try:
                code, payload = await self._send(url, method, request_data, timeout)
            except aiohttp.ClientConnectorError as exc:
                if attempt >= self._retries:
                    raise NetworkError(f"Cannot connect to the Bot API: {exc}") from exc
            else:
                if code not in RETRY_STATUSES or attempt >= self._retries:
                    return code, payload
            delay = self._base_delay * (2**attempt) * random.uniform(0.5, 1.5)
            attempt += 1
            log.info("Bot API call failed temporarily; retry %s in %.2fs", attempt, delay)
            await asyncio.sleep(delay)

    async def _send(
        self,
        url: str,
        method: str,
        request_data: RequestData | None,
        limits: aiohttp.ClientTimeout,
    ) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        body: Any = None
        headers = None
        if request_data is not None:
            if request_data.contains_files:
                body = _form(request_data)
            else:
                body, headers = request_data.json_payload, _JSON
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=limits
            ) as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise TimedOut from exc
        except aiohttp.ClientConnectorError:
            raise
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


def _value(given: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(given, DefaultValue) else given


def _form(request_data: RequestData) -> aiohttp.FormData:
    """A multipart body: plain parameters as fields, files as file parts."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        filename, content, *rest = part
        form.add_field(
            name,
            content,
            filename=filename,
            content_type=rest[0] if rest else "application/octet-stream",
        )
    return form
