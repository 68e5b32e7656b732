"""Broadcasts: one message for many people, through the outbox like everything else.

A facilitator chooses an audience (a cohort, a pair, one person, the partners who have not
answered a meeting's reflection, or, for coordinators, everyone), writes a text that may use
placeholders such as {{ name }} and {{ next_meeting }} (rendered for each person at send
time, in Jinja's sandbox), and sends it now or at a local time. Sent copies can be corrected
or withdrawn for 48 hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from sqlmodel import Session, col, func, select

from bot.domain.clock import Clock
from bot.domain.cohorts import require_runs, run_by
from bot.domain.errors import InvalidInput, NotAllowed, NotFound
from bot.domain.planning import outbox_row, partners_of, write_rows
from bot.models import (
    Broadcast,
    Cohort,
    Delivery,
    DeliveryStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Pair,
    Person,
    PersonStatus,
    Reflection,
    ReflectionStatus,
    Role,
)

TEXT_LIMIT = 3500  # leaves room within Telegram's 4096 for the greeting around it
BROADCAST_PRIORITY = 4


def create_broadcast(
    session: Session,
    *,
    text: str,
    person_ids: Iterable[int],
    clock: Clock,
    author_id: int | None = None,
    send_at: datetime | None = None,
    audience: str = "",
) -> tuple[Broadcast, int]:
    """A broadcast to these people, queued in the outbox; returns it and how many rows."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("broadcast.empty")
    if len(cleaned) > TEXT_LIMIT:
        raise InvalidInput("broadcast.too_long", limit=TEXT_LIMIT, length=len(cleaned))
    recipients = sorted(set(person_ids))
    if not recipients:
        raise InvalidInput("broadcast.nobody")
    now = clock.now()
    due = send_at or now
    broadcast = Broadcast(
        author_id=author_id, text=cleaned, created_at=now, send_at=due, audience=audience[:200]
    )
    session.add(broadcast)
    session.flush()
    rows = [
        outbox_row(
            key=f"b{broadcast.id}:p{person}",
            person_id=person,
            purpose="broadcast",
            due=due,
            expires=None,
            now=now,
            priority=BROADCAST_PRIORITY,
        )
        | {"broadcast_id": broadcast.id}
        for person in recipients
    ]
    return broadcast, write_rows(session, rows)


PLACEHOLDERS = ("name", "next_meeting", "cohort")
SAMPLE = {"name": "Alex", "next_meeting": "Board meeting, Thu 3 Dec, 14:00", "cohort": "Group"}
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


def check_text(text: str, sample: Mapping[str, Any]) -> str:
    """The cleaned text, if it is a broadcast we can send (words, length, placeholders)."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("broadcast.empty")
    if len(cleaned) > TEXT_LIMIT:
        raise InvalidInput("broadcast.too_long", limit=TEXT_LIMIT, length=len(cleaned))
    rendered = render_text(cleaned, sample)
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


@dataclass(frozen=True)
class Audience:
    """Who a broadcast is for: kind is cohort, pair, person, unanswered or everyone."""

    kind: str
    target: int = 0  # the cohort, pair, person or meeting id

    def token(self) -> str:
        """A short form for button data and conversation state."""
        return f"{self.kind}.{self.target}"

    @classmethod
    def parse(cls, token: str) -> Audience:
        """The audience from `token()`."""
        kind, _, target = token.partition(".")
        if kind not in AUDIENCE_KINDS or not target.isdigit():
            raise InvalidInput("broadcast.bad_audience")
        return cls(kind, int(target))


AUDIENCE_KINDS = ("cohort", "pair", "person", "unanswered", "everyone")


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
        pair = session.get(Pair, target)
        if pair is None or pair.ended_at is not None:
            raise NotFound("pairs.not_found")
        require_runs(session, person_id=viewer_id, cohort_id=pair.cohort_id)
        in_cohort = set(_members(session, [pair.cohort_id]))
        return sorted({pair.first_id, pair.second_id} & in_cohort)
    if kind == "person":
        cohorts = run_by(session, person_id=viewer_id)
        if target not in _members(session, cohorts):
            raise NotFound("broadcast.person_not_found")
        return [target]
    if kind == "unanswered":
        meeting = session.get(Meeting, target)
        if meeting is None:
            raise NotFound("meeting.not_found", meeting_id=target)
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
    raise InvalidInput("broadcast.bad_audience")


def partners_named(session: Session, *, viewer_id: int) -> list[tuple[int, str]]:
    """(id, name) of every active partner the viewer may write to, by name."""
    ids = _members(session, run_by(session, person_id=viewer_id))
    if not ids:
        return []
    names = session.exec(
        select(Person.id, Person.preferred_name).where(col(Person.id).in_(ids))
    ).all()
    return sorted(((int(i or 0), n or "") for i, n in names), key=lambda pair: pair[1].lower())


def cohort_partners(session: Session, *, cohort_ids: list[int]) -> list[int]:
    """Every active, reachable partner of these cohorts."""
    return sorted({person for _, person, _ in partners_of(session, cohort_ids)})


def everyone_active(session: Session) -> list[int]:
    """Every active person in any cohort."""
    return sorted(
        int(p)
        for p in session.exec(
            select(Person.id)
            .join(Membership, col(Membership.person_id) == col(Person.id))
            .where(Person.status == PersonStatus.ACTIVE, col(Membership.left_at).is_(None))
            .distinct()
        ).all()
        if p is not None
    )


EDIT_WINDOW = timedelta(hours=48)


@dataclass(frozen=True)
class DeliveryReport:
    """How a broadcast is doing."""

    broadcast: Broadcast
    queued: int
    sent: int
    failed: int
    unreachable: int
    cancelled: int

    @property
    def can_change(self) -> bool:
        """Sent messages can be corrected or withdrawn for 48 hours (Telegram's limit for
        deleting a bot's messages)."""
        return self.broadcast.withdrawn_at is None


def _unreachable(error: str) -> bool:
    return error.startswith("403") or "cannot be reached" in error


def report(session: Session, *, broadcast: Broadcast) -> DeliveryReport:
    """Counts of a broadcast's deliveries by outcome."""
    counts: dict[str, int] = {}
    unreachable = 0
    for status, error, total in session.exec(
        select(Delivery.status, Delivery.last_error, func.count())
        .where(Delivery.broadcast_id == broadcast.id, Delivery.purpose == "broadcast")
        .group_by(col(Delivery.status), col(Delivery.last_error))
    ).all():
        if status == DeliveryStatus.CANCELLED and _unreachable(error or ""):
            unreachable += int(total)
        else:
            counts[status] = counts.get(status, 0) + int(total)
    return DeliveryReport(
        broadcast=broadcast,
        queued=counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.SENDING, 0),
        sent=counts.get(DeliveryStatus.SENT, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0) + counts.get(DeliveryStatus.EXPIRED, 0),
        unreachable=unreachable,
        cancelled=counts.get(DeliveryStatus.CANCELLED, 0),
    )


def recent(session: Session, *, author_id: int | None, limit: int = 5) -> list[Broadcast]:
    """The newest broadcasts (by one author, or everyone's when author_id is None)."""
    query = select(Broadcast).order_by(col(Broadcast.created_at).desc()).limit(limit)
    if author_id is not None:
        query = query.where(Broadcast.author_id == author_id)
    return list(session.exec(query).all())


def visible(session: Session, *, viewer_id: int, broadcast_id: int) -> Broadcast:
    """A broadcast the viewer may see and change: their own, or any for a coordinator.
    Anyone else's gets NotFound, the same as one that does not exist."""
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise NotFound("broadcast.not_found")
    if broadcast.author_id != viewer_id and run_by(session, person_id=viewer_id) is not None:
        raise NotFound("broadcast.not_found")
    return broadcast


def _sent_rows(session: Session, broadcast_id: int) -> list[Delivery]:
    return list(
        session.exec(
            select(Delivery).where(
                Delivery.broadcast_id == broadcast_id,
                Delivery.purpose == "broadcast",
                Delivery.status == DeliveryStatus.SENT,
                col(Delivery.message_id).is_not(None),
            )
        ).all()
    )


def _changeable(broadcast: Broadcast, now: datetime) -> None:
    if broadcast.withdrawn_at is not None:
        raise InvalidInput("broadcast.withdrawn")
    if now - broadcast.send_at > EDIT_WINDOW:
        raise InvalidInput("broadcast.too_old")


def correct(session: Session, *, broadcast_id: int, text: str, clock: Clock) -> int:
    """New words for a broadcast: sent copies are edited, unsent ones will use them."""
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise InvalidInput("broadcast.not_found")
    now = clock.now()
    _changeable(broadcast, now)
    cleaned = check_text(text, SAMPLE)
    broadcast.text, broadcast.edited_at = cleaned, now
    session.add(broadcast)
    return _follow_up(session, broadcast, "broadcast_edit", now)


def withdraw(session: Session, *, broadcast_id: int, clock: Clock) -> int:
    """Take a broadcast back: unsent copies are cancelled and sent ones deleted."""
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise InvalidInput("broadcast.not_found")
    now = clock.now()
    _changeable(broadcast, now)
    broadcast.withdrawn_at = now
    session.add(broadcast)
    return _follow_up(session, broadcast, "broadcast_delete", now)


def _follow_up(session: Session, broadcast: Broadcast, purpose: str, now: datetime) -> int:
    """An edit or a deletion for every sent copy, through the outbox."""
    stamp = int(now.timestamp())
    rows = [
        outbox_row(
            key=f"b{broadcast.id}:{purpose}:{stamp}:p{row.person_id}",
            person_id=row.person_id,
            purpose=purpose,
            due=now,
            expires=None,
            now=now,
            payload={"message_id": row.message_id},
            priority=BROADCAST_PRIORITY,
        )
        | {"broadcast_id": broadcast.id}
        for row in _sent_rows(session, broadcast.id or 0)
    ]
    return write_rows(session, rows)
