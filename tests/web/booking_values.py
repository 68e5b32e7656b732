"""Values for the dashboard's one-to-ones page (issue 18), of the kinds dashboard_values.py
gives the other pages."""

from __future__ import annotations

from typing import Any

from tests.library.template_values import COHORTS, NAMES
from tests.web.dashboard_values import MOMENTS, Thing


def _pick(options: tuple[Any, ...], round_: int) -> Any:
    return options[round_ % len(options)]


def _bookings_desk(round_: int) -> Thing:
    """One-to-ones on the dashboard (issue 18): free, booked and cancelled times."""
    slot = Thing(
        id=3,
        starts_at=_pick(MOMENTS, round_),
        place=_pick(("Room 4, Trust HQ", None), round_),
        join_url=_pick((None, "https://meet.example.org/abc"), round_),
        status=Thing(value=_pick(("open", "open", "cancelled"), round_)),
    )
    view = Thing(
        slot=slot,
        minutes=_pick((30, 45), round_),
        host=_pick((*NAMES, ""), round_),
        partner=_pick(("", *NAMES), round_),
    )
    cohorts = [Thing(id=1, name=_pick(COHORTS, round_))][: 1 if round_ % 3 else 0]
    return Thing(cohorts=cohorts, slots=[(view, _pick(COHORTS, round_))][: round_ % 2 + 1])


def booking_values(round_: int) -> dict[str, Any]:
    """The one-to-ones page's variables for one round."""
    return {
        "desk": _bookings_desk(round_),
        "past": bool(round_ % 2),
        "lengths": (15, 30, 45),
    }
