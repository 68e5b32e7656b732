"""The lay partners' voice for one meeting, as board members receive it after the meeting.

A digest is a list of sections, each built by one small function. Only reflections shared
"anonymised for the board" are read, and never who wrote them; voice notes are not passed on
(they could identify the speaker). The other parts of issue 17 add their sections here.
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
    """One part of a digest: which text shows it (board.digest.<key>) and its lines."""

    key: str
    lines: tuple[str, ...]


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


SectionBuilder = Callable[[Session, Meeting], DigestSection | None]

# The digest, in order. SEAM (issue 17 parts 1 and 2): agenda items partners asked for
# (agenda_for_meeting(session, meeting_id=...)) and the measures' latest figures
# (latest_figures(session, cohort_id=...)) join here as builders of their own, each with a
# text board.digest.<key> in prompts/messages.yaml.
SECTIONS: list[SectionBuilder] = [_partners_words]


def digest_for_meeting(session: Session, *, meeting_id: int) -> list[DigestSection]:
    """The sections of one meeting's digest (empty when the meeting is gone)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return []
    return [section for build in SECTIONS if (section := build(session, meeting)) is not None]
