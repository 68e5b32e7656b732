"""/mydata sections for issue 18 (growth): attendance, and later one-to-ones, champions,
claims and the record of contribution. Each feature adds its own section function here and
lists it in GROWTH_SECTIONS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.domain.claims.privacy import claims_section, payment_choice_section
from bot.models import Attendance, Meeting, Person

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


GROWTH_SECTIONS: tuple[tuple[str, GrowthSection], ...] = (
    ("meetings_attended", _attendance),
    ("attendance_you_confirmed", _attendance_confirmed),
    ("claims", claims_section),  # issue 18: payments and expenses
    ("payment_choice", payment_choice_section),
)
