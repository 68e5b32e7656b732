"""Board members as users (issue 17 part 3): learning both ways.

    members.py    the role label a board member chose, and who the board members are
    digest.py     the lay partners' voice for one meeting, anonymised, in sections
    learnings.py  what a board member learned and will do differently; partners' reactions

Board members never see names, private or facilitators-only reflections: the digest reads
only reflections shared "anonymised for the board", and never their authors.
"""

from bot.domain.board.digest import SECTIONS, DigestSection, digest_for_meeting
from bot.domain.board.learnings import (
    ANSWER_LIMIT,
    QUESTIONS,
    Reacted,
    Shared,
    answer,
    begin,
    decide,
    learnings_for_cohorts,
    learnings_seen_by,
    react,
)
from bot.domain.board.members import board_member_ids, label_of, set_label

__all__ = [
    "ANSWER_LIMIT",
    "QUESTIONS",
    "SECTIONS",
    "DigestSection",
    "Reacted",
    "Shared",
    "answer",
    "begin",
    "board_member_ids",
    "decide",
    "digest_for_meeting",
    "label_of",
    "learnings_for_cohorts",
    "learnings_seen_by",
    "react",
    "set_label",
]
