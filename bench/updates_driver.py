"""The driver of bench/updates.py: a process of its own playing the people.

Each person starts with the invite code, then taps and types through onboarding and an
after-meeting reflection, pausing a "think time" between steps, and times each step from
the tap or message to the bot's answer reaching their chat (tap-to-reply). It prints one
line of JSON: how many completed, and the time of each step.

    .venv/bin/python bench/updates_driver.py SANDBOX_URL --code CODE --people 300
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
from typing import Any

STEPS = (
    ("Tell me more", "Your role"),
    ("Next", "How we work together"),
    ("Next", "Payment, expenses and support"),
    ("Next", "What we ask"),
    ("I agree", "Your reflections"),
    ("Yes, keep my answers", "What would you like me to call you?"),
    ("@name", "Which time zone"),
    ("UK time", "When should I stay quiet?"),
    ("9pm to 8am (suggested)", "You're all set"),
    # ONBOARDING_STEPS end here. The reflection: five questions answered, the last two
    # skipped, then the sharing choice.
    ("/reflect", "What would you like to reflect on?"),
    ("After the meeting · 5 min", "question 1 of 7"),
    ("4", "equal partner"),
    ("4", "What did you learn?"),
    ("@Who sits on the board, and how to ask a question.", "Did anything surprise you?"),
    ("@How much the papers leave out.", "anything you would do differently"),
    ("@Read the papers a day earlier.", "raise at the next meeting"),
    ("Skip", "Is anything troubling you"),
    ("Skip", "who can see this reflection?"),
    ("My facilitators (suggested)", "Thank you"),
)
ONBOARDING_STEPS = 9


async def drive(
    sandbox_url: str, code: str, people: int, think: float, ramp: float, steps: int
) -> dict[str, object]:
    """Play `people` partners onboarding at once; return what happened.

    The driver is kept lean (aiohttp, one long poll on the sandbox's all-chats feed for
    everyone) so that it, and not the bot, is never what limits the figures.
    """
    import aiohttp

    control = f"{sandbox_url}/control"
    connector = aiohttp.TCPConnector(limit=64)
    async with aiohttp.ClientSession(connector=connector) as http:
        users = []
        for n in range(people):
            async with http.post(f"{control}/users", json={"first_name": f"Person{n}"}) as r:
                users.append(await r.json())
        inboxes: dict[int, asyncio.Queue[str]] = {user["id"]: asyncio.Queue() for user in users}
        watcher = asyncio.create_task(_watch(http, control, inboxes))
        started = time.perf_counter()
        waits: list[tuple[str, float]] = []
        results = await asyncio.gather(
            *(
                _one_person(
                    http, control, user, code, think, ramp, inboxes[user["id"]], waits, steps
                )
                for user in users
            ),
            return_exceptions=True,
        )
        elapsed = time.perf_counter() - started
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
    failures = [repr(r) for r in results if isinstance(r, BaseException)]
    return {
        "people": people,
        "completed": people - len(failures),
        "seconds": elapsed,
        "failures": failures[:3],
        "tap_to_reply_ms": waits,
    }


async def _watch(http: Any, control: str, inboxes: dict[int, asyncio.Queue[str]]) -> None:
    """Route the text of every new or edited bot message to its chat's inbox."""
    position = 0
    while True:
        params = {"after": position, "timeout": 5}
        async with http.get(f"{control}/events", params=params) as response:
            batch = await response.json()
        for event in batch["events"]:
            if event["type"] in ("message", "edit") and event["chat_id"] in inboxes:
                inboxes[event["chat_id"]].put_nowait(event["message"].get("text") or "")
        position = batch["last"]


async def _expect(inbox: asyncio.Queue[str], fragment: str) -> None:
    async with asyncio.timeout(60):
        while fragment.lower() not in (await inbox.get()).lower():
            pass


async def _one_person(
    http: Any,
    control: str,
    user: dict[str, Any],
    code: str,
    think: float,
    ramp: float,
    inbox: asyncio.Queue[str],
    waits: list[tuple[str, float]],
    steps: int,
) -> None:
    async def act(action: str, body: dict[str, str]) -> None:
        async with http.post(f"{control}/users/{user['id']}/{action}", json=body) as response:
            if response.status != 200:
                raise RuntimeError(f"{action} {body}: {await response.text()}")

    await asyncio.sleep(random.uniform(0, ramp))  # people arrive over the ramp, not at once
    await act("text", {"text": f"/start {code}"})
    await _expect(inbox, "welcome to Tandem")
    for label, expected in STEPS[:steps]:
        await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
        started = time.perf_counter()
        if label == "@name":
            await act("press", {"text": f"Call me {user['first_name']}"})
        elif label.startswith(("@", "/")):
            await act("text", {"text": label.removeprefix("@")})
        else:
            await act("press", {"text": label})
        await _expect(inbox, expected)
        waits.append((label, (time.perf_counter() - started) * 1000))


def main() -> int:
    """Play the people against the sandbox at SANDBOX_URL; print what happened."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sandbox_url")
    parser.add_argument("--code", required=True, help="the invite code people start with")
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--ramp", type=float, default=3.0)
    parser.add_argument("--steps", type=int, default=len(STEPS), help="how many of STEPS")
    args = parser.parse_args()
    result = asyncio.run(
        drive(args.sandbox_url, args.code, args.people, args.think, args.ramp, args.steps)
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
