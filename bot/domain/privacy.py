"""A person's own data: a full copy on request (/mydata) and real erasure (/forget)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.domain import audit, conversation, weblogin
from bot.domain.briefings import questions_of
from bot.domain.clock import Clock
from bot.domain.notices import about_key_prefix
from bot.domain.people import cohorts_of, get_person
from bot.models import (
    Answer,
    AuditEvent,
    BriefingRead,
    CalendarFeed,
    ConsentRecord,
    ContributionOutcome,
    ConversationState,
    Delivery,
    Membership,
    Pair,
    PartnerQuestion,
    Person,
    PersonStatus,
    Reflection,
    Rsvp,
)

EXPORT_FORMAT = "tandem-personal-data/1"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def export_personal_data(session: Session, *, person_id: int, clock: Clock) -> dict[str, Any]:
    """Everything Tandem stores about a person, as plain JSON-ready data; the export is audited."""
    person = get_person(session, person_id=person_id)
    consents = session.exec(
        select(ConsentRecord)
        .where(ConsentRecord.person_id == person_id)
        .order_by(col(ConsentRecord.decided_at))
    ).all()
    state = conversation.get_state(session, person_id=person_id)
    events = session.exec(
        select(AuditEvent)
        .where((AuditEvent.subject_id == person_id) | (AuditEvent.actor_id == person_id))
        .order_by(col(AuditEvent.at))
    ).all()
    audit.record(
        session, clock=clock, action="export_own_data", actor_id=person_id, subject_id=person_id
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": clock.now().isoformat(),
        "you": {
            "telegram_user_id": person.telegram_user_id,
            "preferred_name": person.preferred_name,
            "role": person.role.value,
            "status": person.status.value,
            "time_zone": person.time_zone,
            "quiet_hours": _quiet(person),
            "paused_at": _iso(person.paused_at),
            "paused_until": _iso(person.paused_until),
            "unreachable_since": _iso(person.unreachable_since),
            "joined_at": _iso(person.created_at),
            "onboarded_at": _iso(person.onboarded_at),
        },
        "cohorts": [
            {"name": place.cohort.name, "role": place.role.value}
            for place in cohorts_of(session, person_id=person_id)
        ],
        "consent": [
            {
                "about": record.kind.value,
                "agreed": record.granted,
                "statement": record.statement,
                "decided_at": _iso(record.decided_at),
                "withdrawn_at": _iso(record.withdrawn_at),
            }
            for record in consents
        ],
        "reflections": _reflections(session, person_id),
        "briefings_read": [
            {"briefing": row.briefing_id, "read_at": _iso(row.read_at)}
            for row in session.exec(select(BriefingRead).where(BriefingRead.person_id == person_id))
        ],
        "questions": [
            {
                "asked_at": _iso(q.asked_at),
                "briefing": q.briefing_id,
                "question": q.text,
                "voice_note": q.voice_file_id is not None,
                "status": q.status.value,
                "answer": q.answer,
            }
            for q in questions_of(session, person_id=person_id)
        ],
        "meeting_replies": [
            {
                "meeting": rsvp.meeting_id,
                "attending": rsvp.attending,
                "answered_at": _iso(rsvp.answered_at),
            }
            for rsvp in session.exec(select(Rsvp).where(Rsvp.person_id == person_id))
        ],
        "what_happened_to_your_contributions": [
            {"recorded_at": _iso(o.recorded_at), "meeting": o.meeting_id, "outcome": o.text}
            for o in session.exec(
                select(ContributionOutcome).where(ContributionOutcome.person_id == person_id)
            )
        ],
        "pair": [
            {
                "paired_at": _iso(pair.created_at),
                "ended_at": _iso(pair.ended_at),
                "you_stopped_their_messages": (
                    pair.first_stopped_relay
                    if pair.first_id == person_id
                    else pair.second_stopped_relay
                ),
            }
            for pair in session.exec(
                select(Pair).where((Pair.first_id == person_id) | (Pair.second_id == person_id))
            )
        ],
        "buddy_check_in_reminders": person.buddy_nudges,
        "conversation_in_progress": (
            {"flow": state.flow, "step": state.step} if state is not None else None
        ),
        "activity_log": [{"at": _iso(event.at), "action": event.action} for event in events],
    }


def _reflections(session: Session, person_id: int) -> list[dict[str, Any]]:
    """Every reflection, finished or not, with its answers in words."""
    rows = session.exec(
        select(Reflection)
        .where(Reflection.person_id == person_id)
        .order_by(col(Reflection.started_at))
    ).all()
    exported = []
    for reflection in rows:
        answers = session.exec(
            select(Answer)
            .where(Answer.reflection_id == reflection.id)
            .order_by(col(Answer.position))
        ).all()
        exported.append(
            {
                "title": reflection.title,
                "prompt_set": reflection.prompt_set,
                "status": reflection.status.value,
                "shared_with": reflection.sharing.value if reflection.sharing else None,
                "asked_for_contact": reflection.wants_contact,
                "started_at": _iso(reflection.started_at),
                "finished_at": _iso(reflection.finished_at),
                "answers": [
                    {
                        "question": a.question_id,
                        "skipped": a.skipped,
                        "text": a.text,
                        "number": a.number,
                        "choices": json.loads(a.choices) if a.choices else None,
                        "voice_note_seconds": a.voice_duration if a.voice_file_id else None,
                        "answered_at": _iso(a.answered_at),
                    }
                    for a in answers
                ],
            }
        )
    return exported


def _quiet(person: Person) -> str | None:
    if person.quiet_start is None or person.quiet_end is None:
        return None
    start, end = person.quiet_start, person.quiet_end
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


# Each later feature that stores a person's words adds its eraser here, so /forget stays
# complete as Tandem grows. Each takes the session and the person id and deletes rows.
Eraser = Callable[[Session, int], None]


def _erase_consents(session: Session, person_id: int) -> None:
    session.execute(delete(ConsentRecord).where(col(ConsentRecord.person_id) == person_id))


def _erase_conversation(session: Session, person_id: int) -> None:
    session.execute(delete(ConversationState).where(col(ConversationState.person_id) == person_id))


def _erase_reflections(session: Session, person_id: int) -> None:
    mine = select(Reflection.id).where(Reflection.person_id == person_id)
    session.execute(delete(Answer).where(col(Answer.reflection_id).in_(mine)))
    session.execute(delete(Reflection).where(col(Reflection.person_id) == person_id))


def _erase_reading_and_questions(session: Session, person_id: int) -> None:
    session.execute(delete(BriefingRead).where(col(BriefingRead.person_id) == person_id))
    session.execute(delete(PartnerQuestion).where(col(PartnerQuestion.person_id) == person_id))


def _erase_outcomes_and_pairs(session: Session, person_id: int) -> None:
    """What happened to their contributions, and their pair (first: these point at
    reflections and questions)."""
    session.execute(
        delete(ContributionOutcome).where(col(ContributionOutcome.person_id) == person_id)
    )
    session.execute(
        delete(Pair).where((col(Pair.first_id) == person_id) | (col(Pair.second_id) == person_id))
    )


def _erase_outbox_and_calendar(session: Session, person_id: int) -> None:
    session.execute(delete(Delivery).where(col(Delivery.person_id) == person_id))
    # Notices to others that carry this person's name or words (questions, relayed
    # messages, alerts...), sent or not.
    session.execute(
        delete(Delivery).where(col(Delivery.dedupe_key).startswith(about_key_prefix(person_id)))
    )
    session.execute(delete(Rsvp).where(col(Rsvp.person_id) == person_id))
    session.execute(delete(CalendarFeed).where(col(CalendarFeed.person_id) == person_id))


def _erase_sign_ins(session: Session, person_id: int) -> None:
    weblogin.erase_for(session, person_id=person_id)


ERASERS: list[Eraser] = [
    _erase_sign_ins,
    _erase_outcomes_and_pairs,
    _erase_outbox_and_calendar,
    _erase_consents,
    _erase_conversation,
    _erase_reflections,
    _erase_reading_and_questions,
]


def forget(session: Session, *, person_id: int, clock: Clock) -> None:
    """Erase the person's personal data and answers; only an anonymous row remains for counts."""
    person = session.get(Person, person_id)
    if person is None or person.status == PersonStatus.ERASED:
        return
    now = clock.now()
    for eraser in ERASERS:
        eraser(session, person_id)
    for membership in session.exec(
        select(Membership).where(
            Membership.person_id == person_id, col(Membership.left_at).is_(None)
        )
    ):
        membership.left_at = now
        session.add(membership)
    person.telegram_user_id = None
    person.chat_id = None
    person.preferred_name = None
    person.time_zone = "Europe/London"
    person.quiet_start = person.quiet_end = None
    person.paused_at = person.paused_until = None
    person.unreachable_since = None
    person.unreachable_reason = None
    person.last_seen_at = None
    person.status = PersonStatus.ERASED
    person.left_at = person.left_at or now
    session.add(person)
    audit.record(
        session, clock=clock, action="erased_own_data", actor_id=person_id, subject_id=person_id
    )
