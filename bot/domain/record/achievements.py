"""Achievements a partner adds to their own record of contribution (issue 18): a title and
an optional line, in their own words; they can remove them."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.people import get_person
from bot.models import Achievement, Role

TITLE_LIMIT = 120
DETAIL_LIMIT = 300
MOST = 30  # achievements one partner may keep: a record, not a diary


def _partner(session: Session, person_id: int) -> None:
    if get_person(session, person_id=person_id).role != Role.PARTNER:
        raise NotFound("record.not_found")


def check_title(text: str) -> str:
    """A typed achievement title, tidied, or InvalidInput saying what is wrong."""
    title = " ".join(text.split())
    if len(title) < 3:
        raise InvalidInput("record.title_short")
    if len(title) > TITLE_LIMIT:
        raise InvalidInput("record.title_long", limit=TITLE_LIMIT)
    return title


def add_achievement(
    session: Session, *, person_id: int, title: str, detail: str | None, clock: Clock
) -> Achievement:
    """Add an achievement to the partner's record."""
    _partner(session, person_id)
    title = check_title(title)
    line = " ".join((detail or "").split()) or None
    if line is not None and len(line) > DETAIL_LIMIT:
        raise InvalidInput("record.detail_long", limit=DETAIL_LIMIT)
    if len(achievements_of(session, person_id=person_id)) >= MOST:
        raise InvalidInput("record.too_many", limit=MOST)
    achievement = Achievement(person_id=person_id, title=title, detail=line, created_at=clock.now())
    session.add(achievement)
    session.flush()
    return achievement


def achievements_of(session: Session, *, person_id: int) -> list[Achievement]:
    """The partner's own achievements, oldest first."""
    return list(
        session.exec(
            select(Achievement)
            .where(Achievement.person_id == person_id)
            .order_by(col(Achievement.created_at), col(Achievement.id))
        ).all()
    )


def remove_achievement(session: Session, *, person_id: int, achievement_id: int) -> Achievement:
    """Remove one of the partner's own achievements (anyone else's is not found)."""
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.person_id != person_id:
        raise NotFound("record.not_found")
    session.delete(achievement)
    session.flush()
    return achievement
