"""A broadcast's words in other languages (issue 19, step 6).

A facilitator may add a version of the words for each language Tandem speaks. Each person
gets the version in their own language; a person whose language has none gets the original
with a short note (in their language) that it was written in English; English readers get
the original alone. Versions use the same placeholders as the original and are checked the
same way, each with the values of its first reader.

A correction replaces the original and drops the versions (everyone then gets the corrected
words, with the note where it applies): the writer is told so before it goes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.domain.broadcasts.words import (
    Preview,
    check_text,
    render_text,
    values_of,
)
from bot.models import BroadcastVersion, Person

ENGLISH = "en"  # the language the original is written in


@dataclass(frozen=True)
class Wording:
    """What one person's copy says: a version's words or the original's, and whether the
    original goes with the note that it was written in English."""

    text: str
    note: bool


def wording_for(language: str | None, *, original: str, versions: Mapping[str, str]) -> Wording:
    """The words for a reader of `language` (None: English): their version if there is one,
    else the original, with the note unless they read English."""
    code = language or ENGLISH
    if code in versions:
        return Wording(versions[code], note=False)
    return Wording(original, note=code != ENGLISH)


def language_of(person: Person) -> str:
    """The language a person reads ("en" when they have not chosen one)."""
    return person.language or ENGLISH


def readers(session: Session, *, people: Iterable[int]) -> dict[str, int]:
    """How many of these people read each language, most readers first."""
    ids = list(set(people))
    if not ids:
        return {}
    found = session.exec(select(Person.language).where(col(Person.id).in_(ids))).all()
    return dict(Counter(code or ENGLISH for code in found).most_common())


@dataclass(frozen=True)
class Version:
    """One version, checked, as its first reader will get it."""

    language: str
    text: str  # the words as written (cleaned)
    first_name: str  # its first reader (the first recipient when nobody reads it)
    words: str  # the words as that person gets them
    readers: int  # how many of the audience read this language


def check_versions(
    session: Session, *, people: list[int], versions: Mapping[str, str], now: datetime
) -> list[Version]:
    """Each version checked like the original (words, length, placeholders), with the values
    of the first recipient who reads its language; refused (with the reason) if one cannot
    be sent. English is the original's language: an English "version" is ignored."""
    if not people or not versions:
        return []
    found = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(people)))}
    counts = readers(session, people=people)
    checked = []
    for code, text in versions.items():
        if code == ENGLISH:
            continue
        first = next(
            (found[p] for p in people if p in found and language_of(found[p]) == code),
            found.get(people[0]),
        )
        if first is None or first.id is None:
            continue
        values = values_of(session, first, now=now)
        cleaned = check_text(text, values)
        checked.append(
            Version(
                language=code,
                text=cleaned,
                first_name=first.preferred_name or "",
                words=render_text(cleaned, values),
                readers=counts.get(code, 0),
            )
        )
    return checked


def first_copy(draft: Preview, versions: Iterable[Version]) -> Wording:
    """What the preview's person gets: the words as written to an English reader; else their
    language's version (they are its first reader), or the original with the note."""
    for version in versions:
        if version.language == draft.language:
            return Wording(version.words, note=False)
    return Wording(draft.words, note=draft.language != ENGLISH)


def save_versions(session: Session, *, broadcast_id: int, versions: Mapping[str, str]) -> None:
    """Store a new broadcast's versions (already checked)."""
    for code, text in versions.items():
        session.add(BroadcastVersion(broadcast_id=broadcast_id, language=code, text=text))


def versions_of(session: Session, *, broadcast_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Each broadcast's versions by language, in one query."""
    ids = list(set(broadcast_ids))
    found: dict[int, dict[str, str]] = {}
    if not ids:
        return found
    for version in session.exec(
        select(BroadcastVersion)
        .where(col(BroadcastVersion.broadcast_id).in_(ids))
        .order_by(col(BroadcastVersion.id))
    ).all():
        found.setdefault(version.broadcast_id, {})[version.language] = version.text
    return found


def drop_versions(session: Session, *, broadcast_id: int) -> None:
    """Forget a broadcast's versions (a correction replaces every language's words)."""
    session.exec(delete(BroadcastVersion).where(col(BroadcastVersion.broadcast_id) == broadcast_id))
