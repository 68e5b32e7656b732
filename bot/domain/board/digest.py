"""The lay partners' voice for one meeting, as board members receive it after the meeting.

A digest is a list of sections, each built by one small function. Only reflections shared
"anonymised for the board" are read, and never who wrote them; voice notes are not passed on
(they could identify the speaker). Then the meeting's agenda items and the measures' figures:
titles and counts, never names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.models import Answer, Meeting, Reflection, ReflectionStatus, Sharing

QUOTE_LIMIT = 600  # characters of one partner's words in a digest
QUOTES = 12  # at most this many quotes in one digest


@dataclass(frozen=True)
class DigestSection:
    """One part of a digest: which text shows it (board.digest.<key>), its lines, and its
    entries (plain values a table-like section lists: an item, a measure)."""

    key: str
    lines: tuple[str, ...]
    entries: tuple[dict[str, object], ...] = ()


def _partners_words(session: Session, meeting: Meeting) -> DigestSection | None:
    """Typed answers from reflections on this meeting shared anonymised for the board."""
    shared = select(Reflection.id).where(
        Reflection.meeting_id == meeting.id,
        Reflection.status == ReflectionStatus.FINISHED,
        Reflection.sharing == Sharing.ANONYMISED,
    )
    words = session.exec(
        select(Answer.text)
        .where(
            col(Answer.reflection_id).in_(shared),
            col(Answer.text).is_not(None),
            col(Answer.skipped).is_(False),
            col(Answer.voice_file_id).is_(None),
        )
        .order_by(col(Answer.reflection_id), col(Answer.position))
    ).all()
    lines = tuple(_clip(text) for text in words if text and text.strip())[:QUOTES]
    return DigestSection("voices", lines)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"


def _agenda(session: Session, meeting: Meeting) -> DigestSection | None:
    """The items partners asked for that were on this meeting's agenda: titles, status and
    how many partners supported each, never who."""
    # Imported here: planning imports board members, and agenda and measures import planning.
    from bot.domain.agenda.views import agenda_for_meeting

    items = agenda_for_meeting(session, meeting_id=meeting.id or 0)
    entries = tuple({"title": i.title, "status": i.status, "supports": i.supports} for i in items)
    return DigestSection("agenda", (), entries)


def _measures(session: Session, meeting: Meeting) -> DigestSection | None:
    """The cohort's adopted measures with their figures so far (none: no section)."""
    from bot.domain.measures.figures import latest_figures  # see _agenda

    figures = latest_figures(session, cohort_id=meeting.cohort_id)
    if not figures:
        return None
    entries: tuple[dict[str, object], ...] = tuple(
        {"text": f.text, "mean": f.mean, "count": f.count, "dont_know": f.dont_know}
        for f in figures
    )
    return DigestSection("measures", (), entries)


SectionBuilder = Callable[[Session, Meeting], DigestSection | None]

# The digest, in order; each builder has a text board.digest.<key> in prompts/messages.yaml.
SECTIONS: list[SectionBuilder] = [_partners_words, _agenda, _measures]


def digest_for_meeting(session: Session, *, meeting_id: int) -> list[DigestSection]:
    """The sections of one meeting's digest (empty when the meeting is gone)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return []
    return [section for build in SECTIONS if (section := build(session, meeting)) is not None]
