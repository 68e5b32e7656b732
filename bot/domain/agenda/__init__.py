"""Agenda items from partners (issue 17, part 1): a partner proposes an item for a meeting,
the cohort supports it, the facilitator accepts it for a meeting, merges it into another, or
says "not this time" with a reason, and after the meeting records what came of it.

    proposals.py   the partner's side: propose (a draft), confirm, withdraw, support
    triage.py      the facilitator's side: accept, merge, decline, record the outcome
    views.py       what each person may see, and what briefings, calendars and the
                   board-member digest show (titles, statuses and counts, never names)
    together.py    a pair proposes together: the proposer asks their pair, who joins
                   as co-proposer (or not) and may step back later
    escalation.py  an item not triaged 7 days before its meeting is raised to coordinators
"""

from bot.domain.agenda.escalation import escalate_untriaged
from bot.domain.agenda.proposals import (
    Draft,
    comment,
    comment_target,
    confirm,
    link_reflection,
    own_reflections,
    propose,
    set_why,
    support,
    withdraw,
)
from bot.domain.agenda.together import ask_pair, join, step_back
from bot.domain.agenda.triage import (
    DeskItem,
    accept,
    decline,
    desk,
    meeting_choices,
    merge,
    merge_targets,
    outcome_item,
    record_outcome,
    waiting_item,
)
from bot.domain.agenda.views import (
    ItemView,
    MeetingItem,
    agenda_for_meeting,
    for_partner,
    for_staff,
    titles_for_meetings,
)

__all__ = [
    "DeskItem",
    "Draft",
    "ItemView",
    "MeetingItem",
    "accept",
    "agenda_for_meeting",
    "ask_pair",
    "comment",
    "comment_target",
    "confirm",
    "decline",
    "desk",
    "escalate_untriaged",
    "for_partner",
    "for_staff",
    "join",
    "link_reflection",
    "meeting_choices",
    "merge",
    "merge_targets",
    "outcome_item",
    "own_reflections",
    "propose",
    "record_outcome",
    "set_why",
    "step_back",
    "support",
    "titles_for_meetings",
    "waiting_item",
    "withdraw",
]
