"""Representative values for every variable a message template uses, and the checks that a
rendered text reads right (issue 15, point 4).

Each variable name has a few values of its kind: names with "&", "<", quotes, a trailing full
stop and an emoji; counts 0, 1 and 2; empty lists; and None wherever the code may pass None.
A template that uses a name missing here fails the test, so new templates get covered.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from markupsafe import Markup

from tests.library.growth_values import GROWTH_OVERRIDES, GROWTH_VALUES
from tests.library.value_kinds import (
    COHORTS,
    COUNTS,
    FLAGS,
    LINKS,
    LISTS_OF_NAMES,
    NAMES,
    OPTIONAL_NAMES,
    TEXTS,
    TITLES,
    WHEN,
)


def _idea(text: str, votes: int, voted: bool, mine: bool) -> dict[str, Any]:
    """A measure in a list (issue 17)."""
    return {"number": 1, "text": text, "votes": votes, "voted": voted, "mine": mine}


IDEAS = (
    [_idea(TEXTS[0], 2, True, False), _idea(TEXTS[2], 1, False, True)],
    [_idea(TEXTS[1], 0, False, False)],
    [],
)
GROUPS = (
    [{"name": COHORTS[0], "adopted": IDEAS[0], "proposed": IDEAS[1], "retired": [1]}],
    [
        {"name": COHORTS[1], "adopted": [], "proposed": [], "retired": []},
        {"name": COHORTS[2], "adopted": IDEAS[1], "proposed": IDEAS[0], "retired": []},
    ],
    [],
)

# name -> values, cycled together across renders.
VALUES: dict[str, tuple[Any, ...]] = {
    "adopted": IDEAS[::-1],  # measures (issue 17)
    "alerted": FLAGS,
    "answer": TEXTS,
    "answered": COUNTS,
    "answers": (
        [("How did it go?", "4 — Quite well"), ("What did you learn?", TEXTS[2])],
        [("Anything else?", "Grace O.")],
        [],
    ),
    "audience": ("everyone in Heart & Lungs <North>", "the pair Grace O. and Amina 🌻"),
    "author": OPTIONAL_NAMES,
    "buttons": FLAGS,
    "briefing": (*TITLES, None),
    "change": ("Change time zone",),
    "city": ("New York", "Lagos"),
    "elsewhere": ("Perth, Australia", None),
    "several": FLAGS,
    "suggestions": (["Manchester, UK", "Manchester, USA"], ["Perth, Australia"], []),
    "uk": FLAGS,
    "changing": ("New rules from April & May.", None),
    "cohort": COHORTS,
    "cohorts": (["Heart & Lungs", "Carers 🌻"], ["Diabetes board."], []),
    "coming": COUNTS,
    "command": ("/frobnicate", "/x<y>"),
    "commands": (Markup("/help: What I can do\n/settings: Your name"),),
    "concern": ("a risk of suicide or self-harm",),
    "contact": ("Sam on 0161 496 0000 & sam@example.org", None),
    "count": COUNTS,
    "current": ("4 — Quite well", "Grace O.", None),
    "days": (1, 2, 14),
    "edited": FLAGS,
    "ends": ("15:30", "16:00"),
    "expires": WHEN,
    "explanation": ("An ICB plans & pays for <most> NHS services.",),
    "facilitator": NAMES,
    "facilitators": (["Priya & Kwame", "Dr <Sam>"], ["Grace O."], []),
    "failed": COUNTS,
    "field": ("meeting",),
    "first_name": NAMES,
    "flagged": FLAGS,
    "high": ("Very well.", "Completely"),
    "high_number": (5, 10),
    "given": ("NHS 111, Samaritans (116 123) and 999", "the National Domestic Abuse Helpline"),
    "help": (Markup("• <b>Samaritans</b>: call 116 123, free, any time."),),
    "hint": ("One thing is enough.", None),
    "hours": (1, 2, 8),
    "joined": FLAGS,
    "intro": (Markup("How did <b>it</b> go? It takes about 5 minutes."),),
    "keeps": FLAGS,
    "kind": ("scale", "text", "multi", "yes_no", "choice"),
    "length": (5000,),
    "limit": (64, 4096),
    "link": (*LINKS, ""),
    "local_time": ("03:48", "21:05"),
    "low": ("Not well.", "Not at all"),
    "low_number": (1, 0),
    "meanwhile": ("If you're in danger, call 999.", "Samaritans are there on 116 123."),
    "meeting": TITLES,
    "meeting_date": ("3 December 2026",),
    "meeting_id": (7,),
    "meetings": ("the first Tuesday of each month, 2pm to 4pm", None),
    "minutes": (1, 2, 15),
    "name": NAMES,
    "new": WHEN[::-1],
    "old": WHEN,
    "names": ("Priya & Kwame and Dr <Sam>", "Grace O. and Amina 🌻"),
    "not_coming": COUNTS,
    "nudges": FLAGS,
    "number": (1, 2, 3),
    "on": FLAGS,
    "optional": FLAGS,
    "outcome": ("Raised at the board; the clinic now opens on Saturdays.", "Agreed & done"),
    "page": (1, 2),
    "pages": (2, 3),
    "pair": NAMES,
    "pairs": ([("Heart & Lungs", "Priya & Kwame and Dr <Sam>"), ("Carers", "Grace O.")], []),
    "papers": (["What an ICB does", "Money & budgets <2026>"], []),
    "partner": FLAGS,
    "paused": ("Tue 3 Mar, 14:05", None),
    "pending": FLAGS,
    "place": ("Room 4, Town Hall & Annex.", ""),
    "placeholders": ("{{ name }} and {{ next_meeting }}",),
    "private": FLAGS,
    "problem": ("unexpected '}'",),
    "programme": ("NHS Greater <Manchester> & Co.", None),
    "purpose": ("reminder_day",),
    "question": TEXTS,
    "queued": COUNTS,
    "quiet": ("22:00 to 07:00", None),
    "relative": ("in 45 minutes", "tomorrow at 14:00", "on Thu 3 Dec 2027 at 09:30"),
    "reviewed": ("March 2026",),
    "role_label": ("lay partner", "facilitator"),
    "said": (*TEXTS, None),
    "see_also": (["ICB", "A&E"], []),
    "sent": COUNTS,
    "sharing": ("your facilitators", "only you", "facilitators and the board, without your name"),
    "staff": FLAGS,
    "status": ("facilitator", "pair", "journal", "draft"),
    "stopped": FLAGS,
    "summary": ("How money flows & who decides.", "Why it matters"),
    "text": TEXTS,
    "told": COUNTS,
    "thanks": (Markup("Thank you, Grace O. It's saved."),),
    "title": TITLES,
    "topic": TITLES,
    "total": (1, 2, 7),
    "typed": ("new york & <b>", "Manchester."),
    "unknown": COUNTS,
    "unreachable": COUNTS,
    "until": ("Tue 3 Mar, 14:05", None),
    "url": LINKS,
    "voice": FLAGS,
    "waiting": COUNTS,
    "when": WHEN,
    "withdrawn": FLAGS,
    "word": ("A&E", "<ICB>"),
    "zone": ("UK time", "New York"),
    "language": ("English", "Polski", "العربية"),  # issue 19: a language by its own name
    "time": ("14:00", "09:30"),  # issue 19: a time of day, in "today at 14:00"
    "start": ("21:00", "22:30"),  # quiet hours: "21:00 to 08:00"
    "end": ("08:00", "07:00"),
    "top": (5, 10),  # the top of a scale, in "4 out of 5"
    "languages": ("Polski", "Polski, العربية"),  # issue 19: a broadcast's versions
    # agenda items (issue 17)
    "why": (*TEXTS, None),
    "reason": ("The board covered this in May & June.", "Not in this year's plan"),
    "into": TITLES,
    "reflection": (*TITLES, None),
    "proposer": NAMES,
    "supports": COUNTS,
    "supported": FLAGS,
    "mine": FLAGS,
    "comments": ([TEXTS[2], TEXTS[3]], []),
    "items": ([TITLES[1], TITLES[3]], [TITLES[2]]),
    # What matters to us (issue 17)
    "each": (3, 1),
    "groups": GROUPS,
    "left": COUNTS,
    "measure": TEXTS,
    "proposed": IDEAS,
    "votes": COUNTS,
    # issue 17: board members' digests and learnings
    "lines": (["Letters & leaflets were hard.", 'I said "no" <twice>'], []),
    "label": ("clinician", "manager", "other"),
    "learned": (*TEXTS, ""),
    "learned_voice": FLAGS,
    "differently": ("", *TEXTS),
    "differently_voice": (True, False, False),
    "seen": (Markup('A clinician on the board said:\n\n<b>What I learned:</b> "Plain words"'),),
    "partners": COUNTS,
    # issue 17 part 4: the meeting summary
    "counts": ({"proposed": 2, "supported": 1, "accepted": 1, "decided": 1},),
    "since": ("Tue 3 Mar", None),
    "asked": (
        [
            {"title": TITLES[1], "status": "done", "supports": 2, "outcomes": (TEXTS[2],)},
            {"title": TITLES[3], "status": "open", "supports": 0, "outcomes": ()},
            {"title": TITLES[0], "status": "declined", "supports": 1, "outcomes": ()},
        ],
        [],
    ),
    "figures": (
        [
            {"text": TEXTS[2], "mean": 3.5, "count": 2, "dont_know": 1, "outcomes": (TEXTS[0],)},
            {"text": TEXTS[0], "mean": None, "count": 0, "dont_know": 0, "outcomes": ()},
        ],
        [],
    ),
    "learnings": (
        [
            {
                "label": "clinician",
                "learned": TEXTS[2],
                "differently": TEXTS[0],
                "voice": True,
                "held": False,
                "helps": 2,
                "talk": 1,
            },
            {
                "label": "other",
                "learned": "",
                "differently": "",
                "voice": True,
                "held": True,
                "helps": 0,
                "talk": 0,
            },
        ],
        [],
    ),
    # issue 17 part 4: the digest's agenda items and measures
    "entries": (
        [
            {"title": TITLES[1], "status": "accepted", "supports": 2},
            {"title": TITLES[3], "status": "done", "supports": 1},
        ],
        [],
    ),
}

# Where one name means something else in one template.
OVERRIDES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("meetings.who", "coming"): LISTS_OF_NAMES,
    ("meetings.who", "not_coming"): LISTS_OF_NAMES[::-1],
    ("meetings.who", "unknown"): LISTS_OF_NAMES,
    ("pairs.overview", "cohorts"): COUNTS,
    ("outbox.papers", "papers"): FLAGS,
    ("review.card", "when"): (*WHEN, ""),
    ("journal.entry", "when"): (*WHEN, ""),
    ("onboarding.staff.text", "cohort"): (*COHORTS, None),
    ("outbox.nudge", "meeting"): (*TITLES, None),
    ("onboarding.name.text", "first_name"): OPTIONAL_NAMES,
    ("notify.you_said", "meeting"): (*TITLES, None),
    ("notify.you_said", "topic"): (*TITLES, None),
    ("broadcasts.card", "author"): OPTIONAL_NAMES,
    ("errors.meeting.unknown_papers", "papers"): ("what-icb, money",),
    ("notes.sent_facilitator", "names"): LISTS_OF_NAMES,
    ("places.chosen", "place"): ("Manchester, UK", "St. John's, Canada.", None),
    ("journal.note", "text"): (*TEXTS, ""),
    ("agenda.card", "status"): ("Waiting for your facilitator to decide.", "Not this time."),
    ("agenda_staff.card", "status"): ("open", "accepted"),
    ("agenda_staff.card", "meeting"): (*TITLES, None),
    ("agenda.preview", "meeting"): (*TITLES, None),
    ("board.digest.measures", "entries"): (
        [
            {"text": TEXTS[2], "mean": 3.5, "count": 2, "dont_know": 1},
            {"text": TEXTS[0], "mean": None, "count": 0, "dont_know": 0},
        ],
        [],
    ),
}


# Issue 18's texts (one-to-ones, champions, claims, attendance, the record): growth_values.py.
VALUES |= GROWTH_VALUES
OVERRIDES |= GROWTH_OVERRIDES


def values_for(key: str, variables: set[str], round_: int) -> dict[str, Any]:
    """One set of values for a template's variables (KeyError names a variable not covered)."""
    chosen = {}
    for name in sorted(variables):
        options = OVERRIDES.get((key, name)) or VALUES[name]
        chosen[name] = options[round_ % len(options)]
    return chosen


ROUNDS = max(len(v) for v in (*VALUES.values(), *OVERRIDES.values()))

# --- what reads wrong ---------------------------------------------------------------------

_URL = re.compile(r"https?://\S+|\S+@\S+\.[a-z]+")
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc)\.")
WRONG: dict[str, re.Pattern[str]] = {
    "a missing value shown": re.compile(r"\bNone\b|\bnull\b|\bundefined\b|\[\]|\['|\('"),
    "run together": re.compile(r"[a-z0-9)][A-Z“‘]|[.!?:;,][A-Za-z“‘]"),
    "doubled punctuation": re.compile(r"(?<!\.)\.\.(?!\.)|[?!…,;:]\.|[,;:][,;:]|\s[.,;:!?]"),
    "wrong plural": re.compile(
        r"\b1 (?!\w*ss\b)[a-z]+s\b|\b(?:next|latest|last|first|your) 1 [a-z]", re.IGNORECASE
    ),
}
_TWICE = re.compile(r"&amp;(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
# Camel case is fine inside a word people typed ("McDonald"), not across a seam.
_ALLOWED_RUNS = re.compile(r"\b(?:Mc|Mac)[A-Z]|\biPhone|\bNHS\b|[A-Z]{2,}")


def reads_wrong(rendered: str) -> list[str]:
    """What a person would notice reads wrong in a rendered text (tags removed, unescaped)."""
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    shown = _ABBREVIATIONS.sub("eg", _URL.sub("URL", shown))
    problems = [f"escaped twice: {m.group(0)}" for m in _TWICE.finditer(rendered)]
    for label, pattern in WRONG.items():
        for match in pattern.finditer(shown):
            if label == "run together" and _ALLOWED_RUNS.search(
                shown[max(0, match.start() - 3) : match.end() + 2]
            ):
                continue
            around = shown[max(0, match.start() - 20) : match.end() + 20]
            problems.append(f"{label}: …{around}…")
    return problems


# --- Telegram HTML ------------------------------------------------------------------------

TELEGRAM_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "tg-spoiler", "span", "blockquote",
}  # fmt: skip
TELEGRAM_ENTITIES = {"lt", "gt", "amp", "quot"}
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")
_BARE_LESS_THAN = re.compile(r"<(?![a-zA-Z/])")


class _TelegramHTML(HTMLParser):
    """Collects what Telegram's HTML parse mode would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
        allowed = {"a": {"href"}, "span": {"class"}, "blockquote": {"expandable"}}
        allowed |= {"code": {"class"}}
        for name, value in attrs:
            if name not in allowed.get(tag, set()):
                self.problems.append(f"attribute {name} on <{tag}> is not allowed")
            if tag == "span" and value != "tg-spoiler":
                self.problems.append('<span> needs class="tg-spoiler"')
            if tag == "a" and not (value or "").startswith(("http://", "https://", "tg://")):
                self.problems.append(f"link {value!r} is not a URL")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes nothing open (open: {self.open})")
        else:
            self.open.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in TELEGRAM_ENTITIES:
            self.problems.append(f"entity &{name}; is not one Telegram knows")


def telegram_html_problems(rendered: str) -> list[str]:
    """Why the Bot API would refuse this text with parse_mode=HTML (empty when it would not)."""
    parser = _TelegramHTML()
    parser.feed(rendered)
    parser.close()
    problems = parser.problems
    if parser.open:
        problems.append(f"tags left open: {parser.open}")
    if _BARE_AMPERSAND.search(rendered):
        problems.append("a bare & (Telegram needs &amp;)")
    if _BARE_LESS_THAN.search(rendered):
        problems.append("a bare < (Telegram needs &lt;)")
    return problems
