"""`tandem meeting add|list|move|cancel`: the same domain functions the chat will use."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import click

from bot.cli.support import load, open_db, operator_errors
from bot.domain.clock import SystemClock
from bot.domain.errors import InvalidInput
from bot.library.catalogue import Library
from bot.library.timetable import local_to_utc


def _local(text: str, zone: str) -> datetime:
    """ "2026-12-03 14:00" in the cohort's time zone, as an aware datetime."""
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("meeting.bad_time_text", typed=text) from None
    return local_to_utc(naive.date(), naive.time(), zone)


def _end(start: datetime, end: str | None, minutes: int, zone: str) -> datetime:
    if end is None:
        return start + timedelta(minutes=minutes)
    if len(end.strip()) <= 5:  # just a time: the same local day as the start
        local_start = start.astimezone(ZoneInfo(zone))
        return _local(f"{local_start:%Y-%m-%d} {end.strip()}", zone)
    return _local(end, zone)


@click.group()
def meeting() -> None:
    """Add, list, move and cancel meetings (each change re-plans what partners get)."""


@meeting.command("add")
@click.option("--cohort", "cohort_name", required=True)
@click.option("--title", required=True)
@click.option("--start", required=True, help='Local time, e.g. "2026-12-03 14:00".')
@click.option("--end", default=None, help='Local end time, e.g. "16:00" (or use --minutes).')
@click.option("--minutes", type=int, default=120, show_default=True)
@click.option("--place", default=None)
@click.option("--link", default=None, help="An https:// link to join online.")
@click.option("--papers", default="", help="Briefing ids, separated by commas.")
@operator_errors
def meeting_add(
    cohort_name: str,
    title: str,
    start: str,
    end: str | None,
    minutes: int,
    place: str | None,
    link: str | None,
    papers: str,
) -> None:
    """Add a meeting to a cohort's calendar."""
    from bot.domain.cohorts import get_cohort
    from bot.domain.meetings import add_meeting

    library = Library.load_or_fail()
    unknown = [p for p in _ids(papers) if p not in library.briefings]
    if unknown:
        raise InvalidInput("meeting.unknown_papers", papers=", ".join(unknown))
    database = open_db(load())
    with database.transaction() as session:
        cohort = get_cohort(session, name=cohort_name)
        starts_at = _local(start, cohort.time_zone)
        plan = add_meeting(
            session,
            cohort=cohort,
            title=title,
            starts_at=starts_at,
            ends_at=_end(starts_at, end, minutes, cohort.time_zone),
            clock=SystemClock(),
            timetable=library.timetable,
            place=place,
            join_url=link,
            papers=_ids(papers),
        )
        click.echo(
            f"Added meeting #{plan.meeting.id}: {plan.meeting.title} "
            f"({plan.planned} message(s) planned)."
        )


def _ids(papers: str) -> list[str]:
    return [p.strip() for p in papers.split(",") if p.strip()]


@meeting.command("list")
@click.option("--cohort", "cohort_name", default=None)
@click.option("--all", "show_all", is_flag=True, help="Past meetings too.")
@operator_errors
def meeting_list(cohort_name: str | None, show_all: bool) -> None:
    """List meetings, soonest first, in each cohort's local time."""
    from bot.domain.cohorts import get_cohort, list_cohorts
    from bot.domain.meetings import list_meetings

    database = open_db(load())
    with database.transaction() as session:
        cohorts = {c.id: c for c, _ in list_cohorts(session)}
        ids = [get_cohort(session, name=cohort_name).id] if cohort_name else None
        after = None if show_all else SystemClock().now()
        found = list_meetings(session, cohort_ids=ids, after=after)  # type: ignore[arg-type]
    if not found:
        click.echo("No meetings. Add one with: tandem meeting add --cohort NAME ...")
    for item in found:
        cohort = cohorts[item.cohort_id]
        local = item.starts_at.astimezone(ZoneInfo(cohort.time_zone))
        click.echo(
            f"#{item.id}\t{local:%Y-%m-%d %H:%M} {cohort.time_zone}\t{cohort.name}\t"
            f"{item.title}\t{item.status.value}"
        )


@meeting.command("move")
@click.argument("meeting_id", type=int)
@click.option("--start", required=True, help='New local start, e.g. "2026-12-10 14:00".')
@click.option("--end", default=None)
@click.option("--minutes", type=int, default=None, help="Default: as long as before.")
@operator_errors
def meeting_move(meeting_id: int, start: str, end: str | None, minutes: int | None) -> None:
    """Move a meeting; pending messages move with it and partners are told."""
    from bot.domain.meetings import get_meeting, move_meeting
    from bot.models import Cohort

    library = Library.load_or_fail()
    database = open_db(load())
    with database.transaction() as session:
        current = get_meeting(session, meeting_id=meeting_id)
        cohort = session.get(Cohort, current.cohort_id)
        assert cohort is not None
        length = minutes or int((current.ends_at - current.starts_at).total_seconds() // 60)
        starts_at = _local(start, cohort.time_zone)
        plan = move_meeting(
            session,
            meeting_id=meeting_id,
            starts_at=starts_at,
            ends_at=_end(starts_at, end, length, cohort.time_zone),
            clock=SystemClock(),
            timetable=library.timetable,
        )
        click.echo(f"Moved meeting #{meeting_id}; {plan.planned} message(s) re-planned.")


@meeting.command("cancel")
@click.argument("meeting_id", type=int)
@operator_errors
def meeting_cancel(meeting_id: int) -> None:
    """Cancel a meeting; its pending messages are cancelled and partners are told."""
    from bot.domain.meetings import cancel_meeting

    database = open_db(load())
    with database.transaction() as session:
        plan = cancel_meeting(session, meeting_id=meeting_id, clock=SystemClock())
    click.echo(f"Cancelled meeting #{meeting_id}; {plan.cancelled} pending message(s) cancelled.")


@click.group()
def timetable() -> None:
    """Show or change a cohort's timetable (when partners hear from Tandem)."""


@timetable.command("show")
@click.option("--cohort", "cohort_name", required=True)
@operator_errors
def timetable_show(cohort_name: str) -> None:
    """The meeting rules for a cohort, with its own changes applied."""
    from bot.domain.cohorts import get_cohort
    from bot.domain.planning import rules_for

    library = Library.load_or_fail()
    database = open_db(load())
    with database.transaction() as session:
        cohort = get_cohort(session, name=cohort_name)
        assert cohort.id is not None
        rules = {rule.purpose: rule for rule in rules_for(session, cohort.id, library.timetable)}
    for rule in library.timetable.meeting:
        mine = rules.get(rule.purpose)
        if mine is None:
            click.echo(f"{rule.purpose}\toff")
            continue
        when = (
            f"{mine.before_start} before the start"
            if mine.before_start
            else (f"{mine.after_end} after the end")
        )
        click.echo(f"{rule.purpose}\t{when}{f' at {mine.at}' if mine.at else ''}")


@timetable.command("set")
@click.option("--cohort", "cohort_name", required=True)
@click.option("--rule", "purpose", required=True, help="e.g. briefing, reminder_day, nudge.")
@click.option("--off", is_flag=True, help="Stop sending this for the cohort.")
@click.option("--offset", default=None, help="e.g. 5d or 36h (before the start, or after the end).")
@click.option("--at", default=None, help="Local time of day, e.g. 09:00.")
@operator_errors
def timetable_set(
    cohort_name: str, purpose: str, off: bool, offset: str | None, at: str | None
) -> None:
    """Change one rule for a cohort; its meetings are re-planned."""
    from bot.domain.cohorts import get_cohort
    from bot.domain.planning import set_override

    library = Library.load_or_fail()
    database = open_db(load())
    with database.transaction() as session:
        cohort = get_cohort(session, name=cohort_name)
        assert cohort.id is not None
        set_override(
            session,
            cohort_id=cohort.id,
            purpose=purpose,
            enabled=not off,
            offset=offset,
            at=at,
            timetable=library.timetable,
            clock=SystemClock(),
        )
    click.echo(f"Updated {purpose} for {cohort_name}.")
