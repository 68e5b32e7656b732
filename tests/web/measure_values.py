"""Values for the dashboard's measures page (issue 17, what matters to us), of the kinds
dashboard_values.py gives the other pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.web.charts import bar_chart
from tests.library.template_values import COHORTS, TEXTS
from tests.web.dashboard_values import MOMENTS, Thing


def _pick(options: tuple[Any, ...], round_: int) -> Any:
    return options[round_ % len(options)]


def _measure_groups(round_: int) -> list[Thing]:
    """What matters to us (issue 17): a group's measures with their months and comments."""
    retired = bool(round_ % 2)
    measure = Thing(
        text=_pick(TEXTS, round_),
        status=Thing(value="retired" if retired else "adopted"),
        adopted_at=MOMENTS[0],
        retired_at=MOMENTS[1] if retired else None,
        votes_at_adoption=_pick((0, 1, 2, None), round_),
    )
    months = (
        {"2026-03": Thing(mean=_pick((3.5, None, 1.0), round_), count=round_ % 3, dont_know=1)}
        if round_ % 3
        else {}
    )
    comments = [("2026-03", _pick(TEXTS, round_))] if round_ % 2 else []
    one = Thing(measure=measure, months=months, comments=comments)
    chart = bar_chart([], label="What matters")
    return [Thing(name=_pick(COHORTS, round_), measures=[one], chart=chart)][: 1 + round_ % 3]


def measure_values(round_: int) -> dict[str, Any]:
    """The measures page's variables for one round."""
    return {
        "groups": _measure_groups(round_) if round_ % 4 else [],
        "chosen": _pick((None, 1), round_),
        "month_name": lambda month: datetime.strptime(month, "%Y-%m").strftime("%b %Y"),
        "made": MOMENTS[0],
    }
