"""Champions and mentoring (issue 18, part 3).

A facilitator asks an experienced partner to be a champion; they accept or say not now (a
status, never an invite role). A new partner is offered a champion as a mentor for their
first three months; both are introduced by first name, can message each other through the
bot, and the champion is prompted to check in after the mentee's first and third meeting.
Champions see their mentees' first names and attendance, never anything they wrote.

    common.py      a cohort's partners, when each joined, ending mentorships kindly
    status.py      ask, answer, step down, end; `is_champion`
    mentoring.py   offer a mentor (staff, or by itself after joining), accept or decline
    views.py       a partner's own view, a mentee's attendance, staff's view of a cohort
    relay.py       messages between champion and mentee, stop, report
    followups.py   the planner's check-in prompts and the end of mentoring
    privacy.py     /mydata sections and /forget
"""

from bot.domain.champions.followups import check_ins, finish_due, follow_up
from bot.domain.champions.mentoring import (
    answer_offer,
    free_champions,
    offer,
    offer_after_joining,
)
from bot.domain.champions.relay import (
    mentorship_of,
    other_in,
    relay,
    report_problem,
    set_relay_stopped,
)
from bot.domain.champions.status import (
    answer,
    ask,
    end_champion,
    is_champion,
    managed,
    mentee_count,
    name_of,
    own,
    step_down,
)
from bot.domain.champions.views import (
    CohortChampions,
    MenteeView,
    PartnerHome,
    cohort_view,
    desk,
    partner_home,
)

__all__ = [
    "CohortChampions",
    "MenteeView",
    "PartnerHome",
    "answer",
    "answer_offer",
    "ask",
    "check_ins",
    "cohort_view",
    "desk",
    "end_champion",
    "finish_due",
    "follow_up",
    "free_champions",
    "is_champion",
    "managed",
    "mentee_count",
    "mentorship_of",
    "name_of",
    "offer",
    "offer_after_joining",
    "other_in",
    "own",
    "partner_home",
    "relay",
    "report_problem",
    "set_relay_stopped",
    "step_down",
]
