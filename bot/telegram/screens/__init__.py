"""Screens: pure functions turning domain data into text and buttons (no sending here)."""

from __future__ import annotations

import functools

from bot.domain.errors import TandemError
from bot.library import languages
from bot.library.messages import Texts
from bot.telegram import callbacks
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows


def help_button(services: Services) -> Button:
    """The "What can I do?" button that ends most dead ends."""
    return _help_button(services.texts, languages.current())


@functools.lru_cache(maxsize=16)
def _help_button(texts: Texts, language: str) -> Button:
    """Made once for each set of texts and language: a broadcast puts it under every copy."""
    return Button(texts.render("buttons.help"), callbacks.HELP())


def error_screen(services: Services, error: TandemError) -> Screen:
    """A refusal as a kind message with a way on."""
    key = f"errors.{error.key}"
    texts = services.texts
    text = texts.render(key, **error.params) if texts.has(key) else texts.render("errors.generic")
    return Screen(text, rows(help_button(services)))
