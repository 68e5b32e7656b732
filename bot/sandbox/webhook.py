"""Webhook delivery: POST each update to the bot in order, retrying until it is accepted."""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import suppress

import httpx

from bot.sandbox.models import WebhookConfig
from bot.sandbox.updates import Update
from bot.sandbox.world import World

logger = logging.getLogger(__name__)

FIRST_BACKOFF = 0.1
MAX_BACKOFF = 2.0


class WebhookDelivery:
    """Runs one delivery task while a webhook is set."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None

    async def restart(self) -> None:
        """Stop delivering; start again if a webhook is (still) set."""
        await self._cancel()
        config = self.world.webhook
        if config is None or self.world.closing:
            return
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=2.0))
        self._task = asyncio.create_task(self._deliver(config), name="sandbox-webhook")

    async def aclose(self) -> None:
        """Stop delivering and release the HTTP client."""
        await self._cancel()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _cancel(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _deliver(self, config: WebhookConfig) -> None:
        queue = self.world.updates
        wake = asyncio.Event()
        queue.listen(wake)
        backoff = FIRST_BACKOFF
        try:
            while True:
                batch = queue.peek(1)
                if not batch:
                    wake.clear()
                    await wake.wait()
                    continue
                self.world.mark_delivered(batch)
                if await self._post(config, batch[0]):
                    queue.ack(batch[0])
                    backoff = FIRST_BACKOFF
                else:
                    await asyncio.sleep(backoff)
                    backoff = min(MAX_BACKOFF, backoff * 2)
        finally:
            queue.unlisten(wake)

    async def _post(self, config: WebhookConfig, update: Update) -> bool:
        assert self._client is not None
        headers = {"Content-Type": "application/json"}
        if config.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = config.secret_token
        body = json.dumps(update.to_dict(), ensure_ascii=False).encode("utf-8")
        try:
            response = await self._client.post(config.url, content=body, headers=headers)
        except httpx.ConnectError:
            return self._failed(config, "Connection refused")
        except httpx.TimeoutException:
            return self._failed(config, "Read timeout expired")
        except httpx.HTTPError:
            return self._failed(config, "Connection reset by peer")
        if 200 <= response.status_code < 300:
            return True
        status = f"{response.status_code} {response.reason_phrase}".strip()
        return self._failed(config, f"Wrong response from the webhook: {status}")

    def _failed(self, config: WebhookConfig, message: str) -> bool:
        config.last_error_date = self.world.unix_now()
        config.last_error_message = message
        logger.debug("sandbox webhook delivery failed: %s", message)
        return False
