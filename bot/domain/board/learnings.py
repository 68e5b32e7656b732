"""What board members learned from lay partners, and partners' reactions to it.

After a meeting a board member answers two questions (typed or a voice note); they see what
partners will read, then send it. Partners of that cohort get it through the outbox,
attributed by role only ("A clinician on the board said: ..."), and can react: "This helps",
or "I'd like to talk about this", which reaches their facilitators.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from bot.domain import notices, planning
from bot.domain.answers import Voice
from bot.domain.board.members import is_board_member_of, label_of
from bot.domain.clock import Clock
from bot.domain.cohorts import run_by
from bot.domain.consent import keeps_reflections
from bot.domain.errors import InvalidInput, NotFound
from bot.domain.people import get_person
from bot.models import (
    BoardLearning,
    LearningReaction,
    LearningStatus,
    Meeting,
    MeetingStatus,
    Membership,
    ReactionKind,
    Role,
)

QUESTIONS = ("learned", "differently")
ANSWER_LIMIT = 1500


def begin(session: Session, *, person_id: int, meeting_id: int, clock: Clock) -> BoardLearning:
    """A board member starts (or starts again) their learning for one of their meetings."""
    meeting = session.get(Meeting, meeting_id)
    if (
        meeting is None
        or meeting.status != MeetingStatus.SCHEDULED
        or not is_board_member_of(session, person_id=person_id, cohort_id=meeting.cohort_id)
    ):
        raise NotFound("board.meeting_not_found")
    if meeting.starts_at > clock.now():
        raise InvalidInput("board.not_yet")
    if not keeps_reflections(session, person_id=person_id):
        raise InvalidInput("board.no_consent")
    learning = session.exec(
        select(BoardLearning).where(
            BoardLearning.person_id == person_id, BoardLearning.meeting_id == meeting_id
        )
    ).first()
    if learning is not None and learning.status == LearningStatus.SHARED:
        raise InvalidInput("board.already_shared")
    if learning is None:
        learning = BoardLearning(
            person_id=person_id,
            cohort_id=meeting.cohort_id,
            meeting_id=meeting_id,
            created_at=clock.now(),
        )
    learning.label = label_of(session, person_id=person_id)
    learning.status = LearningStatus.DRAFT
    session.add(learning)
    session.flush()
    return learning


def _own_draft(session: Session, person_id: int, learning_id: int) -> BoardLearning:
    learning = session.get(BoardLearning, learning_id)
    if learning is None or learning.person_id != person_id:
        raise NotFound("board.learning_not_found")
    if learning.status != LearningStatus.DRAFT:
        raise InvalidInput("board.already_shared")
    return learning


def answer(
    session: Session,
    *,
    person_id: int,
    learning_id: int,
    question: str,
    text: str | None = None,
    voice: Voice | None = None,
) -> BoardLearning:
    """Keep the answer to one of the two questions (typed, or a voice note)."""
    if question not in QUESTIONS:
        raise InvalidInput("board.unknown_question")
    learning = _own_draft(session, person_id, learning_id)
    words = (text or "").strip()
    if voice is None and not words:
        raise InvalidInput("board.empty")
    if len(words) > ANSWER_LIMIT:
        raise InvalidInput("board.too_long", limit=ANSWER_LIMIT, length=len(words))
    setattr(learning, question, words or None)
    setattr(learning, f"{question}_voice_file_id", voice.file_id if voice else None)
    session.add(learning)
    return learning


@dataclass(frozen=True)
class Shared:
    """What became of a learning: shared with this many partners, held back, or dropped."""

    status: LearningStatus
    partners: int = 0


def decide(
    session: Session, *, person_id: int, learning_id: int, send: bool, flagged: bool, clock: Clock
) -> Shared:
    """Send a finished learning to the cohort's partners, or drop it. One whose words
    raised a safeguarding concern (`flagged`) is held back from partners."""
    learning = _own_draft(session, person_id, learning_id)
    if not send:
        learning.status = LearningStatus.DROPPED
        session.add(learning)
        return Shared(LearningStatus.DROPPED)
    if learning.learned is None and learning.learned_voice_file_id is None:
        raise InvalidInput("board.empty")
    learning.status = LearningStatus.HELD if flagged else LearningStatus.SHARED
    learning.shared_at = clock.now()
    session.add(learning)
    if flagged:
        return Shared(LearningStatus.HELD)
    partners = [p for _, p, _ in planning.partners_of(session, [learning.cohort_id])]
    meeting = session.get(Meeting, learning.meeting_id)
    notices.notify(
        session,
        person_ids=partners,
        key="board.learning_notice",
        clock=clock,
        params=learning_words(learning) | {"meeting": meeting.title if meeting else ""},
        buttons=[
            [
                ("board.buttons.helps", "learning.react", (learning.id or 0, "helps")),
                ("board.buttons.talk", "learning.react", (learning.id or 0, "talk")),
            ]
        ],
        dedupe=f"learning{learning.id}",
        about=person_id,
    )
    return Shared(LearningStatus.SHARED, len(partners))


def learning_words(learning: BoardLearning) -> dict[str, object]:
    """What partners read of a learning: the role label and the words, never a name."""
    return {
        "label": learning.label.value,
        "learned": learning.learned or "",
        "learned_voice": learning.learned_voice_file_id is not None,
        "differently": learning.differently or "",
        "differently_voice": learning.differently_voice_file_id is not None,
    }


@dataclass(frozen=True)
class Reacted:
    """A partner's reaction kept (or already given), and the facilitators told, if any."""

    kind: ReactionKind
    already: bool
    told: int = 0


def react(
    session: Session, *, person_id: int, learning_id: int, kind: ReactionKind, clock: Clock
) -> Reacted:
    """A partner of the learning's cohort reacts to it; "talk" reaches their facilitators.
    Anyone else (another cohort, a forged id) is told it cannot be found."""
    learning = session.get(BoardLearning, learning_id)
    if (
        learning is None
        or learning.status != LearningStatus.SHARED
        or not _is_partner_of(session, person_id, learning.cohort_id)
    ):
        raise NotFound("board.learning_not_found")
    found = session.exec(
        select(LearningReaction).where(
            LearningReaction.learning_id == learning_id,
            LearningReaction.person_id == person_id,
            LearningReaction.kind == kind,
        )
    ).first()
    if found is not None:
        return Reacted(kind, already=True)
    session.add(
        LearningReaction(
            learning_id=learning_id, person_id=person_id, kind=kind, reacted_at=clock.now()
        )
    )
    told = 0
    if kind == ReactionKind.TALK:
        name = get_person(session, person_id=person_id).preferred_name or ""
        told = notices.notify(
            session,
            person_ids=notices.facilitator_ids(session, cohort_ids=[learning.cohort_id]),
            key="board.talk_notice",
            clock=clock,
            params={"name": name} | learning_words(learning),
            about=person_id,
        )
    return Reacted(kind, already=False, told=told)


def _is_partner_of(session: Session, person_id: int, cohort_id: int) -> bool:
    return (
        session.exec(
            select(Membership.id).where(
                Membership.person_id == person_id,
                Membership.cohort_id == cohort_id,
                Membership.role == Role.PARTNER,
                col(Membership.left_at).is_(None),
            )
        ).first()
        is not None
    )


def learnings_seen_by(
    session: Session, *, viewer_id: int
) -> list[tuple[BoardLearning, Meeting, dict[str, int]]]:
    """Learnings in the cohorts a facilitator runs (every cohort for a coordinator)."""
    return learnings_for_cohorts(session, cohort_ids=run_by(session, person_id=viewer_id))


def learnings_for_cohorts(
    session: Session, *, cohort_ids: Iterable[int] | None
) -> list[tuple[BoardLearning, Meeting, dict[str, int]]]:
    """Learnings sent (shared, or held back for safeguarding) in these cohorts (None: all),
    newest meeting first, each with its meeting and its reactions counted by kind."""
    query = (
        select(BoardLearning, Meeting)
        .join(Meeting, col(Meeting.id) == col(BoardLearning.meeting_id))
        .where(col(BoardLearning.status).in_([LearningStatus.SHARED, LearningStatus.HELD]))
    )
    if cohort_ids is not None:
        query = query.where(col(BoardLearning.cohort_id).in_(list(cohort_ids)))
    rows = session.exec(query.order_by(col(Meeting.starts_at).desc(), col(BoardLearning.id))).all()
    ids = [learning.id for learning, _ in rows]
    counts: dict[int, dict[str, int]] = {int(i or 0): {} for i in ids}
    for learning_id, kind in session.exec(
        select(LearningReaction.learning_id, LearningReaction.kind).where(
            col(LearningReaction.learning_id).in_(ids)
        )
    ).all():
        shown = counts[learning_id]
        shown[str(kind)] = shown.get(str(kind), 0) + 1
    return [(learning, meeting, counts[learning.id or 0]) for learning, meeting in rows]
