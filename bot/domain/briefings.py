"""Briefings read and questions asked: receipts and questions for facilitators."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.domain import notices
from bot.domain.answers import Voice
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.people import cohorts_of, facilitators_of, get_person
from bot.models import BriefingRead, PartnerQuestion


def mark_read(session: Session, *, person_id: int, briefing_id: str, clock: Clock) -> bool:
    """Record that the person has read a briefing; False if they already had."""
    existing = session.exec(
        select(BriefingRead).where(
            BriefingRead.person_id == person_id, BriefingRead.briefing_id == briefing_id
        )
    ).first()
    if existing is not None:
        return False
    session.add(BriefingRead(person_id=person_id, briefing_id=briefing_id, read_at=clock.now()))
    return True


def read_briefings(session: Session, *, person_id: int) -> set[str]:
    """Ids of the briefings the person has marked read."""
    return set(
        session.exec(select(BriefingRead.briefing_id).where(BriefingRead.person_id == person_id))
    )


def ask(
    session: Session,
    *,
    person_id: int,
    clock: Clock,
    text: str | None = None,
    voice: Voice | None = None,
    briefing_id: str | None = None,
    page: int | None = None,
) -> PartnerQuestion:
    """Store a question for the person's facilitators (linked to a briefing page if given)."""
    cleaned = (text or "").strip()
    if not cleaned and voice is None:
        raise InvalidInput("question.empty")
    places = cohorts_of(session, person_id=person_id)
    question = PartnerQuestion(
        person_id=person_id,
        cohort_id=places[0].cohort.id if places else None,
        briefing_id=briefing_id,
        page=page,
        text=cleaned or None,
        voice_file_id=voice.file_id if voice else None,
        voice_duration=voice.duration if voice else None,
        asked_at=clock.now(),
    )
    session.add(question)
    session.flush()
    return question


@dataclass(frozen=True)
class Asked:
    """A question stored and on its way to the facilitators named."""

    question: PartnerQuestion
    facilitators: list[str]


def ask_facilitators(
    session: Session,
    *,
    person_id: int,
    clock: Clock,
    text: str | None = None,
    voice: Voice | None = None,
    briefing_id: str | None = None,
    briefing_title: str | None = None,
    page: int | None = None,
) -> Asked:
    """`ask`, and tell the person's facilitators (through the outbox, with a Reply button)."""
    question = ask(
        session,
        person_id=person_id,
        clock=clock,
        text=text,
        voice=voice,
        briefing_id=briefing_id,
        page=page,
    )
    person = get_person(session, person_id=person_id)
    facilitators = (
        facilitators_of(session, cohort_id=question.cohort_id)
        if question.cohort_id is not None
        else []
    )
    notices.notify(
        session,
        person_ids=[f.id for f in facilitators if f.id is not None],
        key="notify.question",
        clock=clock,
        params={
            "name": person.preferred_name or "",
            "question": question.text or "",
            "voice": question.voice_file_id is not None,
            "briefing": briefing_title,
        },
        buttons=[[("questions.buttons.reply", "question.reply", (question.id or 0,))]],
        about=person_id,
    )
    return Asked(question, [f.preferred_name for f in facilitators if f.preferred_name])


def questions_of(session: Session, *, person_id: int) -> list[PartnerQuestion]:
    """Every question the person asked, oldest first."""
    return list(
        session.exec(
            select(PartnerQuestion)
            .where(PartnerQuestion.person_id == person_id)
            .order_by(col(PartnerQuestion.asked_at))
        ).all()
    )
