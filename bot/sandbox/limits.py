"""Fault injection and Telegram-style flood limits for Bot API calls."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from http import HTTPStatus

from bot.sandbox.common import ApiError, JSONDict, monotonic, too_many_requests

_DEFAULT_DESCRIPTIONS = {
    403: "Forbidden: bot was blocked by the user",
    400: "Bad Request: chat not found",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass(slots=True)
class Fault:
    """One injected fault: the next `times` matching calls are delayed and/or fail."""

    fault_id: int
    method: str
    chat_id: int | None = None
    error_code: int | None = None
    description: str | None = None
    retry_after: int | None = None
    delay: float | None = None
    times: int = 1

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether a call to `method` (any case) for `chat_id` triggers this fault."""
        if self.method != "*" and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError | None:
        """The error this fault answers with, or None when it only delays."""
        if self.error_code is None:
            return None
        if self.error_code == 429:
            retry_after = self.retry_after if self.retry_after is not None else 1
            error = too_many_requests(retry_after)
            if self.description:
                error.description = self.description
            return error
        description = self.description or _DEFAULT_DESCRIPTIONS.get(self.error_code)
        if description is None:
            try:
                description = HTTPStatus(self.error_code).phrase
            except ValueError:
                description = "Unknown Error"
        parameters = {"retry_after": self.retry_after} if self.retry_after else None
        return ApiError(self.error_code, description, parameters)

    def to_dict(self) -> JSONDict:
        """The fault as the control API lists it."""
        return {
            "fault_id": self.fault_id,
            "method": self.method,
            "chat_id": self.chat_id,
            "error_code": self.error_code,
            "description": self.description,
            "retry_after": self.retry_after,
            "delay": self.delay,
            "times": self.times,
        }


class FaultSet:
    """The active faults, consumed in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._next_id = 1

    def add(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        error_code: int | None = None,
        description: str | None = None,
        retry_after: int | None = None,
        delay: float | None = None,
        times: int = 1,
    ) -> Fault:
        """Register a fault and return it."""
        fault = Fault(
            self._next_id, method, chat_id, error_code, description, retry_after, delay, times
        )
        self._next_id += 1
        if fault.times > 0:
            self._faults.append(fault)
        return fault

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        """Consume one use of the first fault matching this call, if any."""
        if not self._faults:
            return None
        for fault in self._faults:
            if fault.matches(method, chat_id):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        """Forget every fault."""
        self._faults.clear()

    def to_list(self) -> list[JSONDict]:
        """The remaining faults."""
        return [fault.to_dict() for fault in self._faults]


@dataclass(slots=True)
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    stamp: float = field(default_factory=monotonic)

    def refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now

    def wait(self) -> float:
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class RateLimiter:
    """Token buckets: one global, one per chat; off unless enforced."""

    def __init__(self) -> None:
        self.enforce = False
        self.global_per_second = 30.0
        self.per_chat_per_second = 1.0
        self.per_chat_burst = 3.0
        self.reset()

    def configure(
        self,
        *,
        enforce: bool,
        global_per_second: float = 30,
        per_chat_per_second: float = 1,
        per_chat_burst: float = 3,
    ) -> None:
        """Switch enforcement and set the rates (buckets start full)."""
        if min(global_per_second, per_chat_per_second, per_chat_burst) <= 0:
            raise ValueError("limits must be positive")
        self.enforce = enforce
        self.global_per_second = float(global_per_second)
        self.per_chat_per_second = float(per_chat_per_second)
        self.per_chat_burst = float(per_chat_burst)
        self.reset()

    def reset(self) -> None:
        """Refill every bucket."""
        capacity = max(1.0, self.global_per_second)
        self._global = _Bucket(self.global_per_second, capacity, capacity)
        self._chats: dict[int, _Bucket] = {}

    def to_dict(self) -> JSONDict:
        """The current settings."""
        return {
            "enforce": self.enforce,
            "global_per_second": self.global_per_second,
            "per_chat_per_second": self.per_chat_per_second,
            "per_chat_burst": self.per_chat_burst,
        }

    def acquire(self, chat_id: int | None) -> None:
        """Take a send slot or raise 429 with the whole seconds until one frees up."""
        if not self.enforce:
            return
        now = monotonic()
        self._global.refill(now)
        buckets = [self._global]
        if chat_id is not None:
            bucket = self._chats.get(chat_id)
            if bucket is None:
                burst = max(1.0, self.per_chat_burst)
                bucket = _Bucket(self.per_chat_per_second, burst, burst, now)
                self._chats[chat_id] = bucket
            bucket.refill(now)
            buckets.append(bucket)
        wait = max(b.wait() for b in buckets)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        for bucket in buckets:
            bucket.tokens -= 1
