"""Screens for board members (issue 17): the partners' voice after a meeting, the two
questions, and what partners will read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.domain.board import DigestSection
from bot.domain.board.learnings import learning_words
from bot.models import BoardLearning, Meeting
from bot.telegram import callbacks
from bot.telegram.screens import help_button
from bot.telegram.services import Services
from bot.telegram.ui import Button, Screen, rows


def board_digest_screen(
    services: Services, meeting: Meeting, context: dict[str, Any], sections: Sequence[Any]
) -> Screen:
    """The lay partners' voice for a meeting, section by section, then the two questions."""
    texts = services.texts
    parts = [texts.render("board.digest.intro", **context)]
    for section in sections:
        assert isinstance(section, DigestSection)
        parts.append(
            texts.render(
                f"board.digest.{section.key}",
                lines=list(section.lines),
                entries=list(section.entries),
            )
        )
    parts.append(texts.render("board.digest.ask"))
    return Screen(
        "\n\n".join(parts),
        rows(
            Button(texts.render("board.buttons.answer"), callbacks.BOARD_DIGEST(meeting.id or 0)),
            help_button(services),
        ),
    )


def question_text(services: Services, question: str, meeting: str) -> str:
    """One of the two questions, as asked."""
    return services.texts.render(f"board.questions.{question}", meeting=meeting)


def preview_screen(services: Services, learning: BoardLearning) -> Screen:
    """What partners will read, with Send and Don't send."""
    texts = services.texts
    seen = texts.markup("board.learning_notice", meeting="", **learning_words(learning))
    return Screen(
        texts.render("board.preview", seen=seen),
        rows(
            (
                Button(
                    texts.render("board.buttons.send"),
                    callbacks.BOARD_LEARNING(learning.id or 0, "send"),
                ),
                Button(
                    texts.render("board.buttons.drop"),
                    callbacks.BOARD_LEARNING(learning.id or 0, "drop"),
                ),
            ),
        ),
    )
