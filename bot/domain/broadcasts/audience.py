"""Who a broadcast is for: an audience, the people it means, and the lists to pick one from.

Every audience is checked against what the viewer may reach: a facilitator reaches the
cohorts they run; a coordinator reaches every cohort, and only coordinators may write to
everyone at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.domain import meeting_lists
from bot.domain.board.members import board_member_ids
from bot.domain.cohorts import cohorts_for, require_runs, run_by
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.pairs import pairs_in, view_of
from bot.models import (
    Cohort,
    Meeting,
    Membership,
    Pair,
    Person,
    PersonStatus,
    Reflection,
    ReflectionStatus,
    Role,
)

# "board": a cohort's board members; "together": its partners and board members (issue 17).
AUDIENCE_KINDS = ("cohort", "pair", "person", "unanswered", "everyone", "board", "together")


@dataclass(frozen=True)
class Audience:
    """Who a broadcast is for: kind is cohort, pair, person, unanswered, everyone, board or
    together (the target is a cohort for the last two)."""

    kind: str
    target: int = 0  # the cohort, pair, person or meeting id

    def token(self) -> str:
        """A short form for button data, forms and conversation state."""
        return f"{self.kind}.{self.target}"

    @classmethod
    def parse(cls, token: str) -> Audience:
        """The audience from `token()`."""
        kind, _, target = token.partition(".")
        if kind not in AUDIENCE_KINDS or not target.isdigit():
            raise InvalidInput("broadcast.bad_audience")
        return cls(kind, int(target))


def _members(session: Session, cohort_ids: list[int] | None) -> list[int]:
    """Active partners of these cohorts (all cohorts for None), reachable or not: a
    broadcast's report should show who could not be reached."""
    query = (
        select(Person.id)
        .join(Membership, col(Membership.person_id) == col(Person.id))
        .where(
            Membership.role == Role.PARTNER,
            col(Membership.left_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
        )
        .distinct()
    )
    if cohort_ids is not None:
        query = query.where(col(Membership.cohort_id).in_(cohort_ids))
    return sorted(int(p) for p in session.exec(query).all() if p is not None)


def recipients(session: Session, *, viewer_id: int, audience: Audience) -> list[int]:
    """The people an audience means, within what the viewer may reach; refused otherwise."""
    kind, target = audience.kind, audience.target
    if kind == "everyone":
        if run_by(session, person_id=viewer_id) is not None:
            raise NotAllowed("broadcast.everyone_coordinators")
        return _members(session, None)
    if kind == "cohort":
        require_runs(session, person_id=viewer_id, cohort_id=target)
        return _members(session, [target])
    if kind == "pair":
        return _pair(session, viewer_id, target)
    if kind == "person":
        if target not in _members(session, run_by(session, person_id=viewer_id)):
            raise NotFound("broadcast.person_not_found")
        return [target]
    if kind == "unanswered":
        return _unanswered(session, viewer_id, target)
    if kind in ("board", "together"):
        require_runs(session, person_id=viewer_id, cohort_id=target)
        found = board_member_ids(session, cohort_ids=[target], reachable_only=False)
        members = {person for _, person, _ in found}
        if kind == "together":
            members |= set(_members(session, [target]))
        return sorted(members)
    raise InvalidInput("broadcast.bad_audience")


def _pair(session: Session, viewer_id: int, pair_id: int) -> list[int]:
    pair = session.get(Pair, pair_id)
    if pair is None or pair.ended_at is not None:
        raise NotFound("pairs.not_found")
    require_runs(session, person_id=viewer_id, cohort_id=pair.cohort_id)
    in_cohort = set(_members(session, [pair.cohort_id]))
    return sorted({pair.first_id, pair.second_id} & in_cohort)


def _unanswered(session: Session, viewer_id: int, meeting_id: int) -> list[int]:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("meeting.not_found", meeting_id=meeting_id)
    require_runs(session, person_id=viewer_id, cohort_id=meeting.cohort_id)
    answered = set(
        session.exec(
            select(Reflection.person_id).where(
                Reflection.meeting_id == meeting.id,
                Reflection.status == ReflectionStatus.FINISHED,
            )
        ).all()
    )
    return [p for p in _members(session, [meeting.cohort_id]) if p not in answered]


def describe(session: Session, *, audience: Audience) -> str:
    """What an audience is about, by name: the cohort, the pair's names, the person, the
    meeting's title; empty for everyone. Adapters put it in their own words."""
    kind, target = audience.kind, audience.target
    if kind in ("cohort", "board", "together"):
        cohort = session.get(Cohort, target)
        return cohort.name if cohort else ""
    if kind == "pair":
        view = view_of(session, pair_id=target)
        return view.names if view else ""
    if kind == "person":
        person = session.get(Person, target)
        return (person.preferred_name or "") if person else ""
    if kind == "unanswered":
        meeting = session.get(Meeting, target)
        return meeting.title if meeting else ""
    return ""


def partners_named(session: Session, *, viewer_id: int) -> list[tuple[int, str]]:
    """(id, name) of every active partner the viewer may write to, by name."""
    ids = _members(session, run_by(session, person_id=viewer_id))
    if not ids:
        return []
    names = session.exec(
        select(Person.id, Person.preferred_name).where(col(Person.id).in_(ids))
    ).all()
    return sorted(((int(i or 0), n or "") for i, n in names), key=lambda pair: pair[1].lower())


def partners_page(
    session: Session, *, viewer_id: int, page: int, size: int
) -> tuple[list[tuple[int, str]], bool]:
    """One page of `partners_named` (0-based), and whether there are more after it."""
    everyone = partners_named(session, viewer_id=viewer_id)
    start = max(0, page) * size
    return everyone[start : start + size], len(everyone) > start + size


@dataclass(frozen=True)
class Choice:
    """One audience a viewer may pick, with its name (and a meeting's start)."""

    audience: Audience
    name: str
    starts_at: datetime | None = None


@dataclass(frozen=True)
class Choices:
    """Every audience a viewer may pick, grouped as they are offered."""

    everyone: bool  # coordinators only
    cohorts: list[Choice]
    meetings: list[Choice]  # meetings that have ended, newest first: their non-responders
    pairs: list[Choice]
    partners: list[Choice] | None  # None when there are more than a list can sensibly show


def choices(
    session: Session, *, viewer_id: int, now: datetime, meetings: int = 24, partners: int = 500
) -> Choices:
    """What the viewer may broadcast to: `meetings` ended meetings at most, and the partners
    one by one unless there are more than `partners`."""
    scope = run_by(session, person_id=viewer_id)
    cohorts = cohorts_for(session, person_id=viewer_id)
    named = partners_named(session, viewer_id=viewer_id)
    return Choices(
        everyone=scope is None,
        cohorts=[Choice(Audience("cohort", c.id or 0), c.name) for c in cohorts],
        meetings=[
            Choice(Audience("unanswered", m.id or 0), m.title, m.starts_at)
            for m in meeting_lists.recent(
                session, viewer_id=viewer_id, limit=meetings, ended_by=now
            )
        ],
        pairs=[
            Choice(Audience("pair", view.pair.id or 0), view.names)
            for view in pairs_in(session, cohort_ids=scope)
        ],
        partners=(
            [Choice(Audience("person", pid), name) for pid, name in named]
            if len(named) <= partners
            else None
        ),
    )
