"""Unexpected input and a troubled Telegram: every case gets an answer and nothing crashes."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import Role
from bot.sandbox import SandboxClient
from tests.e2e.conftest import TOKEN, BotHarness
from tests.e2e.journeys import partner_joins, person, start_and_agree, stored_person
from tests.factories import make_cohort, make_invite


async def test_a_replayed_update_is_processed_once(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    update_id = await amina.send("/help")
    await amina.expect("How I can help")
    await telegram.replay(update_id)
    await amina.send("/settings")  # a fresh update after the replay, to know it was handled
    await amina.expect("Your settings")
    helps = [m for m in await amina.bot_messages() if "How I can help" in m["text"]]
    assert len(helps) == 1


async def test_a_replay_after_a_restart_is_still_processed_once(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    update_id = await amina.send("/help")
    await amina.expect("How I can help")
    await bot.restart()
    await telegram.replay(update_id)
    await amina.send("/settings")
    await amina.expect("Your settings")
    assert len([m for m in await amina.bot_messages() if "How I can help" in m["text"]]) == 1


@pytest.mark.parametrize(
    ("send", "answer"),
    [
        ("sticker", "Thanks for the sticker"),
        ("photo", "I can't look at photos here"),
        ("voice", "I've saved your voice note"),
        ("document", "I can't open files here"),
    ],
)
async def test_media_gets_a_kind_answer_and_a_way_on(
    bot: BotHarness,
    telegram: SandboxClient,
    db: Database,
    clock: FakeClock,
    send: str,
    answer: str,
) -> None:
    amina = await partner_joins(telegram, db, clock)
    if send == "document":
        await amina.send_document("notes.txt", b"my notes")
    else:
        await getattr(amina, f"send_{send}")()
    reply = await amina.expect(answer)
    assert reply["reply_markup"], "every answer offers a next step"


async def test_media_during_onboarding_shows_the_current_step_again(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await telegram.create_user("Amina")
    await amina.send(f"/start {make_invite(db, clock, make_cohort(db, clock))}")
    await amina.expect("welcome to Tandem")
    await amina.send_voice()
    reply = await amina.expect("voice note")
    assert "Tell me more" in str(reply["reply_markup"])


async def test_an_edited_message_is_acknowledged(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/help")
    await amina.expect("How I can help")
    sent = [m for m in await amina.messages() if m["from"] == "user"][-1]
    await amina.edit(sent["message_id"], "/settings")
    await amina.expect("I see you edited a message")
    assert not [m for m in await amina.bot_messages() if "Your settings" in m["text"]]


async def test_unknown_and_forbidden_commands(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.send("/frobnicate")
    unknown = await amina.expect("I don't know /frobnicate")
    assert "/settings" in unknown["text"] and "/invite" not in unknown["text"]
    await amina.send("/invite")
    await amina.expect("only for facilitators and coordinators")
    stranger = await telegram.create_user("Sam")
    await stranger.send("/settings")
    await stranger.expect("you need an invite link")


async def test_huge_text_is_handled(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await telegram.create_user("Amina")
    await start_and_agree(amina, make_invite(db, clock, make_cohort(db, clock)))
    await amina.send("Ä" * 4096)
    await amina.expect("a bit long for a name")
    await amina.send("<b>Amina</b> & co")
    await amina.expect("Which time zone")
    assert stored_person(db).preferred_name == "<b>Amina</b> & co"  # stored as typed, shown escaped


async def test_a_button_from_an_older_version_gets_a_way_on(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    # A message an earlier release of Tandem sent, with a button this release does not know.
    async with Bot(TOKEN, base_url=bot.sandbox.bot_api_base_url) as old_release:
        await old_release.send_message(
            amina.chat_id,
            "Old survey",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Answer", callback_data="survey:7")]]
            ),
        )
    await amina.expect("Old survey")
    await amina.press("Answer")
    toast = await amina.expect_toast()
    assert "earlier message" in toast["callback_answer"]["text"]
    reply = await amina.expect("Here's where we are now")
    assert reply["reply_markup"]


async def test_telegram_429_on_a_reply_is_waited_out(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await telegram.add_fault("sendMessage", chat_id=amina.chat_id, error_code=429, retry_after=1)
    await amina.send("/help")
    await amina.expect("How I can help")


async def test_telegram_5xx_on_a_reply_is_retried(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await telegram.add_fault("sendMessage", chat_id=amina.chat_id, error_code=502, times=2)
    await amina.send("/help")
    await amina.expect("How I can help")


async def test_a_timed_out_reply_leaves_the_conversation_usable(
    bot: BotHarness,
    telegram: SandboxClient,
    db: Database,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await bot.restart(read_timeout=0.3)
    amina = await telegram.create_user("Amina")
    await amina.send(f"/start {make_invite(db, clock, make_cohort(db, clock))}")
    await amina.expect("welcome to Tandem")
    await telegram.add_fault("sendMessage", chat_id=amina.chat_id, delay=1.0)
    await amina.press("Tell me more")  # the bot gives up waiting for Telegram's answer
    await amina.expect("Your role", timeout=5)  # ...which arrived late, as Telegram's can
    await amina.press("Next")
    await amina.expect("How we work together")
    assert not [m for m in await amina.bot_messages() if "went wrong" in m["text"]]
    assert "Telegram timed out" in caplog.text


async def test_a_blocked_bot_marks_the_person_unreachable(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await amina.block()
    await _until(lambda: stored_person(db).unreachable_since is not None)
    await amina.unblock()
    await _until(lambda: stored_person(db).unreachable_since is None)


async def test_a_403_on_a_reply_marks_the_person_unreachable(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    amina = await partner_joins(telegram, db, clock)
    await telegram.add_fault("sendMessage", chat_id=amina.chat_id, error_code=403)
    await amina.send("/help")
    await _until(lambda: stored_person(db).unreachable_since is not None)
    assert "blocked" in (stored_person(db).unreachable_reason or "")


async def test_a_flooding_person_does_not_slow_anyone_else(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    cohort = make_cohort(db, clock)
    flooder = await partner_joins(telegram, db, clock, cohort, "Flo")
    amina = await partner_joins(telegram, db, clock, cohort)
    await bot.restart(person_burst=5, person_window=1.0)
    flood = 25
    for number in range(flood):
        await flooder.send(f"message {number}")
    await amina.send("/help")
    answer = await amina.expect("How I can help")
    answered_then = [m for m in await flooder.bot_messages() if "saved your message" in m["text"]]
    # Amina was answered while most of the flood was still being paced...
    assert len(answered_then) < flood
    # ...and nothing the flooder said was lost: every message got its answer, in the end.
    for _ in range(flood):
        last = await flooder.expect("saved your message", timeout=15)
    assert await _sent_at(telegram, flooder.chat_id, last) > await _sent_at(
        telegram, amina.chat_id, answer
    )


async def _sent_at(telegram: SandboxClient, chat_id: int, message: dict[str, object]) -> float:
    """When the sandbox received a bot message (its event time)."""
    batch = await telegram.events(chat_id)
    return next(
        float(event["at"])
        for event in batch["events"]
        if event["type"] == "message" and event["message"]["message_id"] == message["message_id"]
    )


async def _until(condition: object, attempts: int = 200) -> None:
    """Wait (by polling the database, not by sleeping a guessed time) until true."""
    for _ in range(attempts):
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.025)
    raise AssertionError("condition never became true")


@pytest.mark.parametrize(
    ("role", "data"),
    [
        ("partner", "rsvp:x:yes"),
        ("partner", "js:"),
        ("facilitator", "rr:not-a-number"),
        ("facilitator", "mt:r:"),
    ],
)
async def test_button_data_that_does_not_parse_gets_the_stale_button_answer(
    bot: BotHarness,
    telegram: SandboxClient,
    db: Database,
    clock: FakeClock,
    role: str,
    data: str,
) -> None:
    # Only a modified client or an older release sends these; Tandem's own are well formed.
    kind = Role.FACILITATOR if role == "facilitator" else Role.PARTNER
    user = await person(telegram, db, clock, make_cohort(db, clock), "Sam", kind)
    await user.send("/help")
    await user.expect("How I can help")
    await user.forge_press(data)
    reply = await user.expect("Here's where we are now")
    assert reply["reply_markup"]
    assert "went wrong" not in await user.transcript()
