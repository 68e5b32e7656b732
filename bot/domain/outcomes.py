""" "You said, we did": what happened to what partners said, told back to them."""

from __future__ import annotations

from sqlmodel import Session, col, select

from bot.domain import notices, questions, review
from bot.domain.answers import TEXT_LIMIT
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput
from bot.domain.people import get_person
from bot.domain.when import day_label
from bot.library.prompts import PromptSet
from bot.models import Answer, ContributionOutcome, Meeting

EXCERPT = 160


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def reflection_excerpt(session: Session, reflection_id: int) -> str:
    """The partner's own words from a reflection: its first written answer."""
    answer = session.exec(
        select(Answer)
        .where(
            Answer.reflection_id == reflection_id,
            col(Answer.text).is_not(None),
            col(Answer.skipped).is_(False),
        )
        .order_by(col(Answer.position))
    ).first()
    return _excerpt(answer.text or "") if answer else ""


def record_outcome(
    session: Session,
    *,
    viewer_id: int,
    clock: Clock,
    text: str,
    prompt_sets: dict[str, PromptSet],
    reflection_id: int | None = None,
    question_id: int | None = None,
    meeting_id: int | None = None,
) -> ContributionOutcome:
    """Record what happened and tell the partner, naming the meeting where it happened."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > TEXT_LIMIT:
        raise InvalidInput("outcomes.bad_text")
    if reflection_id is not None:
        reflection = review.shared_reflection(
            session, viewer_id=viewer_id, reflection_id=reflection_id
        )
        person_id, said = reflection.person_id, reflection_excerpt(session, reflection_id)
        topic = reflection.title
    else:
        assert question_id is not None
        question = questions.get_question(session, viewer_id=viewer_id, question_id=question_id)
        person_id, said, topic = question.person_id, _excerpt(question.text or ""), None
    meeting = session.get(Meeting, meeting_id) if meeting_id else None
    outcome = ContributionOutcome(
        reflection_id=reflection_id,
        question_id=question_id,
        person_id=person_id,
        meeting_id=meeting.id if meeting else None,
        text=cleaned,
        recorded_by=viewer_id,
        recorded_at=clock.now(),
    )
    session.add(outcome)
    author = get_person(session, person_id=viewer_id)
    notices.notify(
        session,
        person_ids=[person_id],
        key="notify.you_said",
        clock=clock,
        params={
            "said": said,
            "topic": topic,
            "outcome": cleaned,
            "meeting": meeting.title if meeting else None,
            "meeting_date": day_label(meeting.starts_at, "dd MMMM y") if meeting else None,
            "facilitator": author.preferred_name or "",
        },
    )
    return outcome
