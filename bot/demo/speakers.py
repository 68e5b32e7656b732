"""Two partners who read in another language (issue 19), joining through the real chat from
phones set to it and tapping its buttons: Zofia reads in Polish and has read the first page
of a briefing in Polish; Layla reads in Arabic (right to left) and keeps a journal in it."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.library import languages
from bot.library.messages import Texts
from bot.sandbox import ChatUser
from bot.telegram import callbacks

__all__ = ["SPEAKERS", "join_speaking"]

# name, their phone's language, what the web chat says about them
SPEAKERS: tuple[tuple[str, str, str], ...] = (
    ("Zofia", "pl", "Reads in Polish; read a briefing in Polish"),
    ("Layla", "ar", "Reads in Arabic, right to left; keeps a journal in Arabic"),
)
LAYLA_WROTE = "كان الاجتماع مفيدًا، وشعرت أن صوتي مسموع."
_STEPS = (
    "onboarding.welcome.next",
    "onboarding.role.next",
    "onboarding.rules.next",
    "onboarding.support.next",
    "onboarding.agree.agree",
    "onboarding.consent.yes",
    "onboarding.name.keep",
    "onboarding.tz.london",
    "onboarding.quiet.21-8",
)


class _Phone:
    """One person in their language: what a button says, and the next screen with it."""

    def __init__(self, user: ChatUser, language: str, texts: Texts) -> None:
        self.user, self.language, self.texts = user, language, texts

    def said(self, key: str, **context: Any) -> str:
        with languages.speaking(self.language):
            rendered = self.texts.render(key, **context)
        return html.unescape(re.sub(r"<[^>]+>", "", rendered))

    async def offered(self, wanted: str) -> None:
        """Wait for a screen with a button saying `wanted` (or starting with it)."""
        while True:
            event = await self.user.next_event(types=("message", "edit"), timeout=15.0)
            markup = event["message"].get("reply_markup") or {}
            labels = [b["text"] for row in markup.get("inline_keyboard", []) for b in row]
            if any(label.startswith(wanted) for label in labels):  # "Topic (6)" counts too
                return

    async def tap(self, label_or_data: str, offered: str | None = None) -> None:
        """Wait for a screen offering the button (by label, or its label `offered`), then
        tap it."""
        await self.offered(offered or label_or_data)
        await self.user.press(label_or_data)


async def join_speaking(user: ChatUser, code: str, language: str, texts: Texts) -> None:
    """Join with an invite, through onboarding in `language`, then read or write a little."""
    phone = _Phone(user, language, texts)
    await user.send(f"/start {code}")
    for key in _STEPS:
        await phone.tap(phone.said(key, first_name=user.first_name))
    await phone.offered(phone.said("buttons.help"))
    if language == "pl":
        await user.send("/library")
        await phone.tap(callbacks.TOPIC("partnership"), phone.said("library.topics.partnership"))
        page = callbacks.BRIEFING_PAGE("working-in-pairs", 1)
        await phone.tap(page, phone.said("library.buttons.topics"))
        await phone.tap(phone.said("library.buttons.next"))
    else:
        await user.send("/reflect")
        await phone.tap(phone.said("reflect.buttons.journal"))
        await user.next_event(types=("message",), timeout=15.0)  # the journal's question
        await user.send(LAYLA_WROTE)
        await phone.tap(phone.said("reflect.sharing.buttons.private"))
    await user.next_event(types=("message", "edit"), timeout=15.0)
