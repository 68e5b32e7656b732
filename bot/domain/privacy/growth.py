"""/mydata sections for issue 18 (growth): attendance, and later one-to-ones, champions,
claims and the record of contribution. Each feature adds its own section function here and
lists it in GROWTH_SECTIONS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.domain.bookings.privacy import bookings_of, slots_hosted
from bot.domain.champions.privacy import champion_section, mentoring_section
from bot.domain.claims.privacy import claims_section, payment_choice_section
from bot.models import Achievement, Attendance, Endorsement, Meeting, Person

GrowthSection = Callable[[Session, Person], Any]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _attendance(session: Session, person: Person) -> list[dict[str, Any]]:
    """Meetings a facilitator confirmed the person was (or was not) at."""
    rows = session.exec(
        select(Attendance, Meeting)
        .join(Meeting, col(Meeting.id) == col(Attendance.meeting_id))
        .where(Attendance.person_id == person.id)
        .order_by(col(Meeting.starts_at))
    ).all()
    return [
        {
            "meeting": meeting.title,
            "meeting_starts_at": _iso(meeting.starts_at),
            "attended": row.attended,
            "confirmed_at": _iso(row.confirmed_at),
        }
        for row, meeting in rows
    ]


def _attendance_confirmed(session: Session, person: Person) -> int:
    """How many attendance lines this person (a facilitator) confirmed."""
    return len(
        session.exec(select(Attendance.id).where(Attendance.confirmed_by == person.id)).all()
    )


def _achievements(session: Session, person: Person) -> list[dict[str, Any]]:
    """What the partner added to their record of contribution themselves."""
    rows = session.exec(
        select(Achievement)
        .where(Achievement.person_id == person.id)
        .order_by(col(Achievement.created_at))
    ).all()
    return [{"title": a.title, "detail": a.detail, "added_at": _iso(a.created_at)} for a in rows]


def _endorsements(session: Session, person: Person) -> list[dict[str, Any]]:
    """Endorsements of the partner, approved or not, with who signed them."""
    rows = session.exec(
        select(Endorsement)
        .where(Endorsement.person_id == person.id)
        .order_by(col(Endorsement.created_at))
    ).all()
    return [
        {
            "text": e.text,
            "signed": e.signature,
            "status": str(e.status),
            "written_at": _iso(e.created_at),
            "decided_at": _iso(e.decided_at),
        }
        for e in rows
    ]


def _endorsements_written(session: Session, person: Person) -> list[dict[str, Any]]:
    """Endorsements this person (a facilitator) wrote: when, and whether approved; the
    words belong to the partner's record."""
    rows = session.exec(
        select(Endorsement)
        .where(Endorsement.author_id == person.id)
        .order_by(col(Endorsement.created_at))
    ).all()
    return [{"written_at": _iso(e.created_at), "status": str(e.status)} for e in rows]


GROWTH_SECTIONS: tuple[tuple[str, GrowthSection], ...] = (
    ("meetings_attended", _attendance),
    ("attendance_you_confirmed", _attendance_confirmed),
    ("record_achievements", _achievements),  # issue 18: the record of contribution
    ("record_endorsements", _endorsements),
    ("endorsements_you_wrote", _endorsements_written),
    ("one_to_ones_booked", bookings_of),  # issue 18: one-to-one briefings
    ("one_to_ones_hosted", slots_hosted),
    ("champion", champion_section),  # issue 18: champions and mentoring
    ("mentoring", mentoring_section),
    ("claims", claims_section),  # issue 18: payments and expenses
    ("payment_choice", payment_choice_section),
)
