"""Notes: what a partner says outside any question is kept at once, never dropped.

A message that answers nothing (idle text, a voice note, or words typed where a step wants
a button) becomes a draft note the person owns. They choose what happens to it: keep it in
their journal, send it to their facilitator as a question, or pass it to their pair. Until
then it stays a draft: in /journal and /mydata, and erased by /forget like everything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.domain import pairs
from bot.domain.answers import Voice
from bot.domain.briefings import ask_facilitators
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.people import cohorts_of
from bot.models import Note, NoteStatus

# Messages sent within this time of a draft, with nothing else between, join that draft
# (people often say one thing in several short messages).
JOINS_WITHIN = timedelta(minutes=10)
PREVIEW = 200  # characters of a note quoted back to its author


@dataclass(frozen=True)
class Kept:
    """A note as kept, and what its author may do with it."""

    note: Note
    joined: bool  # added to an open draft rather than started anew
    to_facilitator: bool  # the person has a cohort whose facilitators can be asked
    to_pair: str | None  # the pair's name, when the note is text and they have a pair


def keep(
    session: Session,
    *,
    person_id: int,
    clock: Clock,
    text: str | None = None,
    voice: Voice | None = None,
    at_step: str | None = None,
) -> Kept:
    """Keep what the person sent as a draft note (joining their open draft when it is
    recent text and this is text too); say where it may go."""
    cleaned = (text or "").strip()
    if not cleaned and voice is None:
        raise InvalidInput("notes.empty")
    now = clock.now()
    note = _open_draft(session, person_id, now) if voice is None and at_step is None else None
    joined = note is not None
    if note is None:
        note = Note(person_id=person_id, at_step=at_step, created_at=now, updated_at=now)
        if voice is not None:
            note.voice_file_id, note.voice_duration = voice.file_id, voice.duration
        note.text = cleaned or None
    else:
        note.text = f"{note.text}\n\n{cleaned}"
        note.updated_at = now
    session.add(note)
    session.flush()
    return Kept(note, joined, *_destinations(session, person_id, note))


def _open_draft(session: Session, person_id: int, now: datetime) -> Note | None:
    """The person's latest note if it is a recent text draft typed outside any step."""
    latest = session.exec(
        select(Note).where(Note.person_id == person_id).order_by(col(Note.id).desc()).limit(1)
    ).first()
    if (
        latest is None
        or latest.status != NoteStatus.DRAFT
        or latest.at_step is not None
        or latest.text is None
        or latest.voice_file_id is not None
    ):
        return None
    return latest if now - latest.updated_at <= JOINS_WITHIN else None


def _destinations(session: Session, person_id: int, note: Note) -> tuple[bool, str | None]:
    has_cohort = bool(cohorts_of(session, person_id=person_id))
    buddy = pairs.buddy_of(session, person_id=person_id) if note.text else None
    return has_cohort, (buddy.preferred_name or "") if buddy is not None else None


def get(session: Session, *, person_id: int, note_id: int) -> Note:
    """One of the person's own notes (anyone else's is not found)."""
    note = session.get(Note, note_id)
    if note is None or note.person_id != person_id:
        raise NotFound("notes.not_found")
    return note


@dataclass(frozen=True)
class Filed:
    """Where a note went: the status, and who it reached (facilitators' or pair's names)."""

    note: Note
    to: list[str]
    already: bool = False  # it had been filed before (an old button tapped again)
    refused: str | None = None  # why it could not go to the pair


def file(
    session: Session, *, person_id: int, note_id: int, where: NoteStatus, clock: Clock
) -> Filed:
    """Do what the person chose with a draft note: keep it, ask, or pass it to their pair."""
    note = get(session, person_id=person_id, note_id=note_id)
    if note.status != NoteStatus.DRAFT:
        return Filed(note, [], already=True)
    voice = (
        Voice(file_id=note.voice_file_id, duration=note.voice_duration or 0)
        if note.voice_file_id
        else None
    )
    to: list[str] = []
    if where == NoteStatus.FACILITATOR:
        to = ask_facilitators(
            session, person_id=person_id, clock=clock, text=note.text, voice=voice
        ).facilitators
    elif where == NoteStatus.PAIR:
        relayed = pairs.relay(session, sender_id=person_id, text=note.text or "", clock=clock)
        to = [relayed.to.preferred_name or ""] if relayed.to is not None else []
        if relayed.refused is not None:  # it stays a draft: they may keep it instead
            return Filed(note, to, refused=relayed.refused)
    elif where != NoteStatus.JOURNAL:
        raise InvalidInput("notes.where")
    note.status = where
    note.filed_at = clock.now()
    session.add(note)
    return Filed(note, to)


def of_person(session: Session, *, person_id: int) -> list[Note]:
    """Every note the person kept, oldest first (for /journal and /mydata)."""
    return list(
        session.exec(
            select(Note).where(Note.person_id == person_id).order_by(col(Note.created_at))
        ).all()
    )
