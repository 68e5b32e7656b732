"""Reading the reflections filter from a query string (pages and exports share it)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from starlette.datastructures import QueryParams

from bot.domain.audit import AuditFilter
from bot.domain.errors import InvalidInput
from bot.domain.reflection_search import ReflectionFilter
from bot.models import Sharing

FIELDS = (
    "cohort",
    "meeting",
    "partner",
    "set",
    "sharing",
    "flagged",
    "from",
    "to",
    "q",
    "score_q",
    "score_max",
)


def _int(params: QueryParams, name: str) -> int | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise InvalidInput("dashboard.bad_filter", field=name)
    return int(value)


def _day(params: QueryParams, name: str, zone: str) -> datetime | None:
    """Local midnight of a YYYY-MM-DD day, in UTC."""
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("dashboard.bad_date", typed=value[:20]) from None
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))


def parse(params: QueryParams, *, zone: str) -> ReflectionFilter:
    """The filter a query string asks for; InvalidInput names a field it cannot read."""
    sharing = params.get("sharing", "")
    flagged = params.get("flagged", "")
    until = _day(params, "to", zone)
    return ReflectionFilter(
        cohort_id=_int(params, "cohort"),
        meeting_id=_int(params, "meeting"),
        person_id=_int(params, "partner"),
        partner_name=params.get("who", "").strip()[:64] or None,
        prompt_set=params.get("set", "").strip() or None,
        sharing=Sharing(sharing) if sharing in ("facilitators", "anonymised") else None,
        flagged=True if flagged == "yes" else False if flagged == "no" else None,
        since=_day(params, "from", zone),
        until=until + timedelta(days=1) if until else None,
        text=params.get("q", "").strip()[:100] or None,
        scale_question=params.get("score_q", "").strip() or None,
        scale_at_most=_int(params, "score_max"),
    )


def kept(params: QueryParams) -> dict[str, str]:
    """The filter fields present in a query string, to carry into links (paging, export)."""
    return {name: params[name] for name in FIELDS if params.get(name)}


def audit(params: QueryParams, *, zone: str) -> AuditFilter:
    """The audit log's filter: what, who, from and to (days in the viewer's time zone)."""
    until = _day(params, "to", zone)
    return AuditFilter(
        action=params.get("action", "").strip()[:64] or None,
        actor_id=_int(params, "person"),
        since=_day(params, "from", zone),
        until=until + timedelta(days=1) if until else None,
    )
