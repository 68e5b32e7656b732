"""People: finding them, their preferences, pausing, leaving, reachability."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.domain import changes
from bot.domain.changes import ChangeKind
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.timezones import QuietHours, is_valid_time_zone, quiet_hours_of
from bot.models import Cohort, Membership, Person, PersonStatus, Role

NAME_MAX = 64


_BY_TELEGRAM = select(Person).where(col(Person.telegram_user_id) == bindparam("user_id"))


def find_by_telegram(session: Session, *, telegram_user_id: int) -> Person | None:
    """The person with this Telegram user id, if they ever joined (and did not erase)."""
    return session.exec(_BY_TELEGRAM, params={"user_id": telegram_user_id}).first()


def get_person(session: Session, *, person_id: int) -> Person:
    """The person with this id, or NotFound."""
    person = session.get(Person, person_id)
    if person is None or person.status == PersonStatus.ERASED:
        raise NotFound("person.not_found", f"no person {person_id}")
    return person


def clean_name(typed: str) -> str:
    """A preferred name as typed, tidied: no control characters, single spaces."""
    visible = "".join(ch for ch in typed if unicodedata.category(ch)[0] != "C")
    name = " ".join(visible.split())
    if not name:
        raise InvalidInput("name.empty")
    if len(name) > NAME_MAX:
        raise InvalidInput("name.too_long", limit=NAME_MAX)
    return name


def set_name(session: Session, *, person_id: int, name: str, clock: Clock) -> Person:
    """Change what Tandem calls the person."""
    person = get_person(session, person_id=person_id)
    old, person.preferred_name = person.preferred_name or "", clean_name(name)
    changes.record(
        session,
        person_id=person_id,
        kind=ChangeKind.NAME,
        old=old,
        new=name_of(person),
        clock=clock,
    )
    session.add(person)
    return person


def name_of(person: Person) -> str:
    """The person's preferred name ("" if they have none)."""
    return person.preferred_name or ""


def set_language(
    session: Session, *, person_id: int, language: str, known: frozenset[str]
) -> Person:
    """Write to the person in `language` from now on (one of the `known` codes)."""
    if language not in known:
        raise InvalidInput("language.unknown")
    person = get_person(session, person_id=person_id)
    person.language = language
    session.add(person)
    return person


def set_time_zone(session: Session, *, person_id: int, time_zone: str, clock: Clock) -> Person:
    """Change the person's time zone (an IANA name)."""
    if not is_valid_time_zone(time_zone):
        raise InvalidInput("tz.unknown", typed=time_zone)
    person = get_person(session, person_id=person_id)
    old, person.time_zone = person.time_zone, time_zone
    changes.record(
        session, person_id=person_id, kind=ChangeKind.TIME_ZONE, old=old, new=time_zone, clock=clock
    )
    session.add(person)
    return person


def set_quiet_hours(
    session: Session, *, person_id: int, quiet: QuietHours | None, clock: Clock
) -> Person:
    """Change (or remove, with None) the person's nightly quiet hours."""
    person = get_person(session, person_id=person_id)
    old = quiet_text(person)
    person.quiet_start = quiet.start if quiet else None
    person.quiet_end = quiet.end if quiet else None
    session.add(person)
    changes.record(
        session,
        person_id=person_id,
        kind=ChangeKind.QUIET_HOURS,
        old=old,
        new=quiet_text(person),
        clock=clock,
    )
    return person


def quiet_hours(person: Person) -> QuietHours | None:
    """The person's quiet hours, if they keep any."""
    return quiet_hours_of(person.quiet_start, person.quiet_end)


def quiet_text(person: Person) -> str:
    """The person's quiet hours as "21:00-08:00" ("" when they keep none)."""
    if person.quiet_start is None or person.quiet_end is None:
        return ""
    start, end = person.quiet_start, person.quiet_end
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


PAUSE_CHOICES = {"1w": timedelta(weeks=1), "2w": timedelta(weeks=2), "4w": timedelta(weeks=4)}


def pause(session: Session, *, person_id: int, choice: str, clock: Clock) -> Person:
    """Pause scheduled messages for a while ("1w", "2w", "4w") or until resumed ("open")."""
    if choice != "open" and choice not in PAUSE_CHOICES:
        raise InvalidInput("pause.unknown_choice")
    person = get_person(session, person_id=person_id)
    now = clock.now()
    person.paused_at = now
    person.paused_until = None if choice == "open" else now + PAUSE_CHOICES[choice]
    session.add(person)
    changes.record(
        session,
        person_id=person_id,
        kind=ChangeKind.PAUSE,
        new=changes.iso(person.paused_until),
        clock=clock,
    )
    return person


def resume(session: Session, *, person_id: int) -> Person:
    """End a pause now."""
    person = get_person(session, person_id=person_id)
    person.paused_at = None
    person.paused_until = None
    session.add(person)
    return person


def is_paused(person: Person, *, now: datetime) -> bool:
    """True while the person has paused scheduled messages."""
    if person.paused_at is None:
        return False
    return person.paused_until is None or person.paused_until > now


def leave(session: Session, *, person_id: int, clock: Clock) -> Person:
    """The person leaves Tandem: memberships end and nothing more is sent to them."""
    person = get_person(session, person_id=person_id)
    now = clock.now()
    person.status = PersonStatus.LEFT
    person.left_at = now
    for membership in session.exec(
        select(Membership).where(
            Membership.person_id == person_id, col(Membership.left_at).is_(None)
        )
    ):
        membership.left_at = now
        session.add(membership)
    session.add(person)
    return person


def mark_unreachable(
    session: Session, *, telegram_user_id: int, reason: str, clock: Clock
) -> Person | None:
    """Telegram refused to deliver to this person (blocked, deactivated); stop sending."""
    person = find_by_telegram(session, telegram_user_id=telegram_user_id)
    if person is None:
        return None
    if person.unreachable_since is None:
        person.unreachable_since = clock.now()
    person.unreachable_reason = reason[:200]
    session.add(person)
    return person


def mark_reachable(session: Session, *, telegram_user_id: int) -> Person | None:
    """The person can be reached again (they unblocked the bot or wrote to it)."""
    person = find_by_telegram(session, telegram_user_id=telegram_user_id)
    if person is None or person.unreachable_since is None:
        return person
    person.unreachable_since = None
    person.unreachable_reason = None
    session.add(person)
    return person


@dataclass(frozen=True)
class CohortPlace:
    """One cohort a person belongs to, and their role there."""

    cohort: Cohort
    role: Role


_COHORTS_OF = (
    select(Cohort, Membership.role)
    .join(Membership, col(Membership.cohort_id) == col(Cohort.id))
    .where(col(Membership.person_id) == bindparam("person_id"), col(Membership.left_at).is_(None))
    .order_by(col(Cohort.name))
)


def cohorts_of(session: Session, *, person_id: int) -> list[CohortPlace]:
    """The cohorts the person currently belongs to."""
    # Built once: on the path of many taps, and building it cost more than running it.
    rows = session.exec(_COHORTS_OF, params={"person_id": person_id}).all()
    return [CohortPlace(cohort=cohort, role=Role(role)) for cohort, role in rows]


@dataclass(frozen=True)
class Programme:
    """What a person's messages say about their cohorts and programme."""

    cohort_ids: tuple[int, ...]
    cohort_names: tuple[str, ...]
    programme: str
    hours_per_month: int
    meetings_note: str
    contact: str


_PROGRAMME = (
    sa_select(
        col(Cohort.id),
        col(Cohort.name),
        col(Cohort.programme),
        col(Cohort.hours_per_month),
        col(Cohort.meetings_note),
        col(Cohort.contact),
    )
    .join(Membership, col(Membership.cohort_id) == col(Cohort.id))
    .where(col(Membership.person_id) == bindparam("person_id"), col(Membership.left_at).is_(None))
    .order_by(col(Cohort.name))
)


def programme_of(session: Session, *, person_id: int) -> Programme:
    """The person's cohorts (the first one decides programme, hours and contact)."""
    rows = session.execute(_PROGRAMME, {"person_id": person_id}).all()
    if not rows:
        return Programme((), (), "", 8, "", "")
    first = rows[0]
    return Programme(
        cohort_ids=tuple(int(row[0]) for row in rows),
        cohort_names=tuple(row[1] for row in rows),
        programme=first[2] or "",
        hours_per_month=first[3],
        meetings_note=first[4] or "",
        contact=first[5] or "",
    )


def facilitator_names(session: Session, *, cohort_id: int, besides: int | None = None) -> list[str]:
    """Preferred names of a cohort's active facilitators (not counting `besides`)."""
    rows = session.exec(
        select(Person.id, Person.preferred_name)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            Membership.cohort_id == cohort_id,
            Membership.role == Role.FACILITATOR,
            col(Membership.left_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
        )
        .order_by(col(Person.id))
    ).all()
    return [name for person_id, name in rows if name and person_id != besides]


def facilitators_of(session: Session, *, cohort_id: int) -> list[Person]:
    """Active facilitators of a cohort who can be reached in Telegram."""
    return list(
        session.exec(
            select(Person)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .where(
                Membership.cohort_id == cohort_id,
                Membership.role == Role.FACILITATOR,
                col(Membership.left_at).is_(None),
                Person.status == PersonStatus.ACTIVE,
                col(Person.chat_id).is_not(None),
                col(Person.unreachable_since).is_(None),
            )
            .order_by(col(Person.id))
        ).all()
    )


SEEN_RESOLUTION = timedelta(hours=1)


# One statement built once: building an ORM UPDATE on every update cost more than running it.
_SEEN = (
    update(Person)
    .where(
        col(Person.telegram_user_id) == bindparam("user"),
        or_(col(Person.last_seen_at).is_(None), col(Person.last_seen_at) < bindparam("stale")),
    )
    .values(last_seen_at=bindparam("now"))
)


def seen(session: Session, *, telegram_user_id: int, clock: Clock) -> None:
    """Note that the person wrote or tapped; kept to the hour, so most updates write nothing."""
    now = clock.now()
    session.connection().execute(
        _SEEN, {"user": telegram_user_id, "stale": now - SEEN_RESOLUTION, "now": now}
    )


class SeenMemory:
    """When this process last noted each person as seen, so that within the hour an update
    asks the database nothing at all (most updates; another process may note them too)."""

    def __init__(self, *, limit: int = 100_000) -> None:
        self._noted: dict[int, datetime] = {}
        self._limit = limit

    def note(self, session: Session, *, telegram_user_id: int, clock: Clock) -> None:
        """`seen`, unless this process noted them less than an hour ago."""
        now = clock.now()
        last = self._noted.get(telegram_user_id)
        if last is not None and last <= now < last + SEEN_RESOLUTION:
            return
        seen(session, telegram_user_id=telegram_user_id, clock=clock)
        if len(self._noted) >= self._limit:
            self._noted.clear()  # rare; costs one statement per person afterwards
        self._noted[telegram_user_id] = now

    def forget(self, *, telegram_user_id: int) -> None:
        """Note them again next time (after they erased their data and came back)."""
        self._noted.pop(telegram_user_id, None)


def menu_outdated(session: Session, *, version: int) -> list[Person]:
    """People who can be reached whose command menu predates `version`."""
    return list(
        session.exec(
            select(Person).where(
                col(Person.status).in_([PersonStatus.ACTIVE, PersonStatus.ONBOARDING]),
                Person.commands_version != version,
                col(Person.chat_id).is_not(None),
                col(Person.unreachable_since).is_(None),
            )
        ).all()
    )


def menu_sent(session: Session, *, person_id: int, version: int) -> None:
    """The person's command menu is now at `version`."""
    person = session.get(Person, person_id)
    if person is not None:
        person.commands_version = version
        session.add(person)


def names_of(session: Session, ids: set[int]) -> dict[int, str]:
    """Preferred names by person id (one query)."""
    if not ids:
        return {}
    return {
        int(pid): name or ""
        for pid, name in session.exec(
            select(Person.id, Person.preferred_name).where(col(Person.id).in_(ids))
        ).all()
        if pid is not None
    }
