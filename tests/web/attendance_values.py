"""Values for the dashboard's attendance pages (issue 18), of the kinds dashboard_values.py
gives the other pages."""

from __future__ import annotations

from typing import Any

from tests.library.template_values import COHORTS, NAMES, TITLES
from tests.web.dashboard_values import MOMENTS, Thing


def _pick(options: tuple[Any, ...], round_: int) -> Any:
    return options[round_ % len(options)]


def _sheet(round_: int) -> Thing:
    """A meeting's attendance sheet: confirmed or not, with or without partners."""
    lines = [
        Thing(person_id=3, name=_pick(NAMES, round_), attended=True, confirmed=True,
              said=_pick((True, False, None), round_)),
        Thing(person_id=4, name="Dr <Sam>", attended=False, confirmed=False, said=None),
    ][: 2 if round_ % 5 else 0]  # fmt: skip
    return Thing(
        meeting_id=4,
        cohort_id=1,
        title=_pick(TITLES, round_),
        starts_at=_pick(MOMENTS, round_),
        lines=lines,
        confirmed=bool(round_ % 2),
        count=round_ % 3,
    )


def attendance_values(round_: int) -> dict[str, Any]:
    """The attendance pages' variables for one round."""
    return {
        "sheets": [_sheet(round_)][: 1 if round_ % 3 else 0],
        "sheet": _sheet(round_),
        "names": {1: _pick(COHORTS, round_)},
        "cohort": _pick(COHORTS, round_),
        "choices": [(3, _pick(NAMES, round_), _pick(COHORTS, round_))][: 1 if round_ % 4 else 0],
        "notes": {"saved": "Saved. The partners' records now show who came."},
    }
