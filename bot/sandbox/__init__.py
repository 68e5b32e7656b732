"""An in-memory emulator of Telegram's Bot API for end-to-end tests, benchmarks and demos."""

from bot.sandbox.browser_html import entities_to_html
from bot.sandbox.client import ChatUser, SandboxClient, SandboxError
from bot.sandbox.server import DEFAULT_TOKEN, SandboxServer, create_app
from bot.sandbox.telegram_html import HtmlParseError, parse_html
from bot.sandbox.world import World
from bot.serving import LoopbackServer

__all__ = [
    "DEFAULT_TOKEN",
    "ChatUser",
    "HtmlParseError",
    "LoopbackServer",
    "SandboxClient",
    "SandboxError",
    "SandboxServer",
    "World",
    "create_app",
    "entities_to_html",
    "parse_html",
]
