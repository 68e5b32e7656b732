"""HTTP to the Bot API, retrying the failures Telegram itself calls temporary."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import httpx
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({500, 502, 503, 504})


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest that retries 5xx replies and refused connections a few times with jittered
    exponential backoff. A request that timed out after being sent is not retried here: it may
    have been delivered, and a blind retry could send a message twice."""

    def __init__(self, *, retries: int = 2, base_delay: float = 0.25, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._retries = retries
        self._base_delay = base_delay

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
        attempt = 0
        while True:
            try:
                code, payload = await super().do_request(
                    url,
                    method,
                    request_data,
                    read_timeout,
                    write_timeout,
                    connect_timeout,
                    pool_timeout,
                )
            except NetworkError as exc:
                if attempt >= self._retries or not isinstance(exc.__cause__, httpx.ConnectError):
                    raise
            else:
                if code not in RETRY_STATUSES or attempt >= self._retries:
                    return code, payload
            delay = self._base_delay * (2**attempt) * random.uniform(0.5, 1.5)
            attempt += 1
            log.info("Bot API call failed temporarily; retry %s in %.2fs", attempt, delay)
            await asyncio.sleep(delay)
