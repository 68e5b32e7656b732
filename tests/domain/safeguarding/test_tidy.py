"""Tidying: a message as the phrases see it (case, quotes, contractions, slang)."""

from __future__ import annotations

import pytest

from bot.domain.safeguarding import normalise


@pytest.mark.parametrize(
    ("typed", "tidied"),
    [
        ("I’m", "i am"),
        ("im", "i am"),
        ("I've", "i have"),
        ("can't", "can not"),
        ("cant cannot", "can not can not"),
        ("don’t", "do not"),
        ("dont", "do not"),
        ("won't", "will not"),
        ("he's been", "he has been"),
        ("he's", "he is"),
        ("mum's car", "mum s car"),
        ("gonna wanna anymore", "going to want to any more"),
        ("him, scant, imply", "him, scant, imply"),
    ],
)
def test_text_is_tidied_before_matching(typed: str, tidied: str) -> None:
    assert normalise(typed) == tidied
