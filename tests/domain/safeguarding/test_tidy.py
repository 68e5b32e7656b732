"""Tidying: a message as the phrases see it (case, quotes, contractions, slang)."""

from __future__ import annotations

import pytest

from bot.domain.safeguarding import normalise
from bot.domain.safeguarding.tidy import tidy


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
        # Polish without its marks, as typed on many phones (issue 19).
        ("Chcę się ZABIĆ, żółć Łódź", "chce sie zabic, zolc lodz"),
        ("café naïve", "cafe naive"),
        # Arabic: tashkeel and tatweel gone; alef, hamza, yeh and teh marbuta forms as one.
        ("أُرِيدُ أَنْ أَمُوتَ", "اريد ان اموت"),
        ("انـــتـــحـــار", "انتحار"),
        ("إِيذاء آخر ٱلموت", "ايذاء اخر الموت"),
        ("مسؤول شيء رئيس", "مسوول شيء رييس"),
        ("على مستشفى حياة", "علي مستشفي حياه"),
        ("أخذت ٣٠ حبة؟ نعم، لا؛", "اخذت 30 حبه? نعم, لا;"),
    ],
)
def test_text_is_tidied_before_matching(typed: str, tidied: str) -> None:
    assert normalise(typed) == tidied


def test_an_arabic_word_is_also_found_without_its_prefixes() -> None:
    text, words = tidy("وسأقتل نفسي بالانتحار")
    assert text == "وساقتل نفسي بالانتحار"
    assert {"وساقتل", "ساقتل", "اقتل", "نفسي", "بالانتحار", "انتحار"} <= words
    assert tidy("I want to die")[1] == {"i", "want", "to", "die"}
