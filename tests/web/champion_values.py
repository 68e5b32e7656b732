"""Values for the dashboard's champions page (issue 18), of the kinds dashboard_values.py
gives the other pages."""

from __future__ import annotations

from typing import Any

from tests.library.template_values import COHORTS, NAMES
from tests.web.dashboard_values import MOMENTS, Thing


def _pick(options: tuple[Any, ...] | list[Any], round_: int) -> Any:
    return options[round_ % len(options)]


def _champion_groups(round_: int) -> list[Thing]:
    """A cohort's champions with their mentees, and its partners."""
    champion = Thing(id=3, started_at=MOMENTS[0], status=Thing(value="active"))
    mentoring = Thing(started_at=MOMENTS[0], ends_at=MOMENTS[1])
    mentees = _pick(([(mentoring, _pick(NAMES, round_ + 1))], []), round_)
    partners = [
        Thing(
            person=Thing(id=n, preferred_name=_pick(NAMES, round_ + n)),
            joined=MOMENTS[0],
            meetings=n,
            champion=_pick((champion, None, Thing(status=Thing(value="declined"))), n),
            new=n % 2 == 1,
            mentor=_pick((None, _pick(NAMES, round_)), n + round_),
        )
        for n in range(3)
    ]
    group = Thing(
        cohort=Thing(id=1, name=_pick(COHORTS, round_)),
        champions=[Thing(row=champion, name=_pick(NAMES, round_), mentees=mentees)],
        partners=partners,
        waiting=[partners[1]],
    )
    empty = Thing(cohort=Thing(id=2, name="Carers"), champions=[], partners=[], waiting=[])
    return _pick(([group, empty], [group], []), round_)


def champion_values(template: str, round_: int) -> dict[str, Any]:
    """The champions page's own variables (nothing for other pages)."""
    if template != "champions.html":
        return {}
    return {
        "groups": _champion_groups(round_),
        "done": _pick(("asked", "ended", "offered", None), round_),
    }
