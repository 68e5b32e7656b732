"""Values for the dashboard's agenda page (issue 17, agenda items from partners), of the
kinds dashboard_values.py gives the other pages."""

from __future__ import annotations

from typing import Any

from tests.library.template_values import NAMES, TEXTS, TITLES
from tests.web.dashboard_values import MOMENTS, Thing


def _pick(options: tuple[Any, ...], round_: int) -> Any:
    return options[round_ % len(options)]


def _agenda_entry(round_: int) -> Thing:
    """An agenda item on the dashboard (issue 17): open, accepted, ready for its outcome."""
    status = _pick(("open", "accepted", "accepted"), round_)
    item = Thing(
        id=5,
        title=_pick(TITLES, round_),
        why=_pick((*TEXTS, None), round_),
        status=Thing(value=status),
    )
    return Thing(
        view=Thing(
            item=item,
            proposer=_pick(NAMES, round_),
            pair=_pick((None, *NAMES), round_),  # proposed by a pair together, or not
            supports=round_ % 3,
            meeting=_pick((*TITLES, None), round_),
            reflection=_pick((None, "After the meeting"), round_),
            comments=_pick(((), ("Me too.",)), round_),
        ),
        meetings=_pick(
            ([], [Thing(id=4, title=_pick(TITLES, round_), starts_at=MOMENTS[0])]), round_ + 1
        ),
        targets=_pick(([Thing(id=6, title=_pick(TITLES, round_ + 1))], []), round_),
        outcome_ready=round_ % 3 == 2,
    )


def agenda_values(template: str, round_: int) -> dict[str, Any]:
    """The agenda page's own `found` (nothing for other pages)."""
    if template != "agenda.html":
        return {}
    return {"found": [_agenda_entry(round_)]}
