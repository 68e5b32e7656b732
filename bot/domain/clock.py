"""Time, injectable: production reads the system clock, tests move a fake one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Something that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime:
        """The current time in UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)


class FakeClock:
    """A clock that stands still until moved; for tests and benchmarks."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        """The fake current time."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move time forward."""
        self._now += delta

    def set(self, when: datetime) -> None:
        """Jump to a given time (aware)."""
        if when.tzinfo is None:
            raise ValueError("FakeClock.set needs an aware datetime")
        self._now = when


class ShiftedClock:
    """The real clock moved by a fixed offset: it runs at the real pace from another moment
    (the demo's clock, which starts in the daytime whatever the hour)."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    @classmethod
    def starting_at(cls, when: datetime) -> ShiftedClock:
        """A clock that reads `when` (aware) now."""
        if when.tzinfo is None:
            raise ValueError("ShiftedClock.starting_at needs an aware datetime")
        return cls(when - datetime.now(UTC))

    def now(self) -> datetime:
        """The real time plus the offset, in UTC."""
        return datetime.now(UTC) + self.offset
