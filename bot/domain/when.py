"""Dates and times as people type them in chat and read them, in their own time zone."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from babel.dates import format_date
from dateutil import parser

from bot.domain.errors import InvalidInput
from bot.library import languages, paths, yamlio
from bot.library.timetable import local_to_utc

_DAYS = {"today": 0, "tomorrow": 1}
_RELATIVE = re.compile(r"\b(today|tomorrow)\b", re.IGNORECASE)
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})(?=\s*(?:am|pm)\b|\s*$)", re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
# A day and month with a dot and no year, "3.12" (as Polish readers write 3 December, and
# as their prompt suggests): dateutil alone reads it as a number and lands on 3 November.
_DOTTED_DAY = re.compile(r"(?<![\d.:/])(\d{1,2})\.(\d{1,2})\.?(?![\d.:/])")

# Words typed in another language (issue 19) are read as their English for dateutil. Month
# and weekday names and the nearby days come from CLDR (Babel); the few words it lacks
# ("od 22:00 do 7:00", "الساعة") are data beside the language's translations.
WORDS_FILE = "when.yaml"
_WORD_KINDS = ("at", "from", "to", "am", "pm")  # lists in WORDS_FILE, read as these words
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Arabic-Indic and Eastern Arabic-Indic digits as ASCII ("١٤:٠٠" is "14:00").
_DIGITS = str.maketrans(
    {chr(base + n): str(n) for base in (0x0660, 0x06F0) for n in range(10)} | {"\u066b": ":"}
)
# Letters people type for one another once case and marks are gone: Polish "ł" has no
# decomposition; Arabic alif maqsura, ta marbuta and the tatweel (a stretch, not a letter).
_LETTERS = str.maketrans({"ł": "l", "ى": "ي", "ة": "ه", "ـ": None})
_LETTER = r"[^\W\d]"  # a letter (so "2م" is two words: a number and "pm")


def _fold(text: str) -> str:
    """Text as matched against a language's words: lower case, without diacritics, harakat,
    the hamza or madda on alef, or direction marks ("Grudzień" and "grudzien" alike)."""
    parts = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(ch for ch in parts if unicodedata.category(ch) not in ("Mn", "Cf"))
    return kept.translate(_LETTERS)


class _Words:
    """One language's date words (folded), each with its English or its day from today."""

    def __init__(self, english: dict[str, str], days: dict[str, int]) -> None:
        self.english, self.days = english, days
        alternatives = "|".join(re.escape(w) for w in sorted(english | days, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!{_LETTER})(?:{alternatives})(?!{_LETTER})")

    def replace(self, text: str, today: date | None) -> str:
        """`text` (folded) with the words in English; days as dates when `today` is given."""

        def english(match: re.Match[str]) -> str:
            word = match.group(0)
            if word in self.english:
                return f" {self.english[word]} "
            if today is None:
                return word
            return f" {today + timedelta(days=self.days[word]):%Y-%m-%d} "

        return " ".join(self.pattern.sub(english, text).split())


def words_file(prompts: Path, code: str) -> Path:
    """Where a translation keeps its date words beyond CLDR's."""
    return prompts / languages.TRANSLATIONS / code / WORDS_FILE


class WordsFile(NamedTuple):
    """What a language's words file says: a word its names may begin with or not (Arabic
    "ال"), days by their distance from today, and words read as "at", "from", "to"..."""

    article: str
    days: dict[str, int]
    english: dict[str, str]


def read_words(path: Path) -> WordsFile:
    """A language's date words file, checked; ValueError says what is wrong with it."""
    data = yamlio.load(path.read_text(encoding="utf-8")) or {}
    kinds = ("article", "days", *_WORD_KINDS)
    if not isinstance(data, dict) or set(data) - set(kinds):
        raise ValueError(f"{path}: a mapping with only {', '.join(kinds)}")
    days = data.get("days") or {}
    if not isinstance(days, dict) or not all(isinstance(n, int) for n in days.values()):
        raise ValueError(f"{path}: days maps each word to a number of days from today")
    if not all(isinstance(data.get(kind) or [], list) for kind in _WORD_KINDS):
        raise ValueError(f"{path}: {', '.join(_WORD_KINDS)} are lists of words")
    english = {str(word): kind for kind in _WORD_KINDS for word in data.get(kind) or []}
    days = {str(word): n for word, n in days.items()}
    return WordsFile(str(data.get("article") or ""), days, english)


@cache
def _words(code: str) -> _Words:
    """The date words of a language: CLDR's names and days, and its words file, if any."""
    path = words_file(paths.configured().prompts, code)
    if not path.is_file():  # a content folder copied before the file existed
        path = words_file(paths.PROMPTS_DIR, code)
    extra = read_words(path) if path.is_file() else WordsFile("", {}, {})
    cldr = languages.locale(code)
    names: dict[str, str] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in cldr.months[context][width].items():
                names[_fold(name).rstrip(".")] = _EN_MONTHS[number - 1]
            for number, name in cldr.days[context][width].items():
                names[_fold(name).rstrip(".")] = _EN_WEEKDAYS[number]
    article = _fold(extra.article)
    if article:  # Arabic names with and without "ال": "الأحد" and "أحد", "الديسمبر"
        for name, meaning in list(names.items()):
            bare = name.removeprefix(article)
            names.setdefault(bare if bare != name else article + name, meaning)
    relative = cldr._data["date_fields"]["day"]["relative"]  # CLDR's, no public API for it
    days = {_fold(name): int(offset) for offset, name in relative.items()}
    days |= {_fold(word): n for word, n in extra.days.items()}
    names |= {_fold(word): kind for word, kind in extra.english.items()}
    names.pop("", None)
    return _Words(names, days)


def in_english(text: str, *, today: date | None = None) -> str:
    """What a person typed with the date and time words of the language being written in
    English and its digits in ASCII: "jutro o 14:00" is "2026-11-28 at 14:00" when `today`
    is given, "22:00 do 7:00" is "22:00 to 7:00". English is left as typed."""
    ascii_digits = text.translate(_DIGITS)
    code = languages.current()
    if code == languages.ENGLISH:
        return ascii_digits
    return _words(code).replace(_fold(ascii_digits), today)


def parse_local(text: str, *, zone: str, now: datetime) -> datetime:
    """ "3 Dec 14:00", "2026-12-03 14:00", "03/12/2026 2pm" in `zone`, as a UTC moment; or
    in the language being written as well ("3 grudnia 14:00", "غدا 14:00").

    Day before month (the UK way); a date without a year is the next such date; a time is
    needed (a meeting at midnight is rarely meant).
    """
    typed = " ".join(text.split())
    today = now.astimezone(ZoneInfo(zone)).date()
    marker = datetime(today.year, today.month, today.day, 0, 0, 59)  # seconds mark "no time"
    english = in_english(typed, today=today)  # "jutro 14:00", "٣ ديسمبر ١٤:٠٠"
    typed_time = _DOTTED_TIME.sub(r"\1:\2", english)  # 2.30pm, as people often write it
    typed_time = _DOTTED_DAY.sub(_day_and_month, typed_time)
    words = _RELATIVE.sub(
        lambda m: f"{today + timedelta(days=_DAYS[m.group(0).lower()]):%Y-%m-%d}", typed_time
    )
    try:
        iso = _ISO.match(words)
        parsed = parser.parse(words, dayfirst=not iso, yearfirst=bool(iso), default=marker)
    except (ValueError, OverflowError):
        raise InvalidInput("when.unclear", typed=typed) from None
    if parsed.second == 59 and parsed.hour == 0 and parsed.minute == 0:
        raise InvalidInput("when.needs_time", typed=typed)
    day: date = parsed.date()
    if str(day.year) not in words and day < today:
        day = day.replace(year=day.year + 1)
    moment = local_to_utc(day, time(parsed.hour, parsed.minute), zone)
    if moment <= now:
        raise InvalidInput("when.past", typed=typed)
    return moment


def _day_and_month(match: re.Match[str]) -> str:
    """ "3.12" as "3/12" when it can be a day and a month; anything else as it was."""
    day, month = int(match.group(1)), int(match.group(2))
    return f"{day}/{month}" if 1 <= day <= 31 and 1 <= month <= 12 else match.group(0)


def parse_clock_time(text: str) -> time:
    """ "14:00", "2pm", "2.30pm" (or "١٤:٠٠", "2 م", "7 rano") as a time of day."""
    typed = " ".join(in_english(text).split()).replace(".", ":")
    try:
        parsed = parser.parse(typed, default=datetime(2000, 1, 1, 0, 0, 59))
    except (ValueError, OverflowError):
        raise InvalidInput("when.unclear_time", typed=text.strip()) from None
    if parsed.date() != date(2000, 1, 1) or (parsed.hour, parsed.minute) == (0, 0):
        raise InvalidInput("when.unclear_time", typed=text.strip())
    return time(parsed.hour, parsed.minute)


def day_label(day: date | datetime, pattern: str) -> str:
    """A day in the language being written, by a CLDR pattern: "d MMMM y" is "3 December
    2026" in English and "3 grudnia 2026" in Polish; "LLLL y" names a month on its own."""
    return format_date(day, pattern, locale=languages.current())


# A date further than this from today shows its year: "Thu 3 Dec" a year away reads as soon.
YEAR_SHOWN_BEYOND = timedelta(days=183)


def local_date_label(moment: datetime, zone: str, *, now: datetime) -> str:
    """A day as people read it in their own zone: "Tue 3 Mar", or "Tue 3 Mar 2027" when it is
    more than six months from `now`."""
    local = moment.astimezone(ZoneInfo(zone))
    with_year = abs(moment - now) > YEAR_SHOWN_BEYOND
    code = languages.current()
    if code != languages.ENGLISH:  # CLDR's names and order for the language: "wt. 3 mar"
        return format_date(local, "EEE d MMM y" if with_year else "EEE d MMM", locale=code)
    label = f"{local:%a} {local.day} {local:%b}"
    if with_year:
        label += f" {local.year}"
    return label


def local_time_label(moment: datetime, zone: str, *, now: datetime) -> str:
    """A time as people read it in their own zone: "Tue 3 Mar, 14:05" (with the year when it
    is more than six months from `now`: "Wed 3 Mar 2027, 14:05")."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local_date_label(moment, zone, now=now)}, {local:%H:%M}"


def zone_label(zone: str) -> str:
    """A friendly name for a time zone: "UK time" or the city."""
    if zone == "Europe/London":
        return "UK time"
    return zone.rsplit("/", 1)[-1].replace("_", " ")
