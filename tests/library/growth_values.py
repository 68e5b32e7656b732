"""Values for the variables of issue 18's texts (one-to-one briefings, champions and
mentoring, claims, attendance, the record of contribution), of the same kinds as
template_values.py's: names with "&", "<" and an emoji, counts 0, 1 and 2, empty lists, and
"" wherever the code may pass nothing."""

from __future__ import annotations

from typing import Any

from tests.library.value_kinds import (
    COHORTS,
    COUNTS,
    FLAGS,
    NAMES,
    OPTIONAL_NAMES,
    TEXTS,
    TITLES,
    WHEN,
)

_NAMES = ("Priya & Kwame", 'Dr <Sam> "Sammy"', "Amina 🌻")
_TITLES = ("Board meeting", "Q&A: <Diabetes> care", "Carers’ forum 🌻")
_FLAGS = (True, False)
_COUNTS = (0, 1, 2)
_PROGRAMME = ("NHS Greater <Manchester> & Co.", "")

# One-to-one briefings, champions and mentoring, and claims (moved from template_values.py).
_BOOKING_VALUES: dict[str, tuple[Any, ...]] = {
    "host": NAMES,
    "slots": FLAGS,
    "where": ("Room 4, Town Hall & Annex", "https://meet.example.org/abc"),
    "online": FLAGS,
    "cancelled": FLAGS,
    "shortest": (15,),
    "longest": (120,),
    "day": ("Wed 4 Mar", "Sat 12 Dec", "Thu 3 Dec", "Tue 3 Mar 2027"),  # and claims
    "at": ("14:00", "09:00"),
}
_CHAMPION_VALUES: dict[str, tuple[Any, ...]] = {
    "by": NAMES,
    "other": NAMES,
    "mentor": OPTIONAL_NAMES,
    "mentee": FLAGS,
    "mentees": COUNTS,
    "champion": FLAGS,
    "invited": FLAGS,
    "offered": OPTIONAL_NAMES,
}
# Amounts are always pounds and pence, as the domain words them.
_CLAIM_VALUES: dict[str, tuple[Any, ...]] = {
    "category": ("travel", "care cover"),
    "amount": ("£12.50", "£1,234.05"),
    "basis": ("hourly", "session", "none"),
    "fee": ("£50.00", "£0.00"),
    "largest": ("£10,000.00",),
    "megabytes": (5,),
    "needed": FLAGS,
    "opted_out": FLAGS,
    "claims": (
        [
            {"meeting": TITLES[1], "day": "Thu 3 Dec", "total": "£65.50", "status": "paid"},
            {"meeting": TITLES[2], "day": "Tue 3 Mar", "total": "£0.00", "status": "not sent yet"},
        ],
        [],
    ),
}
_CLAIM_OVERRIDES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("claims.mine", "meetings"): ([{"title": TITLES[1], "day": "Thu 3 Dec"}], []),
    ("claims.claim", "expenses"): (
        [
            {"category": "travel", "amount": "£12.50", "receipt": True},
            {"category": "care cover", "amount": "£3.00", "receipt": False},
        ],
        [],
    ),
    ("claims.claim", "hours"): ("2", "1.33"),
    ("claims.claim", "total"): ("£65.50", "£0.00"),
    ("claims.claim", "status"): ("sent, waiting for a check", "paid"),
    ("claims.claim", "question"): (*TEXTS, None),
    ("claims.claim", "reason"): ("Meals are covered only for long meetings.", None),
    ("claims.offer", "hours"): ("2", "1.33"),
    ("claims.reminder", "fee"): ("£50.00",),
    ("claims.approved", "total"): ("£65.50", "£1,234.05"),
    ("claims.paid", "total"): ("£65.50", "£1,234.05"),
}
_CHAMPION_OVERRIDES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("champions.offered", "mentor"): NAMES,
    ("champions.partner", "mentees"): (
        [
            {
                "name": NAMES[0],
                "since": WHEN[0],
                "until": WHEN[1],
                "meetings": [
                    {"title": TITLES[1], "day": WHEN[0], "there": True},
                    {"title": TITLES[2], "day": WHEN[1], "there": None},
                    {"title": TITLES[3], "day": WHEN[1], "there": False},
                ],
            },
            {"name": NAMES[2], "since": WHEN[0], "until": WHEN[1], "meetings": []},
        ],
        [],
    ),
    ("champions.staff", "groups"): (
        [
            {
                "name": COHORTS[0],
                "champions": [{"name": NAMES[0], "since": WHEN[0], "mentees": [NAMES[1]]}],
                "asked": [NAMES[2]],
                "waiting": [NAMES[3], NAMES[1]],
            },
            {"name": COHORTS[1], "champions": [], "asked": [], "waiting": []},
        ],
        [],
    ),
    ("champions.candidates", "partners"): (
        [
            {"name": NAMES[0], "days": 400, "meetings": 9, "status": "active"},
            {"name": NAMES[1], "days": 20, "meetings": 1, "status": "asked"},
            {"name": NAMES[2], "days": 1, "meetings": 0, "status": ""},
        ],
        [],
    ),
}
# A host erased since is not named.
_BOOKING_OVERRIDES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("bookings.ics_title", "host"): OPTIONAL_NAMES,
    ("bookings.ics_caption", "host"): OPTIONAL_NAMES,
    ("bookings.reminder_day", "host"): OPTIONAL_NAMES,
    ("bookings.reminder_hour", "host"): OPTIONAL_NAMES,
    ("bookings.told_slot_cancelled", "host"): OPTIONAL_NAMES,
    ("bookings.host_cancel_ask", "partner"): OPTIONAL_NAMES,
    ("bookings.host", "slots"): (
        [
            {"when": WHEN[0], "minutes": 30, "partner": NAMES[0]},
            {"when": WHEN[-1], "minutes": 45, "partner": ""},
        ],
        [],
    ),
}

_RECORD_VALUES: dict[str, tuple[Any, ...]] = {
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

_RECORD_OVERRIDES: dict[tuple[str, str], tuple[Any, ...]] = {
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

# Merged in this order, as template_values.py did: where two use one name ("day"), the
# attendance and record values win.
GROWTH_VALUES = _BOOKING_VALUES | _CHAMPION_VALUES | _CLAIM_VALUES | _RECORD_VALUES
GROWTH_OVERRIDES = _CLAIM_OVERRIDES | _CHAMPION_OVERRIDES | _BOOKING_OVERRIDES | _RECORD_OVERRIDES
