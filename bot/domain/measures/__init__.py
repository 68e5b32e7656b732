"""What matters to us: measures a cohort's partners define (issue 17, part 2).

Partners propose statements of what good care or a good programme looks like, vote for the
ones they care about most with a few votes each (`votes_each`; votes on measures still
proposed count against it, so each adoption opens a new round), and the facilitator adopts
the top ones in agreement with the cohort. Adopted measures are asked in the monthly
check-in (measures/checkin.py) and charted on the dashboard (measures/figures.py).

    proposals.py   propose, withdraw, vote, take a vote back; a partner's own view
    running.py     what staff see and do: every measure of a cohort, adopt, retire
    checkin.py     adopted measures as questions of the monthly check-in
    figures.py     ratings over time, latest figures, anonymised comments
    outcomes.py    "you said, we did": what changed about a measure, told to the cohort
"""

from bot.domain.measures.checkin import measure_of_question, with_measures
from bot.domain.measures.figures import Figure, latest_figures, measure_series
from bot.domain.measures.outcomes import outcome_measure, record_measure_outcome
from bot.domain.measures.proposals import (
    PartnerView,
    partner_cohort,
    partner_view,
    propose,
    take_back,
    vote,
    withdraw,
)
from bot.domain.measures.running import (
    CohortMeasures,
    adopt,
    cohort_measures,
    looked_at,
    retire,
)

__all__ = [
    "CohortMeasures",
    "Figure",
    "PartnerView",
    "adopt",
    "cohort_measures",
    "latest_figures",
    "looked_at",
    "measure_of_question",
    "measure_series",
    "outcome_measure",
    "partner_cohort",
    "partner_view",
    "propose",
    "record_measure_outcome",
    "retire",
    "take_back",
    "vote",
    "with_measures",
    "withdraw",
]
