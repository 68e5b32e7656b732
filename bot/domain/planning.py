"""The planner: turns the meetings calendar and the timetable into outbox rows.

Planning is idempotent: each row has a dedupe key (meeting, purpose, person; or purpose,
period, person), and planning again only updates rows still pending whose planned time
changed (a moved meeting, a new time zone). Rows already sent are never touched, so a
replan can never send twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, text
from sqlmodel import Session, col, select

from bot.domain import outbox
from bot.domain.board.members import board_member_ids
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput
from bot.library.timetable import (
    MeetingRule,
    RecurringRule,
    Timetable,
    parse_clock,
    parse_offset,
)
from bot.models import (
    Meeting,
    MeetingStatus,
    Membership,
    Pair,
    Person,
    PersonStatus,
    Role,
    TimetableOverride,
)

HORIZON = timedelta(days=35)  # how far ahead rows are written
FOLLOW_UP_WINDOW = timedelta(days=22)  # how long after a meeting its follow-ups may come


def partners_of(session: Session, cohort_ids: Iterable[int]) -> list[tuple[int, int, str]]:
    """(cohort, person, time zone) of every active, reachable partner in those cohorts."""
    rows = session.exec(
        select(Membership.cohort_id, Person.id, Person.time_zone)
        .join(Person, col(Person.id) == col(Membership.person_id))
        .where(
            col(Membership.cohort_id).in_(list(cohort_ids)),
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
            col(Person.unreachable_since).is_(None),
        )
    ).all()
    return [(int(cohort), int(person or 0), zone) for cohort, person, zone in rows]


def rules_for(session: Session, cohort_id: int, timetable: Timetable) -> list[MeetingRule]:
    """The timetable's meeting rules with this cohort's overrides applied."""
    overrides = {
        o.purpose: o
        for o in session.exec(
            select(TimetableOverride).where(TimetableOverride.cohort_id == cohort_id)
        )
    }
    rules = []
    for rule in timetable.meeting:
        override = overrides.get(rule.purpose)
        if override is None:
            rules.append(rule)
        elif override.enabled:
            changes: dict[str, Any] = {}
            if override.offset:
                changes["before_start" if rule.before_start else "after_end"] = override.offset
            if override.at:
                changes["at"] = override.at
            rules.append(rule.model_copy(update=changes))
    return rules


def meeting_rows(
    meeting: Meeting,
    rules: list[MeetingRule],
    people: Iterable[tuple[int, str]],
    now: datetime,
    paired: AbstractSet[int] = frozenset(),
) -> list[dict[str, Any]]:
    """The outbox rows a meeting needs, for these (person, time zone) pairs; rules for
    pairs only are for the people in `paired`."""
    rows = []
    for person_id, zone in people:
        for rule in rules:
            if rule.pairs_only and person_id not in paired:
                continue
            due = rule.due(meeting.starts_at, meeting.ends_at, zone)
            expires = meeting.starts_at if rule.expires_at_start else rule.expiry(due)
            if expires is not None and expires <= now:
                continue  # too late to be useful: never planned
            payload = {"prompt_set": rule.prompt_set, "only_unanswered": rule.only_unanswered}
            rows.append(
                outbox.new_row(
                    key=f"m{meeting.id}:{rule.purpose}:p{person_id}",
                    person_id=person_id,
                    purpose=rule.purpose,
                    due=due,
                    expires=expires,
                    now=now,
                    meeting_id=meeting.id,
                    payload=payload,
                )
            )
    return rows


def plan_meeting(session: Session, *, meeting: Meeting, timetable: Timetable, clock: Clock) -> int:
    """Write (or re-time) every delivery for one meeting; returns how many rows it wrote."""
    now = clock.now()
    if meeting.status != MeetingStatus.SCHEDULED:
        return 0
    people = [(p, zone) for _, p, zone in partners_of(session, [meeting.cohort_id])]
    rules = rules_for(session, meeting.cohort_id, timetable)
    paired = paired_in(session, meeting.cohort_id) if any(r.pairs_only for r in rules) else set()
    partner_rules = [r for r in rules if r.audience == "partners"]
    rows = meeting_rows(meeting, partner_rules, people, now, paired)
    # Board members (issue 17) get only the rules for the board.
    board = [(p, zone) for _, p, zone in board_member_ids(session, cohort_ids=[meeting.cohort_id])]
    rows += meeting_rows(meeting, [r for r in rules if r.audience == "board"], board, now)
    written = outbox.write(session, rows)
    meeting.planned_at = now
    session.add(meeting)
    return written


def recurring_rows(
    rules: Iterable[RecurringRule],
    people: Iterable[tuple[int, str]],
    now: datetime,
    horizon: timedelta = HORIZON,
) -> list[dict[str, Any]]:
    """Rows for calendar rules (monthly check-in...) from now to the horizon."""
    rows = []
    for person_id, zone in people:
        for rule in rules:
            for period, due in rule.occurrences(now, now + horizon, zone):
                rows.append(
                    outbox.new_row(
                        key=f"{rule.purpose}:{period}:p{person_id}",
                        person_id=person_id,
                        purpose=rule.purpose,
                        due=due,
                        expires=rule.expiry(due),
                        now=now,
                        payload={"prompt_set": rule.prompt_set},
                    )
                )
    return rows


def plan_person(session: Session, *, person_id: int, timetable: Timetable, clock: Clock) -> int:
    """Plan everything one person should get (after joining, or a change of time zone)."""
    now = clock.now()
    person = session.get(Person, person_id)
    if person is None or person.status != PersonStatus.ACTIVE:
        return 0
    if person.role not in (Role.PARTNER, Role.BOARD):
        return 0
    audience = "board" if person.role == Role.BOARD else "partners"
    cohorts = session.exec(
        select(Membership.cohort_id).where(
            Membership.person_id == person_id, col(Membership.left_at).is_(None)
        )
    ).all()
    written = 0
    for meeting in upcoming_meetings(session, cohort_ids=list(cohorts), now=now):
        rules = [
            r for r in rules_for(session, meeting.cohort_id, timetable) if r.audience == audience
        ]
        paired = paired_in(session, meeting.cohort_id)
        written += outbox.write(
            session, meeting_rows(meeting, rules, [(person_id, person.time_zone)], now, paired)
        )
    if person.role == Role.BOARD:
        return written  # the monthly check-in is for partners
    rows = recurring_rows(timetable.recurring, [(person_id, person.time_zone)], now)
    return written + outbox.write(session, rows)


def paired_in(session: Session, cohort_id: int) -> set[int]:
    """Everyone currently in a pair in this cohort."""
    return {
        person
        for pair in session.exec(
            select(Pair).where(Pair.cohort_id == cohort_id, col(Pair.ended_at).is_(None))
        )
        for person in (pair.first_id, pair.second_id)
    }


def upcoming_meetings(
    session: Session, *, now: datetime, cohort_ids: list[int] | None = None
) -> list[Meeting]:
    """Scheduled meetings close enough (ahead, or recent enough for follow-ups) to plan."""
    query = select(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED,
        col(Meeting.starts_at) <= now + HORIZON,
        col(Meeting.ends_at) >= now - FOLLOW_UP_WINDOW,
    )
    if cohort_ids is not None:
        query = query.where(col(Meeting.cohort_id).in_(cohort_ids))
    return list(session.exec(query.order_by(col(Meeting.starts_at))).all())


def stale_meetings(session: Session, *, now: datetime, limit: int = 20) -> list[Meeting]:
    """Meetings within reach whose deliveries were never planned or planned before a change."""
    return list(
        session.exec(
            select(Meeting)
            .where(
                Meeting.status == MeetingStatus.SCHEDULED,
                col(Meeting.starts_at) <= now + HORIZON,
                col(Meeting.ends_at) >= now - FOLLOW_UP_WINDOW,
                or_(
                    col(Meeting.planned_at).is_(None),
                    col(Meeting.planned_at) < col(Meeting.updated_at),
                    col(Meeting.planned_at) < now - timedelta(days=1),
                ),
            )
            .limit(limit)
        ).all()
    )


def plan_recurring_for_everyone(
    session: Session,
    *,
    timetable: Timetable,
    clock: Clock,
    after_person: int = 0,
    batch: int = 1000,
) -> tuple[int, int | None]:
    """Calendar rules for a batch of partners (ids above `after_person`); returns rows
    written and the last person id done (None when everyone is done)."""
    people = session.exec(
        select(Person.id, Person.time_zone)
        .where(
            Person.status == PersonStatus.ACTIVE,
            Person.role == Role.PARTNER,
            col(Person.id) > after_person,
        )
        .order_by(col(Person.id))
        .limit(batch)
    ).all()
    rows = recurring_rows(timetable.recurring, [(int(p or 0), z) for p, z in people], clock.now())
    written = outbox.write(session, rows)
    return written, (int(people[-1][0] or 0) if len(people) == batch else None)


PLANNER_LOCK = 0x7A4D3E  # any constant shared by every Tandem instance on one database


def planner_lock(session: Session) -> bool:
    """On PostgreSQL, take the planner's lock for this transaction (False: another instance
    is planning); on SQLite there is one process, so always True."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    got = session.execute(
        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": PLANNER_LOCK}
    ).scalar()
    return bool(got)


def set_override(
    session: Session,
    *,
    cohort_id: int,
    purpose: str,
    timetable: Timetable,
    clock: Clock,
    enabled: bool = True,
    offset: str | None = None,
    at: str | None = None,
) -> TimetableOverride:
    """Change one timetable rule for a cohort (off, another offset, another time of day);
    the cohort's meetings are re-planned with it."""
    if purpose not in {rule.purpose for rule in timetable.meeting}:
        raise InvalidInput("timetable.unknown_purpose", purpose=purpose)
    try:
        if offset:
            parse_offset(offset)
        if at:
            parse_clock(at)
    except ValueError:
        raise InvalidInput("timetable.bad_value") from None
    override = session.exec(
        select(TimetableOverride).where(
            TimetableOverride.cohort_id == cohort_id, TimetableOverride.purpose == purpose
        )
    ).first() or TimetableOverride(cohort_id=cohort_id, purpose=purpose)
    override.enabled, override.offset, override.at = enabled, offset, at
    session.add(override)
    session.flush()
    if not enabled:
        outbox.cancel_pending(
            session,
            clock=clock,
            purposes=[purpose],
            meeting_ids=select(Meeting.id).where(Meeting.cohort_id == cohort_id),
            reason="turned off for the cohort",
        )
    for meeting in upcoming_meetings(session, now=clock.now(), cohort_ids=[cohort_id]):
        plan_meeting(session, meeting=meeting, timetable=timetable, clock=clock)
    return override
