"""The planner's champion steps: a gentle check-in prompt to a champion after their mentee's
first and third meeting, and the end of mentoring after the mentee's first three months,
with a thank-you to both. Each is idempotent (dedupe keys, status changes)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain import notices
from bot.domain.champions.common import end_mentorship, joined, membership_of
from bot.domain.champions.views import MeetingMark, held_meetings
from bot.domain.clock import Clock
from bot.domain.people import get_person
from bot.models import Delivery, Mentorship, MentorshipStatus, Person, PersonStatus

CHECK_IN = "champions.notify.check_in"
CHECK_AFTER = (1, 3)  # the mentee's meetings after which their champion is asked to check in


def _active(session: Session) -> list[Mentorship]:
    return list(
        session.exec(
            select(Mentorship)
            .where(Mentorship.status == MentorshipStatus.ACTIVE)
            .order_by(col(Mentorship.id))
        ).all()
    )


def _their_meetings(
    session: Session, mentorship: Mentorship, now: datetime
) -> tuple[Person, list[MeetingMark]] | None:
    """The mentee and their meetings so far: the cohort's since they joined, but not one
    they were confirmed absent from (None: one of the two has left Tandem or the cohort)."""
    mentee = get_person(session, person_id=mentorship.mentee_id)
    champion = get_person(session, person_id=mentorship.champion_id)
    if mentee.status != PersonStatus.ACTIVE or champion.status != PersonStatus.ACTIVE:
        return None
    member = membership_of(session, person_id=mentee.id or 0, cohort_id=mentorship.cohort_id)
    if member is None:
        return None
    held = held_meetings(
        session,
        mentee_id=mentee.id or 0,
        cohort_id=mentorship.cohort_id,
        since=joined(mentee, member),
        now=now,
    )
    return mentee, [m for m in held if m.attended is not False]


def check_ins(session: Session, *, clock: Clock) -> int:
    """Queue the check-in prompt for each mentorship whose mentee's first or third meeting
    has ended since the mentoring began."""
    now, queued = clock.now(), 0
    for mentorship in _active(session):
        found = _their_meetings(session, mentorship, now)
        if found is None:
            continue
        mentee, theirs = found
        for number in CHECK_AFTER:
            if len(theirs) < number or theirs[number - 1].starts_at < (
                mentorship.started_at or now
            ):
                continue
            tag = f"mentor{mentorship.id}.after{number}"
            if _queued(session, mentee.id or 0, tag, mentorship.champion_id):
                continue  # once only (writing it again would re-time one held back)
            queued += notices.notify(
                session,
                person_ids=[mentorship.champion_id],
                key=CHECK_IN,
                clock=clock,
                params={
                    "name": mentee.preferred_name or "",
                    "number": number,
                    "meeting": theirs[number - 1].title,
                },
                buttons=[
                    [("champions.buttons.send", "mentor.write", (mentorship.id or 0,))],
                    [("champions.buttons.all_good", "mentor.fine", (mentorship.id or 0,))],
                ],
                dedupe=tag,
                about=mentee.id,
            )
    return queued


def _queued(session: Session, mentee_id: int, tag: str, champion_id: int) -> bool:
    """Whether this check-in is in the outbox already (sent or waiting)."""
    key = f"{notices.about_key_prefix(mentee_id)}{tag}:{CHECK_IN}:p{champion_id}"
    return session.exec(select(Delivery.id).where(Delivery.dedupe_key == key)).first() is not None


def finish_due(session: Session, *, clock: Clock) -> int:
    """End mentoring that has reached the end of the mentee's first three months, thanking
    both."""
    now, ended = clock.now(), 0
    for mentorship in _active(session):
        if mentorship.ends_at is None or mentorship.ends_at > now:
            continue
        end_mentorship(session, mentorship=mentorship, reason="finished", clock=clock, tell=False)
        champion = get_person(session, person_id=mentorship.champion_id)
        mentee = get_person(session, person_id=mentorship.mentee_id)
        for person, other, key in (
            (champion, mentee, "champions.notify.finished_champion"),
            (mentee, champion, "champions.notify.finished_mentee"),
        ):
            notices.notify(
                session,
                person_ids=[person.id or 0],
                key=key,
                clock=clock,
                params={"name": other.preferred_name or ""},
                dedupe=f"mentor{mentorship.id}.finished",
                about=other.id,
            )
        ended += 1
    return ended


def follow_up(session: Session, *, clock: Clock) -> int:
    """Both planner steps; how many messages and endings they made."""
    return check_ins(session, clock=clock) + finish_due(session, clock=clock)
