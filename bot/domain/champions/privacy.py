"""Champions and mentoring in /mydata, and what /forget does to them: a champion's role and
every mentorship the person was part of are erased; before that, whoever was mentoring or
being mentored by them is told kindly that it has ended (without their name)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from bot.domain.champions.common import end_mentorship, live_mentorships
from bot.domain.clock import Clock
from bot.models import Champion, Mentorship, Person


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def champion_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """Being asked to be a champion, and the answer."""
    rows = session.exec(select(Champion).where(Champion.person_id == person.id)).all()
    return [
        {
            "status": row.status.value,
            "asked_at": _iso(row.asked_at),
            "answered_at": _iso(row.answered_at),
            "started_at": _iso(row.started_at),
            "ended_at": _iso(row.ended_at),
        }
        for row in rows
    ]


def mentoring_section(session: Session, person: Person) -> list[dict[str, Any]]:
    """Mentoring the person gave or was offered, with the other person's first name."""
    rows = session.exec(
        select(Mentorship).where(
            or_(col(Mentorship.champion_id) == person.id, col(Mentorship.mentee_id) == person.id)
        )
    ).all()
    shown = []
    for row in rows:
        mentor = row.champion_id == person.id
        other = session.get(Person, row.mentee_id if mentor else row.champion_id)
        shown.append(
            {
                "you_were": "mentor" if mentor else "mentee",
                "with": other.preferred_name if other else None,
                "status": row.status.value,
                "offered_at": _iso(row.offered_at),
                "started_at": _iso(row.started_at),
                "ends_at": _iso(row.ends_at),
                "ended_at": _iso(row.ended_at),
                "end_reason": row.end_reason,
                "you_stopped_messages": (
                    row.champion_stopped_relay if mentor else row.mentee_stopped_relay
                ),
            }
        )
    return shown


def end_for_erasure(session: Session, *, person_id: int, clock: Clock) -> None:
    """When someone leaves (/stop) or before /forget: end the person's mentoring, telling
    the others kindly."""
    for mentorship in live_mentorships(session, champion_id=person_id):
        end_mentorship(session, mentorship=mentorship, reason="left", clock=clock)
    for mentorship in live_mentorships(session, mentee_id=person_id):
        end_mentorship(session, mentorship=mentorship, reason="mentee_left", clock=clock)
    session.flush()


def erase_champions(session: Session, person_id: int) -> None:
    """Delete the person's champion rows and mentorships; unsign what they asked or offered."""
    session.execute(
        delete(Mentorship).where(
            or_(col(Mentorship.champion_id) == person_id, col(Mentorship.mentee_id) == person_id)
        )
    )
    session.execute(delete(Champion).where(col(Champion.person_id) == person_id))
    session.execute(
        update(Champion).where(col(Champion.asked_by) == person_id).values(asked_by=None)
    )
    session.execute(
        update(Mentorship).where(col(Mentorship.offered_by) == person_id).values(offered_by=None)
    )
