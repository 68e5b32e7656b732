"""The demo's history: two past board meetings with reflections, questions, flags and
"you said, we did", so the dashboard has something to show from the first minute.

Everything goes through the domain with a clock set to when it happened; deliveries planned
for the past meetings are cancelled, so nothing old is sent when the demo starts. What
happened (who wrote what, and when) is in story.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.db import Database
from bot.demo.seed import COHORT, by_first_name
from bot.demo.story import FLAGGED, HISTORY, OUTCOMES, QUESTIONS
from bot.domain import reflections
from bot.domain.briefings import ask
from bot.domain.clock import Clock, FakeClock
from bot.domain.cohorts import get_cohort
from bot.domain.meetings import add_meeting
from bot.domain.outbox import cancel_pending
from bot.domain.outcomes import record_outcome
from bot.domain.questions import answer_question, remind_unanswered
from bot.domain.review import flag
from bot.library.catalogue import Library
from bot.library.prompts import PromptSet
from bot.library.timetable import Timetable, local_to_utc
from bot.models import (
    Cohort,
    ConsentRecord,
    Meeting,
    Membership,
    Person,
    Sharing,
)

BACKDATE = timedelta(weeks=26)  # six months: the measures' four months of ratings fit
PAST_MEETINGS = (33, 8)  # each on the last Thursday at least this many days ago
MEETING_HOURS = (time(14, 0), time(16, 0))


def seed_history(db: Database, timetable: Timetable, clock: Clock) -> None:
    """Two past board meetings, with the evening's debriefs (one kept private), flags,
    partners' questions and "you said, we did", each at the time it would have happened."""
    prompt_sets = Library.load_or_fail().prompt_sets
    with db.transaction() as session:
        _backdate_joining(session)
        cohort = get_cohort(session, name=COHORT)
        meetings = [
            _past_meeting(session, cohort, day, timetable, clock)
            for day in _past_days(cohort, clock)
        ]
        found = by_first_name(session)
        margaret = found["Margaret"].id or 0
        debriefs = {
            (name, index): finished_reflection(
                session,
                person_id=found[name].id or 0,
                prompt_set=prompt_sets["after-meeting"],
                meeting_id=meetings[index].id,
                finished=local(cohort, meetings[index].starts_at, 0, finished),
                sharing=sharing,
                answers=answers,
                prompt_sets=prompt_sets,
            )
            for name, index, finished, sharing, answers in HISTORY
        }
        for name, index in FLAGGED:
            morning = FakeClock(local(cohort, meetings[index].starts_at, 1, "09:30"))
            flag(session, viewer_id=margaret, reflection_id=debriefs[name, index], clock=morning)
        said_at = FakeClock(local(cohort, meetings[1].starts_at, 1, "10:00"))
        for name, text in OUTCOMES:
            record_outcome(
                session,
                viewer_id=margaret,
                clock=said_at,
                text=text,
                prompt_sets=prompt_sets,
                reflection_id=debriefs[name, 0],
                meeting_id=meetings[1].id,
            )
        _questions(session, cohort, meetings, found)


def _backdate_joining(session: Session) -> None:
    """Move the cohort's start and everyone's joining (and consent) back by BACKDATE."""
    # Everyone joined through the chat a moment ago, after the meetings this history adds;
    # partners count towards a meeting's participation only if they had joined before it,
    # and a reflection weeks ago needs consent given before it.
    cohort = get_cohort(session, name=COHORT)
    cohort.created_at -= BACKDATE
    session.add(cohort)
    for person in session.exec(select(Person)):
        person.created_at -= BACKDATE
        if person.onboarded_at is not None:
            person.onboarded_at -= BACKDATE
        session.add(person)
    for membership in session.exec(select(Membership)):
        membership.joined_at -= BACKDATE
        session.add(membership)
    for record in session.exec(select(ConsentRecord)):
        record.decided_at -= BACKDATE
        if record.withdrawn_at is not None:
            record.withdrawn_at -= BACKDATE
        session.add(record)
    session.flush()


def _past_days(cohort: Cohort, clock: Clock) -> list[date]:
    """The past meetings' days: Thursdays, in the cohort's time zone."""
    today = clock.now().astimezone(ZoneInfo(cohort.time_zone)).date()
    days = [today - timedelta(days=ago) for ago in PAST_MEETINGS]
    return [day - timedelta(days=(day.weekday() - 3) % 7) for day in days]


def local(cohort: Cohort, moment: datetime, days_after: int, at: str) -> datetime:
    """A local time of day, `days_after` days after the (local) day of `moment`, in UTC."""
    day = moment.astimezone(ZoneInfo(cohort.time_zone)).date() + timedelta(days=days_after)
    hour, minute = (int(part) for part in at.split(":"))
    return local_to_utc(day, time(hour, minute), cohort.time_zone)


def _past_meeting(
    session: Session, cohort: Cohort, day: date, timetable: Timetable, clock: Clock
) -> Meeting:
    """A board meeting on a past day, added a fortnight ahead, as a facilitator would have."""
    starts_at, ends_at = (local_to_utc(day, at, cohort.time_zone) for at in MEETING_HOURS)
    # add_meeting refuses a start in the past, so it is told the time it was added. That
    # plans its briefing, reminders and prompts for then; nearly all have expired (the
    # dispatcher would mark them so, unsent), but the "what changed" prompt two weeks after
    # the newer meeting can still be due. None of them belong to this demo: cancel them all.
    plan = add_meeting(
        session,
        cohort=cohort,
        title="Frailty pathway board",
        starts_at=starts_at,
        ends_at=ends_at,
        clock=FakeClock(starts_at - timedelta(days=14)),
        timetable=timetable,
        place="Room 3B, Civic Centre",
        join_url="https://meet.example.nhs.uk/frailty-board",
        papers=["how-the-nhs-is-organised", "reading-a-board-paper"],
    )
    cancel_pending(
        session,
        clock=clock,
        meeting_id=plan.meeting.id,
        reason="the meeting had already happened when it was added (demo history)",
    )
    return plan.meeting


def finished_reflection(
    session: Session,
    *,
    person_id: int,
    prompt_set: PromptSet,
    meeting_id: int | None,
    finished: datetime,
    sharing: Sharing,
    answers: Mapping[str, str | int],
    prompt_sets: Mapping[str, PromptSet],
) -> int:
    """A finished reflection, answered through the domain a minute a question (numbers for
    scales, "yes"/"no" for yes-no questions, a choice's value for single choices, text
    otherwise; the rest skipped), as tests/factories.py make_reflection does."""
    clock = FakeClock(finished - timedelta(minutes=20))  # a minute a question, at most
    position = reflections.start(
        session, person_id=person_id, prompt_set=prompt_set, clock=clock, meeting_id=meeting_id
    )
    reflection_id = position.reflection.id or 0
    while (question := position.question) is not None:
        clock.advance(timedelta(minutes=1))
        value = answers.get(question.id)
        tapped = question.kind in ("yes_no", "single")
        position = (reflections.skip if value is None else reflections.answer)(
            session,
            person_id=person_id,
            reflection_id=reflection_id,
            question_id=question.id,
            clock=clock,
            prompt_sets=prompt_sets,
            **({} if value is None else _answer_fields(value, tapped=tapped)),
        )
    clock.set(finished)
    reflections.finish(
        session,
        person_id=person_id,
        reflection_id=reflection_id,
        sharing=sharing,
        clock=clock,
        prompt_sets=prompt_sets,
    )
    return reflection_id


def _answer_fields(value: str | int, *, tapped: bool) -> dict[str, Any]:
    """How reflections.answer takes a value: a number, a tapped choice, or written text."""
    if isinstance(value, int):
        return {"number": value}
    return {"choice": value} if tapped else {"text": value}


def _questions(
    session: Session, cohort: Cohort, meetings: list[Meeting], found: dict[str, Person]
) -> None:
    """Partners' questions around the meetings: answered by Margaret the next day, or open
    (and she was reminded of it two days on, as the scheduler would have)."""
    margaret = found["Margaret"].id or 0
    for name, index, days_after, at, text, answer in QUESTIONS:
        asked_at = local(cohort, meetings[index].starts_at, days_after, at)
        question = ask(session, person_id=found[name].id or 0, clock=FakeClock(asked_at), text=text)
        if answer is not None:
            answered = FakeClock(local(cohort, asked_at, 1, "17:30"))
            answer_question(
                session,
                viewer_id=margaret,
                question_id=question.id or 0,
                text=answer,
                clock=answered,
            )
        else:
            remind_unanswered(session, clock=FakeClock(asked_at + timedelta(hours=49)))
