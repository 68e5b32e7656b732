"""/mydata's second file: the same record as a web page a person can read on their phone.

Questions as they were asked, answers as they were given ("4 out of 5", choice labels,
"Skipped"), meetings by title and date, times in the person's own time zone, and every change
they made. The words live in the templates in document/ (Jinja2, autoescaped: a name or an
answer is always shown as text, never run); this module only gathers the facts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session, col, select

from bot.domain import changes, notes
from bot.domain.briefings import questions_of
from bot.domain.changes import ChangeKind
from bot.domain.clock import Clock
from bot.domain.measures.checkin import with_measures
from bot.domain.measures.privacy import of_person as measures_of
from bot.domain.people import cohorts_of, get_person, is_paused, quiet_text
from bot.domain.review import in_words
from bot.domain.when import day_label, zone_label
from bot.library.prompts import PromptSet
from bot.models import (
    AgendaItem,
    AgendaSupport,
    Answer,
    ConsentRecord,
    ContributionOutcome,
    Meeting,
    Person,
    Reflection,
    Rsvp,
)

JOURNAL_SET = "journal"


def when(moment: datetime | None, zone: str) -> str:
    """A time as the person reads it in their own zone: "Tue 3 Mar 2026, 14:05"."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{day_label(local, 'EEE d MMM y')}, {local:%H:%M}"


@dataclass(frozen=True)
class Facts:
    """What every section needs: the session, the person, their zone and the prompt sets."""

    session: Session
    person: Person
    prompt_sets: Mapping[str, PromptSet]
    now: datetime

    @property
    def person_id(self) -> int:
        """The person's id."""
        return self.person.id or 0

    def when(self, moment: datetime | None) -> str:
        """A time in the person's own zone."""
        return when(moment, self.person.time_zone)


@dataclass(frozen=True)
class Asked:
    """One question as it was asked, and the answer as it was given."""

    question: str
    answer: str
    skipped: bool
    answered: str


@dataclass(frozen=True)
class ReflectionEntry:
    """One reflection or journal entry."""

    title: str
    kind: str
    meeting: str
    status: str
    sharing: str
    started: str
    finished: str
    answers: tuple[Asked, ...]


def _meeting_words(facts: Facts, meeting_id: int | None) -> str:
    meeting = facts.session.get(Meeting, meeting_id) if meeting_id else None
    return f"{meeting.title}, {facts.when(meeting.starts_at)}" if meeting else ""


def _asked(facts: Facts, reflection: Reflection) -> tuple[Asked, ...]:
    prompt_set = facts.prompt_sets.get(reflection.prompt_set)
    if prompt_set is not None:  # with the measures it asked about (issue 17)
        prompt_set = with_measures(facts.session, prompt_set=prompt_set, reflection=reflection)
    rows = facts.session.exec(
        select(Answer)
        .where(Answer.reflection_id == reflection.id)
        .order_by(col(Answer.position), col(Answer.id))
    )
    asked = []
    for answer in rows:
        question = prompt_set.question(answer.question_id) if prompt_set else None
        asked.append(
            Asked(
                question=question.text.strip() if question else answer.question_id,
                answer=in_words(answer, prompt_set),
                skipped=answer.skipped,
                answered=facts.when(answer.answered_at),
            )
        )
    return tuple(asked)


def _entries(facts: Facts, *, journal: bool) -> list[ReflectionEntry]:
    kind = col(Reflection.prompt_set)
    rows = facts.session.exec(
        select(Reflection)
        .where(
            Reflection.person_id == facts.person_id,
            kind == JOURNAL_SET if journal else kind != JOURNAL_SET,
        )
        .order_by(col(Reflection.started_at), col(Reflection.id))
    )
    entries = []
    for reflection in rows:
        prompt_set = facts.prompt_sets.get(reflection.prompt_set)
        entries.append(
            ReflectionEntry(
                title=reflection.title,
                kind=prompt_set.title if prompt_set else reflection.prompt_set,
                meeting=_meeting_words(facts, reflection.meeting_id),
                status=reflection.status.value,
                sharing=reflection.sharing.value if reflection.sharing else "",
                started=facts.when(reflection.started_at),
                finished=facts.when(reflection.finished_at),
                answers=_asked(facts, reflection),
            )
        )
    return entries


def _you(facts: Facts) -> dict[str, Any]:
    person = facts.person
    paused = is_paused(person, now=facts.now)
    return {
        "name": person.preferred_name or "",
        "role": person.role.value,
        "status": person.status.value,
        "joined": facts.when(person.created_at),
        "time_zone": person.time_zone,
        "zone_label": zone_label(person.time_zone),
        "quiet_hours": quiet_text(person),
        "paused": paused,
        "paused_until": facts.when(person.paused_until) if paused else "",
        "buddy_reminders": person.buddy_nudges,
        "cohorts": [
            place.cohort.name for place in cohorts_of(facts.session, person_id=facts.person_id)
        ],
    }


def _consent(facts: Facts) -> list[dict[str, Any]]:
    rows = facts.session.exec(
        select(ConsentRecord)
        .where(ConsentRecord.person_id == facts.person_id)
        .order_by(col(ConsentRecord.decided_at), col(ConsentRecord.id))
    )
    return [
        {
            "about": record.kind.value,
            "agreed": record.granted,
            "words": record.statement,
            "decided": facts.when(record.decided_at),
            "replaced": facts.when(record.withdrawn_at),
        }
        for record in rows
    ]


def _reflections(facts: Facts) -> list[ReflectionEntry]:
    return _entries(facts, journal=False)


def _journal(facts: Facts) -> list[ReflectionEntry]:
    return _entries(facts, journal=True)


def _notes(facts: Facts) -> list[dict[str, Any]]:
    return [
        {
            "written": facts.when(note.created_at),
            "text": note.text or "",
            "voice_seconds": (note.voice_duration or 0) if note.voice_file_id else None,
            "status": note.status.value,
            "filed": facts.when(note.filed_at),
        }
        for note in notes.of_person(facts.session, person_id=facts.person_id)
    ]


def _meetings(facts: Facts) -> list[dict[str, Any]]:
    rows = facts.session.exec(
        select(Rsvp, Meeting)
        .join(Meeting, col(Meeting.id) == col(Rsvp.meeting_id))
        .where(Rsvp.person_id == facts.person_id)
        .order_by(col(Meeting.starts_at))
    )
    return [
        {
            "title": meeting.title,
            "starts": facts.when(meeting.starts_at),
            "attending": rsvp.attending,
            "answered": facts.when(rsvp.answered_at),
        }
        for rsvp, meeting in rows
    ]


def _questions(facts: Facts) -> list[dict[str, Any]]:
    return [
        {
            "asked": facts.when(q.asked_at),
            "text": q.text or "",
            "voice": q.voice_file_id is not None,
            "answer": q.answer or "",
            "answered": facts.when(q.answered_at),
        }
        for q in questions_of(facts.session, person_id=facts.person_id)
    ]


def _outcomes(facts: Facts) -> list[dict[str, Any]]:
    rows = facts.session.exec(
        select(ContributionOutcome)
        .where(ContributionOutcome.person_id == facts.person_id)
        .order_by(col(ContributionOutcome.recorded_at), col(ContributionOutcome.id))
    )
    return [
        {
            "recorded": facts.when(outcome.recorded_at),
            "meeting": _meeting_words(facts, outcome.meeting_id),
            "text": outcome.text,
        }
        for outcome in rows
    ]


def _agenda(facts: Facts) -> dict[str, list[dict[str, Any]]]:
    """Items they proposed for a meeting, with their pair, and supported (issue 17)."""
    session = facts.session
    proposed = session.exec(
        select(AgendaItem)
        .where(AgendaItem.proposer_id == facts.person_id)
        .order_by(col(AgendaItem.created_at))
    ).all()
    together = session.exec(
        select(AgendaItem)
        .where(AgendaItem.co_proposer_id == facts.person_id)
        .where(col(AgendaItem.co_joined_at).is_not(None))
        .order_by(col(AgendaItem.co_joined_at))
    ).all()
    supported = session.exec(
        select(AgendaSupport, AgendaItem.title)
        .join(AgendaItem, col(AgendaItem.id) == col(AgendaSupport.item_id))
        .where(AgendaSupport.supporter_id == facts.person_id)
        .order_by(col(AgendaSupport.created_at))
    ).all()
    return {
        "proposed": [
            {
                "title": item.title,
                "why": item.why or "",
                "when": facts.when(item.created_at),
                "status": item.status.value,
                "reason": item.reason or "",
            }
            for item in proposed
        ],
        "co_proposed": [
            {
                "title": item.title,
                "when": facts.when(item.co_joined_at),
                "status": item.status.value,
            }
            for item in together
        ],
        "supported": [
            {
                "title": title,
                "comment": support.comment or "",
                "when": facts.when(support.created_at),
            }
            for support, title in supported
        ],
    }


# Values that are times are shown in the person's zone; the template words the rest.
_TIMES = frozenset({ChangeKind.PAUSE, ChangeKind.RESUME})


def _value(facts: Facts, kind: str, value: str) -> str:
    if kind in _TIMES and value:
        return facts.when(datetime.fromisoformat(value))
    return value


def _changes(facts: Facts) -> list[dict[str, Any]]:
    return [
        {
            "at": facts.when(change.at),
            "kind": change.kind,
            "old": _value(facts, change.kind, change.old),
            "new": _value(facts, change.kind, change.new),
            "about": change.about,
        }
        for change in changes.history_of(facts.session, person_id=facts.person_id)
    ]


def _measures(facts: Facts) -> dict[str, Any]:
    """What matters to us (issue 17): ideas they suggested or adopted, and their votes."""
    mine, votes = measures_of(facts.session, person_id=facts.person_id)
    return {
        "ideas": [
            {
                "text": m.text,
                "suggested": m.proposed_by == facts.person_id,
                "status": m.status.value,
                "when": facts.when(m.created_at),
            }
            for m in mine
        ],
        "votes": [{"text": m.text, "when": facts.when(v.cast_at)} for v, m in votes],
    }


# One section of the readable copy: its template (document/<name>.html) and its facts.
ReadableSection = Callable[[Facts], Any]

# In the order the page shows them. A feature that stores something new for a person adds a
# line here and a document/<name>.html beside the others (the JSON has its own SECTIONS).
READABLE_SECTIONS: tuple[tuple[str, ReadableSection], ...] = (
    ("you", _you),
    ("consent", _consent),
    ("reflections", _reflections),
    ("journal", _journal),
    ("notes", _notes),
    ("meetings", _meetings),
    ("questions", _questions),
    ("outcomes", _outcomes),
    ("agenda", _agenda),
    ("changes", _changes),
    ("measures", _measures),
)

_TEMPLATES = Path(__file__).parent / "document"


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_ENVIRONMENT = _environment()


def readable_copy(
    session: Session, *, person_id: int, prompt_sets: Mapping[str, PromptSet], clock: Clock
) -> str:
    """The person's record as one self-contained HTML page (UTF-8, inline CSS, no scripts)."""
    person = get_person(session, person_id=person_id)
    facts = Facts(session, person, prompt_sets, clock.now())
    sections = [(name, build(facts)) for name, build in READABLE_SECTIONS]
    return _ENVIRONMENT.get_template("page.html").render(
        sections=sections,
        made=facts.when(clock.now()),
        zone=zone_label(facts.person.time_zone),
        name=facts.person.preferred_name or "",
    )
