"""The rate limiter's budgets, driven by a fake clock: what a person chatting waits for, what
the outbox keeps to, and how a 429 is waited out. Times are the fake clock's, never the wall's."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.telegram.pacing import BULK, PriorityRateLimiter

EPSILON = 1e-9


class FakeTime:
    """Virtual time: `sleep` parks a task until `run` moves the clock to its wake-up."""

    def __init__(self) -> None:
        self.time = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.time + max(0.0, seconds), next(self._order), future))
        await future

    async def run(self, tasks: list[asyncio.Task[Any]]) -> None:
        """Let the tasks run, moving the clock on whenever all of them are asleep."""
        while not all(task.done() for task in tasks):
            for _ in range(20):
                await asyncio.sleep(0)
            if all(task.done() for task in tasks):
                break
            assert self._sleepers, "every task is stuck"
            wake, _, future = heapq.heappop(self._sleepers)
            self.time = max(self.time, wake)
            future.set_result(None)
        for task in tasks:
            task.result()


class FakeTelegram:
    """Records when each call reached Telegram; may answer chosen calls with a 429."""

    def __init__(self, clock: FakeTime) -> None:
        self.clock = clock
        self.calls: list[tuple[str, int, float]] = []
        self.refuse: dict[tuple[str, int], int] = {}  # (method, chat) -> retry_after, once

    def call(
        self, limiter: PriorityRateLimiter, method: str, chat: int, *, bulk: bool = False
    ) -> Any:
        async def request() -> bool:
            retry_after = self.refuse.pop((method, chat), None)
            if retry_after is not None:
                raise RetryAfter(retry_after)
            self.calls.append((method, chat, self.clock.now()))
            return True

        return limiter.process_request(
            request, (), {}, method, {"chat_id": chat}, BULK if bulk else None
        )

    def times(self, method: str, chat: int | None = None) -> list[float]:
        return [t for m, c, t in self.calls if m == method and chat in (None, c)]


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


@pytest.fixture
def telegram(clock: FakeTime) -> FakeTelegram:
    return FakeTelegram(clock)


@pytest.fixture
def limiter(clock: FakeTime) -> PriorityRateLimiter:
    return PriorityRateLimiter(now=clock.now, sleep=clock.sleep)


async def later(clock: FakeTime, at: float, call: Any) -> Any:
    await clock.sleep(at)
    return await call


async def test_replies_taps_and_edits_never_wait_behind_a_queued_broadcast(
    clock: FakeTime, telegram: FakeTelegram, limiter: PriorityRateLimiter
) -> None:
    broadcast = [telegram.call(limiter, "sendMessage", chat, bulk=True) for chat in range(300)]
    person = 9999
    chatting = [
        later(clock, 2.0, telegram.call(limiter, "answerCallbackQuery", person)),
        later(clock, 2.0, telegram.call(limiter, "editMessageText", person)),
        later(clock, 2.0, telegram.call(limiter, "sendMessage", person)),
        later(clock, 2.0, telegram.call(limiter, "deleteMessage", person)),
    ]
    await clock.run([asyncio.create_task(c) for c in [*broadcast, *chatting]])

    assert len(telegram.times("sendMessage")) == 301
    # The broadcast takes about ten seconds; the person's calls all went at once at 2 s.
    assert max(telegram.times("sendMessage")) > 9.0
    for method in ("answerCallbackQuery", "editMessageText", "sendMessage", "deleteMessage"):
        assert telegram.times(method, person) == [pytest.approx(2.0, abs=0.05)], method


async def test_a_broadcast_keeps_to_30_a_second_overall_and_1_a_second_per_chat(
    clock: FakeTime, telegram: FakeTelegram, limiter: PriorityRateLimiter
) -> None:
    sends = [
        telegram.call(limiter, "sendMessage", chat, bulk=True)
        for _ in range(5)
        for chat in range(40)
    ]
    await clock.run([asyncio.create_task(c) for c in sends])

    times = sorted(telegram.times("sendMessage"))
    assert len(times) == 200
    busiest = max(sum(start <= t < start + 1 - EPSILON for t in times) for start in times)
    assert busiest <= 30
    for chat in range(40):
        gaps = [b - a for a, b in itertools.pairwise(telegram.times("sendMessage", chat))]
        assert len(gaps) == 4 and min(gaps) >= 1 - EPSILON, (chat, gaps)


async def test_replies_to_one_person_come_in_a_short_burst_then_one_a_second(
    clock: FakeTime, telegram: FakeTelegram, limiter: PriorityRateLimiter
) -> None:
    replies = [telegram.call(limiter, "sendMessage", 7) for _ in range(5)]
    await clock.run([asyncio.create_task(c) for c in replies])

    # Two at once, the third a quarter second later (Telegram allows a burst of about three;
    # the quarter is left for jitter on the way), then one a second.
    assert telegram.times("sendMessage") == pytest.approx([0, 0, 0.25, 1.25, 2.25])


async def test_replies_can_be_left_unpaced_per_chat_but_bulk_sends_never_are(
    clock: FakeTime, telegram: FakeTelegram
) -> None:
    limiter = PriorityRateLimiter(per_chat_rate=None, now=clock.now, sleep=clock.sleep)
    calls = [telegram.call(limiter, "sendMessage", 7) for _ in range(5)]
    calls += [telegram.call(limiter, "sendMessage", 7, bulk=True) for _ in range(2)]
    await clock.run([asyncio.create_task(c) for c in calls])

    times = telegram.times("sendMessage")
    assert times[:6] == pytest.approx([0] * 6)  # the replies, and the first bulk send
    assert times[6] == pytest.approx(1)  # the next bulk send a second later


async def test_a_reply_waiting_for_its_chats_budget_holds_up_no_broadcast(
    clock: FakeTime, telegram: FakeTelegram, limiter: PriorityRateLimiter
) -> None:
    replies = [telegram.call(limiter, "sendMessage", 1000) for _ in range(6)]  # 3.25 s of them
    to_them = [telegram.call(limiter, "sendMessage", 1000, bulk=True) for _ in range(2)]
    broadcast = [telegram.call(limiter, "sendMessage", chat, bulk=True) for chat in range(60)]
    await clock.run([asyncio.create_task(c) for c in [*replies, *to_them, *broadcast]])

    times = telegram.times("sendMessage", 1000)
    # The replies, as fast as allowed.
    assert times[:6] == pytest.approx([0, 0, 0.25, 1.25, 2.25, 3.25])
    gaps = [b - a for a, b in itertools.pairwise(times[5:])]
    assert len(gaps) == 2 and min(gaps) >= 1 - EPSILON  # then the bulk ones, a second apart
    bulk = sorted(t for _, chat, t in telegram.calls if chat != 1000)
    assert len(bulk) == 60 and bulk[-1] < 2.5  # about 2 s at 29 a second, not held to 3.25 s


async def test_replies_to_many_people_keep_to_30_a_second_overall(
    clock: FakeTime, telegram: FakeTelegram, limiter: PriorityRateLimiter
) -> None:
    replies = [telegram.call(limiter, "sendMessage", chat) for chat in range(90)]
    await clock.run([asyncio.create_task(c) for c in replies])

    # A burst of 20 (two thirds of what Telegram lets through at once), then 30 a second.
    times = sorted(telegram.times("sendMessage"))
    assert all(t >= (n - 19) / 30 - EPSILON for n, t in enumerate(times)), times
    assert times[-1] == pytest.approx((90 - 20) / 30)


async def test_a_429_on_a_send_pauses_every_send_then_the_call_is_retried(
    clock: FakeTime, telegram: FakeTelegram, limiter: PriorityRateLimiter
) -> None:
    telegram.refuse[("sendMessage", 3)] = 2
    broadcast = [telegram.call(limiter, "sendMessage", chat, bulk=True) for chat in range(30)]
    other_chat_edit = later(clock, 0.5, telegram.call(limiter, "editMessageText", 20))
    await clock.run([asyncio.create_task(c) for c in [*broadcast, other_chat_edit]])

    refused_at = telegram.times("sendMessage", 2)[0]  # the send just before the refused one
    retried_at = telegram.times("sendMessage", 3)[0]
    assert retried_at >= refused_at + 2 - EPSILON
    sends = telegram.times("sendMessage")
    assert len(sends) == 30
    assert not [t for t in sends if refused_at + 0.1 < t < refused_at + 2 - EPSILON]
    # An edit of a message in another chat is no send: the pause does not hold it.
    assert telegram.times("editMessageText", 20) == [pytest.approx(0.5)]


async def test_a_429_on_an_edit_pauses_that_chat_only(
    clock: FakeTime, telegram: FakeTelegram, limiter: PriorityRateLimiter
) -> None:
    telegram.refuse[("editMessageText", 5)] = 3
    calls = [
        telegram.call(limiter, "editMessageText", 5),
        later(clock, 1.0, telegram.call(limiter, "answerCallbackQuery", 5)),
        later(clock, 1.0, telegram.call(limiter, "sendMessage", 6)),
    ]
    await clock.run([asyncio.create_task(c) for c in calls])

    assert telegram.times("editMessageText", 5) == [pytest.approx(3.0)]
    assert telegram.times("answerCallbackQuery", 5) == [pytest.approx(3.0)]
    assert telegram.times("sendMessage", 6) == [pytest.approx(1.0)]


async def test_a_call_refused_every_time_gives_up_after_its_retries(
    clock: FakeTime, telegram: FakeTelegram
) -> None:
    limiter = PriorityRateLimiter(max_retries=2, now=clock.now, sleep=clock.sleep)

    async def refused() -> bool:
        raise RetryAfter(1)

    call = limiter.process_request(refused, (), {}, "sendMessage", {"chat_id": 1}, None)
    task = asyncio.create_task(call)
    with pytest.raises(RetryAfter):
        await clock.run([task])
    assert clock.now() == pytest.approx(2.0)
