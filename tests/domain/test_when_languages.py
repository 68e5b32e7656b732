"""Dates, times and quiet hours typed in Polish and Arabic (issue 19), and still in English."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from bot.domain.errors import InvalidInput
from bot.domain.timezones import QuietHours, parse_quiet_hours
from bot.domain.when import parse_clock_time, parse_local, read_words, words_file
from bot.library import languages, paths

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # a Friday
DEC_3_2PM = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
TOMORROW_2PM = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
NIGHT = QuietHours(22 * 60, 7 * 60)


def read(code: str, typed: str) -> datetime:
    """A date and time as a reader of `code` typing it would have it read."""
    with languages.speaking(code):
        return parse_local(typed, zone="Europe/London", now=NOW)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3 grudnia 14:00", DEC_3_2PM),  # the genitive, as a date is written
        ("3 grudzień 14:00", DEC_3_2PM),  # the nominative
        ("3 Grudnia 14:00", DEC_3_2PM),
        ("3 gru 14:00", DEC_3_2PM),
        ("czwartek 3 grudnia 14:00", DEC_3_2PM),
        ("3 grudnia 2026 o godz. 14:00", DEC_3_2PM),
        ("3 Dec 14:00", DEC_3_2PM),  # English still
        ("3.12 14:00", DEC_3_2PM),  # as the Polish prompt suggests (not 3 November)
        ("3.12. 14.00", DEC_3_2PM),
        ("10 czerwca 9:30", datetime(2027, 6, 10, 8, 30, tzinfo=UTC)),  # next June, summer time
        ("2 października 10:00", datetime(2027, 10, 2, 9, 0, tzinfo=UTC)),
        ("2 pazdziernika 10:00", datetime(2027, 10, 2, 9, 0, tzinfo=UTC)),  # no diacritics
        ("1 luty 9:00", datetime(2027, 2, 1, 9, 0, tzinfo=UTC)),
        ("jutro 14:00", TOMORROW_2PM),
        ("Jutro o 14:00", TOMORROW_2PM),
        ("dziś 18:00", datetime(2026, 11, 27, 18, 0, tzinfo=UTC)),
        ("dzisiaj 18:00", datetime(2026, 11, 27, 18, 0, tzinfo=UTC)),
        ("pojutrze 9:00", datetime(2026, 11, 29, 9, 0, tzinfo=UTC)),
        ("tomorrow 14:00", TOMORROW_2PM),
    ],
)
def test_polish_dates_are_read(typed: str, expected: datetime) -> None:
    assert read("pl", typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3 ديسمبر 14:00", DEC_3_2PM),
        ("٣ ديسمبر ١٤:٠٠", DEC_3_2PM),  # Arabic-Indic digits
        ("۳ ديسمبر ۱۴:۰۰", DEC_3_2PM),  # and the Eastern ones
        ("ديسمبر 3 14:00", DEC_3_2PM),
        ("3 الديسمبر 14:00", DEC_3_2PM),  # with "ال"
        ("الخميس 3 ديسمبر 14:00", DEC_3_2PM),
        ("خميس 3 ديسمبر 14:00", DEC_3_2PM),  # and without
        ("3 ديسمبر 2 م", DEC_3_2PM),  # 2 pm
        ("\u200f3 ديسمبر 14:00", DEC_3_2PM),  # a right-to-left mark from the keyboard
        ("3 Dec 14:00", DEC_3_2PM),
        ("غدا 14:00", TOMORROW_2PM),
        ("غدًا الساعة ١٤:٠٠", TOMORROW_2PM),
        ("اليوم 18:00", datetime(2026, 11, 27, 18, 0, tzinfo=UTC)),
        ("بعد الغد 9:00", datetime(2026, 11, 29, 9, 0, tzinfo=UTC)),
        ("4 أبريل 10:00", datetime(2027, 4, 4, 9, 0, tzinfo=UTC)),
        ("4 ابريل 10:00", datetime(2027, 4, 4, 9, 0, tzinfo=UTC)),  # without the hamza
    ],
)
def test_arabic_dates_are_read(typed: str, expected: datetime) -> None:
    assert read("ar", typed) == expected


@pytest.mark.parametrize(
    ("code", "typed", "key"),
    [
        ("pl", "3 grudnia", "when.needs_time"),
        ("pl", "wczoraj 14:00", "when.past"),  # yesterday: said as past, not as unclear
        ("pl", "w przyszłym tygodniu", "when.unclear"),
        ("ar", "٣ ديسمبر", "when.needs_time"),
        ("ar", "أمس 14:00", "when.past"),
        ("en", "jutro 14:00", "when.unclear"),  # only the reader's language and English
        ("en", "3 grudnia 14:00", "when.unclear"),
    ],
)
def test_unclear_or_past_dates_in_other_languages_are_refused_with_the_reason(
    code: str, typed: str, key: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        read(code, typed)
    assert refused.value.key == key
    assert refused.value.params["typed"] == typed  # quoted back as typed, not as read


@pytest.mark.parametrize(
    ("code", "typed", "expected"),
    [
        ("pl", "14:00", time(14)),
        ("pl", "14.30", time(14, 30)),
        ("pl", "7 rano", time(7)),
        ("ar", "١٤:٠٠", time(14)),
        ("ar", "2 م", time(14)),
        ("ar", "9 ص", time(9)),
    ],
)
def test_times_of_day_in_other_languages(code: str, typed: str, expected: time) -> None:
    with languages.speaking(code):
        assert parse_clock_time(typed) == expected


@pytest.mark.parametrize(
    ("code", "typed"),
    [
        ("pl", "22:00 do 7:00"),
        ("pl", "od 22:00 do 7:00"),
        ("pl", "OD 22 DO 7"),
        ("pl", "10 wieczorem do 7 rano"),
        ("pl", "22:00-07:00"),
        ("pl", "10pm to 7am"),  # English still
        ("ar", "من 22:00 إلى 07:00"),
        ("ar", "من ٢٢:٠٠ الى ٠٧:٠٠"),
        ("ar", "22:00 حتى 7:00"),
        ("ar", "10 م إلى 7 ص"),
        ("ar", "٢٢:٠٠-٠٧:٠٠"),
    ],
)
def test_quiet_hours_in_other_languages(code: str, typed: str) -> None:
    with languages.speaking(code):
        assert parse_quiet_hours(typed) == NIGHT


def test_english_quiet_hours_do_not_take_other_languages_words() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_quiet_hours("22:00 do 7:00")
    assert refused.value.key == "quiet.unclear"


@pytest.mark.parametrize("code", ["pl", "ar"])
def test_each_translation_has_a_valid_words_file(code: str) -> None:
    words = read_words(words_file(paths.PROMPTS_DIR, code))
    assert words.english and set(words.english.values()) <= {"at", "from", "to", "am", "pm"}


def test_a_words_file_with_unknown_keys_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "when.yaml"
    path.write_text("tomorow: [jutro]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="only"):
        read_words(path)
