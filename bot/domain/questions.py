"""Partners' questions for their facilitators: answering, listing, and reminding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, select

from bot.domain import notices
from bot.domain.clock import Clock
from bot.domain.cohorts import run_by
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.people import get_person
from bot.models import Cohort, PartnerQuestion, Person, QuestionStatus

REMIND_AFTER = timedelta(hours=48)
ANSWER_LIMIT = 3500


def cohorts_run_by(session: Session, *, person_id: int) -> list[int] | None:
    """Cohorts a facilitator runs (None: all, for a coordinator); NotAllowed for partners."""
    return run_by(session, person_id=person_id)


def _visible(session: Session, viewer_id: int, question: PartnerQuestion) -> bool:
    cohorts = cohorts_run_by(session, person_id=viewer_id)
    return cohorts is None or question.cohort_id in cohorts


def get_question(session: Session, *, viewer_id: int, question_id: int) -> PartnerQuestion:
    """A question the viewer may see, or NotFound (the same answer for another cohort's)."""
    question = session.get(PartnerQuestion, question_id)
    if question is None or not _visible(session, viewer_id, question):
        raise NotFound("questions.not_found")
    return question


def answer_question(
    session: Session, *, viewer_id: int, question_id: int, text: str, clock: Clock
) -> PartnerQuestion:
    """Store a facilitator's answer and send it to the partner, in the same chat they asked."""
    question = get_question(session, viewer_id=viewer_id, question_id=question_id)
    answer = text.strip()
    if not answer:
        raise InvalidInput("questions.empty_answer")
    if len(answer) > ANSWER_LIMIT:
        raise InvalidInput("broadcast.too_long", limit=ANSWER_LIMIT, length=len(answer))
    author = get_person(session, person_id=viewer_id)
    question.answer, question.answered_by = answer, viewer_id
    question.answered_at = clock.now()
    question.status = QuestionStatus.ANSWERED
    session.add(question)
    notices.notify(
        session,
        person_ids=[question.person_id],
        key="notify.answer",
        clock=clock,
        params={
            "facilitator": author.preferred_name or "",
            "question": question.text or "",
            "answer": answer,
            "voice": question.voice_file_id is not None,
        },
    )
    return question


def open_questions(session: Session, *, viewer_id: int, limit: int = 10) -> list[PartnerQuestion]:
    """Unanswered questions in the viewer's cohorts, oldest first."""
    query = select(PartnerQuestion).where(PartnerQuestion.status == QuestionStatus.OPEN)
    cohorts = cohorts_run_by(session, person_id=viewer_id)
    if cohorts is not None:
        query = query.where(col(PartnerQuestion.cohort_id).in_(cohorts))
    return list(session.exec(query.order_by(col(PartnerQuestion.asked_at)).limit(limit)).all())


@dataclass(frozen=True)
class InboxItem:
    """A question with who asked it and from which cohort."""

    question: PartnerQuestion
    partner: str
    cohort: str


def inbox(
    session: Session, *, viewer_id: int, status: QuestionStatus | None, limit: int = 200
) -> list[InboxItem]:
    """Questions in the viewer's cohorts (open ones, or all), oldest open first, then newest."""
    query = (
        select(PartnerQuestion, Person.preferred_name, Cohort.name)
        .join(Person, col(Person.id) == col(PartnerQuestion.person_id))
        .join(Cohort, col(Cohort.id) == col(PartnerQuestion.cohort_id))
    )
    cohorts = cohorts_run_by(session, person_id=viewer_id)
    if cohorts is not None:
        query = query.where(col(PartnerQuestion.cohort_id).in_(cohorts))
    if status is not None:
        query = query.where(PartnerQuestion.status == status)
        query = query.order_by(col(PartnerQuestion.asked_at))
    else:
        query = query.order_by(col(PartnerQuestion.asked_at).desc())
    return [
        InboxItem(question=q, partner=name or "", cohort=cohort)
        for q, name, cohort in session.exec(query.limit(limit)).all()
    ]


def remind_unanswered(session: Session, *, clock: Clock) -> int:
    """Remind facilitators, once, of each question unanswered for 48 hours."""
    now = clock.now()
    due = session.exec(
        select(PartnerQuestion).where(
            PartnerQuestion.status == QuestionStatus.OPEN,
            col(PartnerQuestion.asked_at) <= now - REMIND_AFTER,
            col(PartnerQuestion.reminded_at).is_(None),
        )
    ).all()
    for question in due:
        if question.cohort_id is not None:
            notices.notify(
                session,
                person_ids=notices.facilitator_ids(session, cohort_ids=[question.cohort_id]),
                key="notify.question_waiting",
                clock=clock,
                params={
                    "question": question.text or "",
                    "voice": question.voice_file_id is not None,
                    "hours": int((now - question.asked_at).total_seconds() // 3600),
                },
                buttons=[[("questions.buttons.reply", "question.reply", (question.id or 0,))]],
                about=question.person_id,
            )
        question.reminded_at = now
        session.add(question)
    return len(due)
