"""Values for the variables of issue 18's texts (attendance, the record of contribution),
of the same kinds as template_values.py's: names with "&", "<" and an emoji, counts 0, 1
and 2, empty lists, and "" wherever the code may pass nothing."""

from __future__ import annotations

from typing import Any

_NAMES = ("Priya & Kwame", 'Dr <Sam> "Sammy"', "Amina 🌻")
_TITLES = ("Board meeting", "Q&A: <Diabetes> care", "Carers’ forum 🌻")
_FLAGS = (True, False)
_COUNTS = (0, 1, 2)
_PROGRAMME = ("NHS Greater <Manchester> & Co.", "")

GROWTH_VALUES: dict[str, tuple[Any, ...]] = {
    "day": ("Tue 3 Mar", "Thu 3 Dec 2027"),
    "date": ("3 March 2026", "12 December 2027"),
    "start": ("2 March 2026",),
    "end": ("7 December 2026",),
    "there": _FLAGS,
    "any": _FLAGS,
    "confirmed": _FLAGS,
    "of": _COUNTS,
    "more": _COUNTS,
    "detail": ("Told the board about letters & leaflets", ""),
    "todo": ([{"title": _TITLES[1], "day": "Tue 3 Mar", "count": 1, "of": 2}], []),
    "done": (
        [],
        [{"title": _TITLES[2], "day": "Thu 3 Dec 2027", "count": 0, "of": 1}],
        [{"title": _TITLES[0], "day": "Tue 3 Mar", "count": 2, "of": 2}],
    ),
    "sections": (
        [{"heading": "Meetings attended", "count": 2}, {"heading": "Achievements", "count": 0}],
        [],
    ),
}

GROWTH_OVERRIDES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("attendance_staff.sheet", "lines"): (
        [
            {"name": _NAMES[0], "there": True, "said": True},
            {"name": _NAMES[1], "there": False, "said": False},
            {"name": _NAMES[2], "there": True, "said": None},
        ],
        [],
    ),
    ("attendance_staff.saved", "names"): (list(_NAMES), [_NAMES[2]], []),
    ("record.mine", "items"): (
        [
            {"title": _TITLES[1], "detail": "I said <b>no</b> & meant it"},
            {"title": _TITLES[2], "detail": ""},
        ],
        [],
    ),
    ("record.summary", "pending"): _COUNTS,
    ("record.notify.endorsement", "author"): _NAMES,
    ("record.lines.agenda_item", "status"): ("accepted", "done", "merged", "declined", "open"),
    ("record.lines.agenda_item", "meeting"): (*_TITLES, ""),
    ("record.lines.agenda_item", "outcome"): ("Raised at the board; it opens on Saturdays.", ""),
    ("record.lines.endorsement", "programme"): _PROGRAMME,
    ("record.lines.champion", "mentored"): (0, 1, 3),
    ("record.lines.champion", "since"): ("3 March 2026", "12 December 2026"),
    ("record.lines.champion", "until"): ("", "30 June 2026"),
    ("record.pdf.made", "programme"): _PROGRAMME,
    ("record.pdf.about", "programme"): _PROGRAMME,
    ("record.summary", "programme"): _PROGRAMME,
}
