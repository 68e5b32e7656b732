"""Journeys people take, as reusable steps for end-to-end tests."""

from __future__ import annotations

import asyncio

from bot.sandbox import ChatUser


async def expect_all(user: ChatUser, *fragments: str, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Wait until the bot has sent messages containing every fragment, in any order (notices
    sent at the same moment through the outbox may arrive either way round)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        said = [m.get("text") or "" for m in await user.bot_messages()]
        missing = [f for f in fragments if not any(f.lower() in text.lower() for text in said)]
        if not missing:
            return
        if loop.time() > deadline:
            raise AssertionError(f"no message containing {missing}:\n{await user.transcript()}")
        await asyncio.sleep(0.05)


async def onboard_partner(user: ChatUser, code: str, *, name: str | None = None) -> None:
    """A partner joins with an invite and completes onboarding by tapping (typing a name if
    given)."""
    await user.send(f"/start {code}")
    await user.expect("welcome to Tandem")
    await user.press("Tell me more")
    await user.expect("Your role")
    await user.press("Next")
    await user.expect("How we work together")
    await user.press("Next")
    await user.expect("Payment, expenses and support")
    await user.press("Next")
    await user.expect("What we ask")
    await user.press("I agree")
    await user.expect("Your reflections")
    await user.press("Yes, keep my answers")
    await user.expect("What would you like me to call you?")
    if name is None:
        await user.press(f"Call me {user.first_name}")
    else:
        await user.send(name)
    await user.expect("Which time zone")
    await user.press("UK time")
    await user.expect("When should I stay quiet?")
    await user.press("9pm to 8am (suggested)")
    await user.expect("You're all set")


async def onboard_staff(user: ChatUser, code: str) -> None:
    """A facilitator or coordinator joins and completes the shorter onboarding."""
    await user.send(f"/start {code}")
    await user.expect("You're joining as")
    await user.press("I understand")
    await user.expect("What would you like me to call you?")
    await user.press(f"Call me {user.first_name}")
    await user.expect("Which time zone")
    await user.press("UK time")
    await user.expect("When should I stay quiet?")
    await user.press("No quiet hours")
    await user.expect("You're set up as")


AGREEMENT_STEPS = (
    ("Tell me more", "Your role"),
    ("Next", "How we work together"),
    ("Next", "Payment, expenses and support"),
    ("Next", "What we ask"),
    ("I agree", "Your reflections"),
    ("Yes, keep my answers", "What would you like me to call you?"),
)


async def tap_through(user: ChatUser, steps: tuple[tuple[str, str], ...]) -> None:
    """Tap each label and wait for the screen that should follow it."""
    for label, expected in steps:
        await user.press(label)
        await user.expect(expected)


async def start_and_agree(user: ChatUser, code: str) -> None:
    """Join and agree to everything, stopping at the name question."""
    await user.send(f"/start {code}")
    await user.expect("welcome to Tandem")
    await tap_through(user, AGREEMENT_STEPS)
