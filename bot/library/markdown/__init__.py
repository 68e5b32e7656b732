"""Briefing Markdown as Telegram HTML: rendering, pages at `## ` headings, and message-sized chunks.

render.py    Markdown to Telegram HTML, every character it did not write escaped
sections.py  a briefing's pages, split at its `## ` headings
length.py    the length of Telegram HTML, as Telegram counts it
chunks.py    Telegram HTML split into messages of at most Telegram's limit
"""

from bot.library.markdown.chunks import TELEGRAM_LIMIT, split_message
from bot.library.markdown.length import visible_length
from bot.library.markdown.render import render_markdown
from bot.library.markdown.sections import Section, split_sections

__all__ = [
    "TELEGRAM_LIMIT",
    "Section",
    "render_markdown",
    "split_message",
    "split_sections",
    "visible_length",
]
