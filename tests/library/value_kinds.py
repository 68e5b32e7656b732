"""The kinds of value the template value tables draw on (issue 15, point 4): names with "&",
"<", quotes, a trailing full stop and an emoji; titles, cohorts and texts alike; counts 0, 1
and 2; flags; moments; links; lists of names, full and empty."""

from __future__ import annotations

NAMES = ("Priya & Kwame", "Grace O.", 'Dr <Sam> "Sammy"', "Amina 🌻")
OPTIONAL_NAMES = (*NAMES, None)
TITLES = ("Board meeting", "Q&A: <Diabetes> care", "Café day.", "Carers’ forum 🌻")
COHORTS = ("Heart & Lungs <North>", "Diabetes board.", "Carers 🌻")
TEXTS = (
    "Will my bus fare be paid?",
    "Hi… I wasn't sure.",
    'I said <b>no</b> & "meant it"',
    "Thanks!",
)
COUNTS = (0, 1, 2)
FLAGS = (True, False)
WHEN = ("Tue 3 Mar, 14:05", "Thu 3 Dec 2027, 09:30")
LINKS = ("https://meet.example.org/abc?x=1&y=2",)
LISTS_OF_NAMES = (["Priya & Kwame", "Dr <Sam>"], ["Grace O."], [])
