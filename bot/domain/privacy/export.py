"""/mydata: everything Tandem stores about a person, as plain JSON-ready data, one section
at a time (each table that points at a person has its section)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any

from sqlmodel import Session, col, select

from bot.domain import audit, changes, conversation
from bot.domain.briefings import questions_of
from bot.domain.clock import Clock
from bot.domain.measures.privacy import export_measures
from bot.domain.people import cohorts_of, get_person
from bot.domain.privacy.growth import GROWTH_SECTIONS
from bot.models import (
    AgendaItem,
    AgendaSupport,
    Answer,
    AuditEvent,
    BoardLearning,
    BoardMember,
    BriefingRead,
    Broadcast,
    CalendarFeed,
    Concern,
    ConsentRecord,
    ContributionOutcome,
    Delivery,
    Invite,
    LearningReaction,
    LoginLink,
    Meeting,
    Note,
    Pair,
    Person,
    Reflection,
    Rsvp,
    WebSession,
)

EXPORT_FORMAT = "tandem-personal-data/1"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _plain(value: object) -> object:
    """A stored value as JSON shows it: times as ISO text, enums as their value."""
    if isinstance(value, datetime):
        return value.isoformat()
    return value.value if isinstance(value, Enum) else value


def _listed(session: Session, query: Any, fields: dict[str, str]) -> list[dict[str, Any]]:
    """Each row the query finds, as {export key: the row's attribute}."""
    return [
        {key: _plain(getattr(row, name)) for key, name in fields.items()}
        for row in session.exec(query)
    ]


# ---------------------------------------------------------------------------- the export

# One section of the export: what it holds for the person.
Section = Callable[[Session, Person], Any]


def _you(_session: Session, person: Person) -> dict[str, Any]:
    return {
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
    }


def _quiet(person: Person) -> str | None:
    if person.quiet_start is None or person.quiet_end is None:
        return None
    start, end = person.quiet_start, person.quiet_end
    return f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def _cohorts(session: Session, person: Person) -> list[dict[str, Any]]:
    return [
        {"name": place.cohort.name, "role": place.role.value}
        for place in cohorts_of(session, person_id=person.id or 0)
    ]


def _consent(session: Session, person: Person) -> list[dict[str, Any]]:
    mine = select(ConsentRecord).where(ConsentRecord.person_id == person.id)
    fields = {"about": "kind", "agreed": "granted", "statement": "statement"}
    times = {"decided_at": "decided_at", "withdrawn_at": "withdrawn_at"}
    return _listed(session, mine.order_by(col(ConsentRecord.decided_at)), fields | times)


def _reflections(session: Session, person: Person) -> list[dict[str, Any]]:
    """Every reflection, finished or not, with its answers in words."""
    rows = session.exec(
        select(Reflection)
        .where(Reflection.person_id == person.id)
        .order_by(col(Reflection.started_at))
    ).all()
    return [
        {
            "title": reflection.title,
            "prompt_set": reflection.prompt_set,
            "status": reflection.status.value,
            "shared_with": reflection.sharing.value if reflection.sharing else None,
            "asked_for_contact": reflection.wants_contact,
            "started_at": _iso(reflection.started_at),
            "finished_at": _iso(reflection.finished_at),
            "answers": _answers(session, reflection.id or 0),
        }
        for reflection in rows
    ]


def _answers(session: Session, reflection_id: int) -> list[dict[str, Any]]:
    answers = session.exec(
        select(Answer).where(Answer.reflection_id == reflection_id).order_by(col(Answer.position))
    )
    return [
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
    ]


def _briefings_read(session: Session, person: Person) -> list[dict[str, Any]]:
    mine = select(BriefingRead).where(BriefingRead.person_id == person.id)
    return _listed(session, mine, {"briefing": "briefing_id", "read_at": "read_at"})


def _questions(session: Session, person: Person) -> list[dict[str, Any]]:
    return [
        {
            "asked_at": _iso(q.asked_at),
            "briefing": q.briefing_id,
            "question": q.text,
            "voice_note": q.voice_file_id is not None,
            "status": q.status.value,
            "answer": q.answer,
        }
        for q in questions_of(session, person_id=person.id or 0)
    ]


def _meeting_replies(session: Session, person: Person) -> list[dict[str, Any]]:
    mine = select(Rsvp).where(Rsvp.person_id == person.id)
    fields = {"meeting": "meeting_id", "attending": "attending", "answered_at": "answered_at"}
    replies = _listed(session, mine, fields)
    for reply in replies:  # the meeting by its title and time, not only its number
        meeting = session.get(Meeting, reply["meeting"])
        reply["meeting_title"] = meeting.title if meeting else None
        reply["meeting_starts_at"] = _iso(meeting.starts_at) if meeting else None
    return replies


def _outcomes(session: Session, person: Person) -> list[dict[str, Any]]:
    mine = select(ContributionOutcome).where(ContributionOutcome.person_id == person.id)
    fields = {"recorded_at": "recorded_at", "meeting": "meeting_id", "outcome": "text"}
    return _listed(session, mine, fields)


def _pair(session: Session, person: Person) -> list[dict[str, Any]]:
    pairs = session.exec(
        select(Pair).where((Pair.first_id == person.id) | (Pair.second_id == person.id))
    )
    return [
        {
            "paired_at": _iso(pair.created_at),
            "ended_at": _iso(pair.ended_at),
            "you_stopped_their_messages": (
                pair.first_stopped_relay
                if pair.first_id == person.id
                else pair.second_stopped_relay
            ),
        }
        for pair in pairs
    ]


def _buddy_nudges(_session: Session, person: Person) -> bool:
    return person.buddy_nudges


def _conversation(session: Session, person: Person) -> dict[str, str] | None:
    state = conversation.get_state(session, person_id=person.id or 0)
    return {"flow": state.flow, "step": state.step} if state is not None else None


def _activity(session: Session, person: Person) -> list[dict[str, Any]]:
    mine = (AuditEvent.subject_id == person.id) | (AuditEvent.actor_id == person.id)
    query = select(AuditEvent).where(mine).order_by(col(AuditEvent.at))
    return _listed(session, query, {"at": "at", "action": "action"})


def _changes(session: Session, person: Person) -> list[dict[str, Any]]:
    """Every change they made to their account: pauses, settings, consent, sharing, leaving."""
    return [
        {"at": _iso(c.at), "what": c.kind, "from": c.old, "to": c.new, "about": c.about}
        for c in changes.history_of(session, person_id=person.id or 0)
    ]


def _calendar_feed(session: Session, person: Person) -> list[dict[str, Any]]:
    """Their private calendar link, if they made one (its secret is stored only as a hash)."""
    mine = select(CalendarFeed).where(CalendarFeed.person_id == person.id)
    return _listed(session, mine, {"link_made_at": "created_at"})


def _messages(session: Session, person: Person) -> list[dict[str, Any]]:
    """Messages Tandem planned or sent to them: what each was for, and when."""
    mine = select(Delivery).where(Delivery.person_id == person.id)
    fields = {"about": "purpose", "planned_for": "planned_for", "status": "status"}
    return _listed(
        session, mine.order_by(col(Delivery.planned_for)), fields | {"sent_at": "sent_at"}
    )


def _dashboard(session: Session, person: Person) -> dict[str, list[dict[str, Any]]]:
    """Dashboard sign-in links and sessions (their secrets are stored only as hashes)."""
    links = select(LoginLink).where(LoginLink.person_id == person.id)
    visits = select(WebSession).where(WebSession.person_id == person.id)
    times = {"started_at": "created_at", "last_seen_at": "last_seen_at", "ended_at": "ended_at"}
    return {
        "sign_in_links": _listed(session, links, {"made_at": "created_at", "used_at": "used_at"}),
        "sessions": _listed(session, visits, times),
    }


def _invites_made(session: Session, person: Person) -> list[dict[str, Any]]:
    mine = select(Invite).where(Invite.created_by == person.id)
    fields = {"role": "role", "cohort": "cohort_id", "made_at": "created_at", "uses": "uses"}
    return _listed(session, mine, fields | {"expires_at": "expires_at"})


def _broadcasts_written(session: Session, person: Person) -> list[dict[str, Any]]:
    mine = select(Broadcast).where(Broadcast.author_id == person.id)
    fields = {"written_at": "created_at", "send_at": "send_at", "to": "audience", "text": "text"}
    return _listed(session, mine, fields | {"withdrawn_at": "withdrawn_at"})


def _concerns(session: Session, person: Person) -> dict[str, list[dict[str, Any]]]:
    fields = {
        "raised_at": "raised_at",
        "kind": "category",
        "seen_at": "acknowledged_at",
        "you_said_safe_at": "safe_at",  # the signpost's answers
        "you_asked_for_contact_at": "contact_asked_at",
    }
    return {
        "about_you": _listed(
            session, select(Concern).where(Concern.person_id == person.id), fields
        ),
        "you_acknowledged": _listed(
            session, select(Concern).where(Concern.acknowledged_by == person.id), fields
        ),
    }


def _notes(session: Session, person: Person) -> list[dict[str, Any]]:
    fields = {"written_at": "created_at", "text": "text", "voice_note": "voice_file_id"}
    mine = select(Note).where(Note.person_id == person.id).order_by(col(Note.created_at))
    return _listed(session, mine, fields | {"what_you_did_with_it": "status", "when": "filed_at"})


def _agenda_proposed(session: Session, person: Person) -> list[dict[str, Any]]:
    mine = select(AgendaItem).where(AgendaItem.proposer_id == person.id)
    fields = {
        "title": "title",
        "why": "why",
        "why_voice_note": "why_voice_file_id",
        "status": "status",
        "meeting": "meeting_id",
        "reason_not_this_time": "reason",
        "proposed_at": "created_at",
        "shared_at": "confirmed_at",
        "decided_at": "triaged_at",
        "withdrawn_at": "withdrawn_at",
    }
    return _listed(session, mine.order_by(col(AgendaItem.created_at)), fields)


def _agenda_co_proposed(session: Session, person: Person) -> list[dict[str, Any]]:
    """Items they joined as their pair's co-proposer (issue 17)."""
    theirs = select(AgendaItem).where(AgendaItem.co_proposer_id == person.id)
    fields = {"title": "title", "status": "status", "joined_at": "co_joined_at"}
    return _listed(session, theirs.order_by(col(AgendaItem.id)), fields)


def _agenda_supported(session: Session, person: Person) -> list[dict[str, Any]]:
    rows = session.exec(
        select(AgendaSupport, AgendaItem.title)
        .join(AgendaItem, col(AgendaItem.id) == col(AgendaSupport.item_id))
        .where(AgendaSupport.supporter_id == person.id)
        .order_by(col(AgendaSupport.created_at))
    ).all()
    return [
        {"item": title, "comment": support.comment, "supported_at": _iso(support.created_at)}
        for support, title in rows
    ]


def _board(session: Session, person: Person) -> dict[str, Any]:
    """A board member's label and learnings, and a partner's reactions to learnings (issue 17)."""
    learned = {
        "meeting_id": "meeting_id",
        "shown_as": "label",
        "what_you_learned": "learned",
        "learned_voice_note": "learned_voice_file_id",
        "what_you_will_do_differently": "differently",
        "differently_voice_note": "differently_voice_file_id",
        "status": "status",
        "written_at": "created_at",
        "sent_at": "shared_at",
    }
    return {
        "your_role_label": _listed(
            session,
            select(BoardMember).where(BoardMember.person_id == person.id),
            {"label": "label", "chosen_at": "chosen_at"},
        ),
        "what_you_learned": _listed(
            session, select(BoardLearning).where(BoardLearning.person_id == person.id), learned
        ),
        "your_reactions": _listed(
            session,
            select(LearningReaction).where(LearningReaction.person_id == person.id),
            {"learning_id": "learning_id", "reaction": "kind", "when": "reacted_at"},
        ),
    }


# In the order the export shows them; later features append their own.
SECTIONS: tuple[tuple[str, Section], ...] = (
    ("you", _you),
    ("cohorts", _cohorts),
    ("consent", _consent),
    ("reflections", _reflections),
    ("notes", _notes),
    ("briefings_read", _briefings_read),
    ("questions", _questions),
    ("meeting_replies", _meeting_replies),
    ("what_happened_to_your_contributions", _outcomes),
    ("pair", _pair),
    ("buddy_check_in_reminders", _buddy_nudges),
    ("conversation_in_progress", _conversation),
    ("activity_log", _activity),
    ("changes_you_made", _changes),
    ("calendar_feed", _calendar_feed),
    ("messages_from_tandem", _messages),
    ("dashboard", _dashboard),
    ("invites_you_made", _invites_made),
    ("broadcasts_you_wrote", _broadcasts_written),
    ("safeguarding_alerts", _concerns),
    ("agenda_items_you_proposed", _agenda_proposed),
    ("agenda_items_you_proposed_with_your_pair", _agenda_co_proposed),
    ("agenda_items_you_supported", _agenda_supported),
    ("what_matters_to_us", export_measures),  # issue 17
    ("board", _board),  # issue 17
    *GROWTH_SECTIONS,  # issue 18
)


def export_personal_data(session: Session, *, person_id: int, clock: Clock) -> dict[str, Any]:
    """Everything Tandem stores about a person, as plain JSON-ready data; the export is audited."""
    person = get_person(session, person_id=person_id)
    sections = {name: section(session, person) for name, section in SECTIONS}
    audit.record(
        session, clock=clock, action="export_own_data", actor_id=person_id, subject_id=person_id
    )
    return {"format": EXPORT_FORMAT, "exported_at": clock.now().isoformat(), **sections}
