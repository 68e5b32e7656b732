"""Small factories for test data, going through the domain like real callers do."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from bot.db import Database
from bot.domain.clock import Clock
from bot.domain.cohorts import create_cohort
from bot.domain.invites import create_invite
from bot.library.catalogue import Library
from bot.models import Cohort, Meeting, Role


@cache
def library() -> Library:
    """The shipped briefings, prompt sets and timetable, loaded once (they must be valid)."""
    return Library.load_or_fail()


def make_cohort(
    db: Database, clock: Clock, name: str = "Frailty pathway", **kwargs: object
) -> Cohort:
    """A cohort (with a programme name and a contact unless told otherwise)."""
    options: dict[str, object] = {
        "programme": "North West London integrated care",
        "contact": "Margaret Evans, 020 7946 0000",
        "meetings_note": "monthly, on Thursday afternoons",
    } | kwargs
    with db.transaction() as session:
        return create_cohort(session, name=name, clock=clock, **options)  # type: ignore[arg-type]


def make_invite(
    db: Database,
    clock: Clock,
    cohort: Cohort | None,
    role: Role = Role.PARTNER,
    uses: int = 1,
    expires_in: timedelta = timedelta(days=14),
    language: str | None = None,
) -> str:
    """A fresh invite code."""
    with db.transaction() as session:
        made = create_invite(
            session,
            role=role,
            cohort=cohort,
            clock=clock,
            uses=uses,
            expires_in=expires_in,
            language=language,
        )
    return made.code


_next_telegram_id = [5_000_000]


def make_person(
    db: Database,
    clock: Clock,
    cohort: Cohort | None,
    role: Role = Role.PARTNER,
    name: str = "Amina",
    keeps_reflections: bool = True,
    telegram_user_id: int | None = None,
    time_zone: str = "Europe/London",
    quiet: tuple[int, int] | None = (21 * 60, 8 * 60),
) -> int:
    """An active person who joined by invite (and agreed to keep reflections, by default)."""
    from bot.domain.consent import record_consent
    from bot.domain.invites import enrol
    from bot.models import ConsentKind, PersonStatus

    code = make_invite(db, clock, cohort, role)
    _next_telegram_id[0] += 1
    telegram_id = telegram_user_id or _next_telegram_id[0]
    with db.transaction() as session:
        person = enrol(
            session, code=code, telegram_user_id=telegram_id, chat_id=telegram_id, clock=clock
        ).person
        person.preferred_name = name
        person.time_zone = time_zone
        person.quiet_start, person.quiet_end = quiet if quiet else (None, None)
        person.status = PersonStatus.ACTIVE
        session.add(person)
        assert person.id is not None
        record_consent(
            session,
            person_id=person.id,
            kind=ConsentKind.REFLECTIONS,
            statement="May I keep your answers?",
            granted=keeps_reflections,
            clock=clock,
        )
        return person.id


def add_to_cohort(
    db: Database, clock: Clock, person_id: int, cohort: Cohort, role: Role = Role.PARTNER
) -> None:
    """Someone already in Tandem joins another cohort, with an invite of their own."""
    from bot.domain.invites import enrol
    from bot.models import Person

    code = make_invite(db, clock, cohort, role)
    with db.transaction() as session:
        person = session.get(Person, person_id)
        assert person is not None and person.telegram_user_id is not None
        telegram_id = person.telegram_user_id
        enrol(session, code=code, telegram_user_id=telegram_id, chat_id=telegram_id, clock=clock)


def make_population(
    db: Database, clock: Clock, cohort: Cohort, telegram_ids: list[int]
) -> list[int]:
    """Many active partners at once (bulk inserts), for big tests and benchmarks."""
    from sqlalchemy import insert, select

    from bot.models import Membership, Person, PersonStatus
    from bot.telegram.menus import MENU_VERSION

    now = clock.now()
    with db.transaction() as session:
        connection = session.connection()
        connection.execute(
            insert(Person),
            [
                {
                    "telegram_user_id": tid,
                    "chat_id": tid,
                    "preferred_name": f"Partner {n}",
                    "role": "partner",
                    "time_zone": "Europe/London",
                    "quiet_start": None,
                    "quiet_end": None,
                    "status": PersonStatus.ACTIVE.value,
                    "commands_version": MENU_VERSION,
                    "created_at": now,
                    "onboarded_at": now,
                }
                for n, tid in enumerate(telegram_ids)
            ],
        )
        rows = connection.execute(
            select(Person.id, Person.telegram_user_id).where(
                Person.telegram_user_id.in_(telegram_ids)  # type: ignore[union-attr]
            )
        ).all()
        ids = {tid: pid for pid, tid in rows}
        connection.execute(
            insert(Membership),
            [
                {"person_id": ids[tid], "cohort_id": cohort.id, "role": "partner", "joined_at": now}
                for tid in telegram_ids
            ],
        )
    return [ids[tid] for tid in telegram_ids]


def make_reflection(
    db: Database,
    clock: Clock,
    person_id: int,
    answers: dict[str, object],
    *,
    prompt_set: str = "after-meeting",
    sharing: str = "facilitators",
    meeting_id: int | None = None,
) -> int:
    """A finished reflection, answered through the domain (numbers for scales, "yes"/"no"
    for yes-no questions, text otherwise); questions not in `answers` are skipped."""
    from bot.domain import reflections
    from bot.models import Sharing

    sets = library().prompt_sets
    with db.transaction() as session:
        position = reflections.start(
            session,
            person_id=person_id,
            prompt_set=sets[prompt_set],
            clock=clock,
            meeting_id=meeting_id,
        )
        reflection_id = position.reflection.id or 0
        while position.question is not None:
            question = position.question
            value = answers.get(question.id)
            if value is None and not question.optional:
                value = (
                    4 if question.kind == "scale" else "no" if question.kind == "yes_no" else "ok"
                )
            common = {
                "person_id": person_id,
                "reflection_id": reflection_id,
                "question_id": question.id,
                "clock": clock,
                "prompt_sets": sets,
            }
            if value is None:
                position = reflections.skip(session, **common)  # type: ignore[arg-type]
            elif isinstance(value, int):
                position = reflections.answer(session, number=value, **common)  # type: ignore[arg-type]
            elif question.kind in ("yes_no", "single"):
                position = reflections.answer(session, choice=str(value), **common)  # type: ignore[arg-type]
            else:
                position = reflections.answer(session, text=str(value), **common)  # type: ignore[arg-type]
        reflections.finish(
            session,
            person_id=person_id,
            reflection_id=reflection_id,
            sharing=Sharing(sharing),
            clock=clock,
            prompt_sets=sets,
        )
    return reflection_id


def make_meeting(
    db: Database,
    clock: Clock,
    cohort: Cohort,
    *,
    title: str = "Frailty board",
    starts_at: datetime | None = None,
    hours: int = 2,
    **kwargs: object,
) -> Meeting:
    """A meeting of the cohort (a week from now unless told), planned like a real one."""
    from bot.domain.meetings import add_meeting

    start = starts_at or clock.now() + timedelta(days=7)
    with db.transaction() as session:
        return add_meeting(
            session,
            cohort=cohort,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            clock=clock,
            timetable=library().timetable,
            **kwargs,  # type: ignore[arg-type]
        ).meeting


def make_question(
    db: Database, clock: Clock, person_id: int, text: str = "What is a trust board?"
) -> int:
    """A question a partner asked their facilitators."""
    from bot.domain.briefings import ask

    with db.transaction() as session:
        return ask(session, person_id=person_id, clock=clock, text=text).id or 0


def make_pair(
    db: Database, clock: Clock, facilitator_id: int, cohort: Cohort, first: int, second: int
) -> int:
    """Two partners of a cohort paired by its facilitator."""
    from bot.domain.pairs import make_pair as pair_up

    with db.transaction() as session:
        pair = pair_up(
            session,
            viewer_id=facilitator_id,
            cohort_id=cohort.id or 0,
            first_id=first,
            second_id=second,
            clock=clock,
            timetable=library().timetable,
        )
        return pair.id or 0
