"""What the demo's partners and board members did together (issue 17): agenda items in each
state, what matters to them (measures, rated month by month), and what the board learned.

Times are given against the story's anchors: the two past meetings (0: about five weeks
ago, 1: about nine days ago) or "today" (the day the demo starts), with a number of days
after it (negative: before) and a UK time of day. Tomasz chose not to have his answers
kept, so he rates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import BoardLabel, Sharing

__all__ = [
    "AGENDA",
    "BOARD",
    "CHECK_IN_SHARING",
    "COMMENTS",
    "LEARNINGS",
    "MEASURES",
    "OPEN_IDEA",
    "RATINGS",
    "REACTIONS",
    "Item",
]

# A moment in the story: (anchor, days after it, UK time): anchor 0 and 1 are the past
# meetings, "today" the day the demo starts.
When = tuple[int | str, int, str]

# Board members: (first name, last name, how the web chat names them, role label, note).
BOARD: tuple[tuple[str, str, str, BoardLabel, str], ...] = (
    (
        "Helen",
        "Okafor",
        "Dr Helen Okafor",
        BoardLabel.CLINICIAN,
        "Consultant geriatrician on the board; shared what she learned",
    ),
    (
        "Sam",
        "Patel",
        "Sam Patel",
        BoardLabel.MANAGER,
        "Service manager on the board; try /agenda as him",
    ),
)


@dataclass(frozen=True)
class Item:
    """An agenda item and what became of it (no decision: still open)."""

    by: str
    title: str
    why: str
    proposed: When
    supporters: tuple[tuple[str, When, str | None], ...] = ()  # (name, when, comment)
    accepted: tuple[int | str, When] | None = None  # (past meeting 1, or "next"; when)
    outcome: tuple[str, When] | None = None  # "You said, we did", after its meeting
    declined: tuple[str, When] | None = None  # (the reason, when)


# Agenda items, oldest first: one done, one accepted for the next meeting, one declined,
# one open.
AGENDA: tuple[Item, ...] = (
    Item(
        by="Priya",
        title="Send the board papers a week before each meeting",
        why="The papers came two days before the meeting. Sixty pages is too much to read "
        "around work.",
        proposed=(0, 2, "20:05"),
        supporters=(
            ("Amina", (0, 3, "09:10"), None),
            (
                "Kwame",
                (0, 3, "18:40"),
                "On video I can't leaf through paper copies. I need them early.",
            ),
        ),
        accepted=(1, (0, 5, "10:00")),
        outcome=(
            "From next month the papers go out eight days before each meeting, with a "
            "one-page summary on top.",
            (1, 1, "11:00"),
        ),
    ),
    Item(
        by="Amina",
        title="Waiting times for the falls clinic",
        why="People wait eleven weeks for a first visit. Some fall again while they wait.",
        proposed=(1, 1, "19:30"),
        supporters=(("Grace", (1, 2, "08:45"), None), ("Priya", (1, 2, "21:15"), None)),
        accepted=("next", (1, 3, "10:15")),
    ),
    Item(
        by="Kwame",
        title="How long people wait in A&E for a frailty nurse",
        why="Older people I know waited hours before anyone who knew about frailty saw them.",
        proposed=(1, 1, "21:00"),
        declined=(
            "A&E waits belong to the urgent care board, not ours. I've passed your question "
            "to their chair, who will write to you.",
            (1, 3, "10:30"),
        ),
    ),
    Item(
        by="Dev",
        title="Paying partners for reading time",
        why="The claim form only has a box for the meeting itself. Reading the papers takes "
        "me three hours.",
        proposed=("today", -3, "08:10"),
        supporters=(
            ("Priya", ("today", -2, "19:00"), "Reading time is real work. It should be paid."),
            ("Kwame", ("today", -2, "20:20"), None),
        ),
    ),
)

# Measures the cohort adopted: proposer, statement, who voted for it.
MEASURES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Amina",
        "I was listened to, and what I said changed something.",
        ("Amina", "Dev", "Grace", "Kwame"),
    ),
    ("Priya", "The papers came in time for me to read them.", ("Priya", "Amina", "Dev")),
    ("Kwame", "I felt an equal partner in the room.", ("Kwame", "Grace", "Priya", "Dev")),
)
# The idea being voted on now: proposer, statement, voters.
OPEN_IDEA = ("Dev", "I was paid for my time and expenses within a month.", ("Grace", "Priya"))

# Monthly check-ins over the four months before this one: each partner's rating of each
# measure (in MEASURES order), month by month, oldest first.
RATINGS: dict[str, tuple[tuple[int, int, int, int], ...]] = {
    "Amina": ((2, 3, 3, 4), (2, 2, 3, 4), (3, 3, 3, 4)),
    "Dev": ((2, 2, 3, 3), (1, 2, 2, 3), (3, 2, 2, 2)),
    "Grace": ((1, 2, 2, 3), (2, 2, 3, 3), (2, 2, 2, 3)),
    "Priya": ((3, 3, 4, 4), (1, 1, 3, 4), (3, 3, 4, 4)),
    "Kwame": ((3, 2, 3, 4), (2, 3, 3, 4), (4, 3, 3, 3)),
}
CHECK_IN_SHARING = {
    "Amina": Sharing.FACILITATORS,
    "Dev": Sharing.ANONYMISED,
    "Grace": Sharing.PRIVATE,
    "Priya": Sharing.ANONYMISED,
    "Kwame": Sharing.FACILITATORS,
}
# Comments on a measure: (partner, month 0-3, measure 0-2, words). Shown without names.
COMMENTS: tuple[tuple[str, int, int, str], ...] = (
    ("Priya", 3, 1, "The papers came eight days early this month. I read them all."),
    ("Kwame", 2, 2, "On video it is harder to be heard. The chair did ask me first this time."),
)

# What board members learned from the last meeting (1): who, learned, will do differently,
# when they shared it. The last one reaches partners when the demo starts.
LEARNINGS: tuple[tuple[str, str, str, When], ...] = (
    (
        "Sam",
        "Papers that arrive two days before a meeting shut partners out of the discussion.",
        "I'll send papers eight days ahead, with a one-page summary on top.",
        (1, 1, "16:40"),
    ),
    (
        "Helen",
        "Three teams write our discharge letters, and families can't follow them. Partners "
        "showed us real examples.",
        "I will ask two partners to read our next letter before it goes out.",
        ("today", -1, "18:00"),
    ),
)
# Partners' reactions to Sam's learning: (partner, "helps" or "talk", when).
REACTIONS: tuple[tuple[str, str, When], ...] = (
    ("Priya", "helps", (1, 2, "19:30")),
    ("Kwame", "helps", (1, 3, "12:05")),
)
