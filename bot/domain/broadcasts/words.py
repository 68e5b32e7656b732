"""A broadcast's words: what may be sent, its placeholders, and each person's own copy.

The text may use {{ name }}, {{ next_meeting }} and {{ cohort }}, rendered for each person
in Jinja's sandbox with StrictUndefined: a mistyped placeholder is explained to the writer
before anything is sent. The preview, the queued copies and the dispatcher all fill the
placeholders the same way (`values_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.domain.broadcasts.audience import Audience, recipients
from bot.domain.clock import Clock
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.when import local_time_label
from bot.models import Cohort, Meeting, MeetingStatus, Membership, Person

TEXT_LIMIT = 3500  # leaves room within Telegram's 4096 for the greeting around it
PLACEHOLDERS = ("name", "next_meeting", "cohort")
SAMPLE = {"name": "Alex", "next_meeting": "Board meeting, Thu 3 Dec, 14:00", "cohort": "Group"}
NO_MEETING = "not booked yet"
_SANDBOX = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


def render_text(text: str, values: Mapping[str, Any]) -> str:
    """A broadcast's words for one person, placeholders filled (plain text, not HTML).

    InvalidInput explains a mistake in the placeholders, in words a facilitator can act on.
    """
    if "{" not in text:
        return text
    try:
        return _SANDBOX.from_string(text).render(**values)
    except UndefinedError as error:
        raise InvalidInput(
            "broadcast.unknown_placeholder",
            str(error),
            placeholders=", ".join(f"{{{{ {p} }}}}" for p in PLACEHOLDERS),
        ) from None
    except TemplateError as error:
        raise InvalidInput("broadcast.bad_template", str(error), problem=str(error)) from None


def clean(text: str) -> str:
    """The words without surrounding space, if there are some and not too many."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("broadcast.empty")
    if len(cleaned) > TEXT_LIMIT:
        raise InvalidInput("broadcast.too_long", limit=TEXT_LIMIT, length=len(cleaned))
    return cleaned


def check_text(text: str, values: Mapping[str, Any]) -> str:
    """The cleaned text, if it is a broadcast we can send (words, length, placeholders, and
    the length once filled in with these values)."""
    cleaned = clean(text)
    rendered = render_text(cleaned, values)
    if len(rendered) > TEXT_LIMIT:
        raise InvalidInput("broadcast.too_long", limit=TEXT_LIMIT, length=len(rendered))
    return cleaned


def next_meetings(
    session: Session, *, person_ids: Iterable[int], now: datetime
) -> dict[int, Meeting]:
    """Each person's next scheduled meeting (in any of their cohorts), if they have one."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(Membership.person_id, Meeting)
        .join(Meeting, col(Meeting.cohort_id) == col(Membership.cohort_id))
        .where(
            col(Membership.person_id).in_(ids),
            col(Membership.left_at).is_(None),
            Meeting.status == MeetingStatus.SCHEDULED,
            col(Meeting.starts_at) > now,
        )
        .order_by(col(Meeting.starts_at))
    ).all()
    found: dict[int, Meeting] = {}
    for person_id, meeting in rows:
        found.setdefault(int(person_id), meeting)
    return found


def cohort_names(session: Session, *, person_ids: Iterable[int]) -> dict[int, str]:
    """The name of each person's (first) cohort."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    found: dict[int, str] = {}
    for person_id, name in session.exec(
        select(Membership.person_id, Cohort.name)
        .join(Cohort, col(Cohort.id) == col(Membership.cohort_id))
        .where(col(Membership.person_id).in_(ids), col(Membership.left_at).is_(None))
        .order_by(col(Membership.id))
    ).all():
        found.setdefault(int(person_id), name)
    return found


def values_for(
    person: Person, *, next_meeting: Meeting | None, cohort: str, now: datetime
) -> dict[str, str]:
    """What the placeholders mean for this person (times in their own time zone)."""
    return {
        "name": person.preferred_name or "",
        "next_meeting": (
            f"{next_meeting.title}, "
            f"{local_time_label(next_meeting.starts_at, person.time_zone, now=now)}"
            if next_meeting is not None
            else NO_MEETING
        ),
        "cohort": cohort,
    }


def values_of(session: Session, person: Person, *, now: datetime) -> dict[str, str]:
    """What the placeholders mean for one person, read for them alone (a preview's reader)."""
    person_id = person.id or 0
    return values_for(
        person,
        next_meeting=next_meetings(session, person_ids=[person_id], now=now).get(person_id),
        cohort=cohort_names(session, person_ids=[person_id]).get(person_id, ""),
        now=now,
    )


def personal_words(text: str, values: Mapping[str, Any]) -> str:
    """The words as this person gets them. The text was checked when written; should the
    data change since, the words go as typed rather than not at all."""
    try:
        return render_text(text, values)
    except InvalidInput:
        return text


def personal_copies(
    session: Session, *, copies: Mapping[int, tuple[Person, str]], now: datetime
) -> dict[int, str]:
    """The words each copy says for its person (`copies`: any key -> (person, the broadcast's
    text)). Two queries, whatever the number of copies."""
    ids = {person.id for person, _ in copies.values() if person.id is not None}
    soonest = next_meetings(session, person_ids=ids, now=now)
    cohorts = cohort_names(session, person_ids=ids)
    return {
        key: personal_words(
            text,
            values_for(
                person,
                next_meeting=soonest.get(person.id or 0),
                cohort=cohorts.get(person.id or 0, ""),
                now=now,
            ),
        )
        for key, (person, text) in copies.items()
    }


def first_reader(session: Session, *, people: list[int]) -> Person | None:
    """Whom a preview is for: the first of these people who reads English, and so gets the
    words as written (issue 19), or the first of them when nobody does."""
    if not people:
        return None
    english = session.exec(
        select(Person)
        .where(
            col(Person.id).in_(people),
            or_(col(Person.language).is_(None), col(Person.language) == "en"),
        )
        .order_by(col(Person.id))
        .limit(1)
    ).first()
    return english or session.get(Person, min(people))


@dataclass(frozen=True)
class Preview:
    """A draft broadcast checked against its audience, as its first recipient will read it."""

    audience: Audience
    people: list[int]
    text: str  # the words as written (cleaned)
    first_name: str  # the first recipient's name
    words: str  # the words as the first recipient will get them
    language: str = "en"  # the language the first recipient reads (issue 19)


def preview(
    session: Session, *, viewer_id: int, audience: Audience, text: str, clock: Clock
) -> Preview:
    """Check a draft for this audience; refused (with the reason) if it cannot be sent.
    The preview is for the first recipient who reads English, who gets the words as
    written (issue 19), or the first recipient when nobody does."""
    people = recipients(session, viewer_id=viewer_id, audience=audience)
    if not people:
        raise InvalidInput("broadcast.nobody")
    first = first_reader(session, people=people)
    if first is None or first.id is None:
        raise NotFound("broadcast.person_not_found")
    now = clock.now()
    values = values_of(session, first, now=now)
    cleaned = check_text(text, values)
    return Preview(
        audience=audience,
        people=people,
        text=cleaned,
        first_name=first.preferred_name or "",
        words=render_text(cleaned, values),
        language=first.language or "en",
    )
