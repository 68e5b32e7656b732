"""Queueing a broadcast in the outbox, its delivery report, corrections and withdrawals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from bot.domain import outbox
from bot.domain.broadcasts.audience import Audience
from bot.domain.broadcasts.versions import (
    check_versions,
    drop_versions,
    save_versions,
    versions_of,
)
from bot.domain.broadcasts.words import (
    SAMPLE,
    check_text,
    clean,
    first_reader,
    preview,
    render_text,
    values_of,
)
from bot.domain.clock import Clock
from bot.domain.cohorts import run_by
from bot.domain.errors import InvalidInput, NotFound
from bot.models import Broadcast, Delivery, DeliveryStatus, Person

# Telegram lets a bot edit or delete its messages for 48 hours.
EDIT_WINDOW = timedelta(hours=48)


def create_broadcast(
    session: Session,
    *,
    text: str,
    person_ids: Iterable[int],
    clock: Clock,
    author_id: int | None = None,
    send_at: datetime | None = None,
    audience: str = "",
    versions: Mapping[str, str] | None = None,
) -> tuple[Broadcast, int]:
    """A broadcast to these people, queued in the outbox; returns it and how many rows.
    `versions`: its words in other languages, by language code (checked already)."""
    cleaned = clean(text)
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
    save_versions(session, broadcast_id=broadcast.id or 0, versions=versions or {})
    rows = [
        outbox.new_row(
            key=f"b{broadcast.id}:p{person}",
            person_id=person,
            purpose="broadcast",
            due=due,
            now=now,
            broadcast_id=broadcast.id,
            priority=outbox.BROADCAST_PRIORITY,
        )
        for person in recipients
    ]
    return broadcast, outbox.write(session, rows)


def send(
    session: Session,
    *,
    viewer_id: int,
    audience: Audience,
    text: str,
    label: str,
    clock: Clock,
    send_at: datetime | None = None,
    versions: Mapping[str, str] | None = None,
) -> tuple[Broadcast, int]:
    """Check a draft (and its `versions` in other languages) again and queue it for
    everyone its audience means now, at `send_at` (a moment already past means now)."""
    draft = preview(session, viewer_id=viewer_id, audience=audience, text=text, clock=clock)
    checked = check_versions(session, people=draft.people, versions=versions or {}, now=clock.now())
    if send_at is not None and send_at <= clock.now():
        send_at = None
    return create_broadcast(
        session,
        text=draft.text,
        person_ids=draft.people,
        clock=clock,
        author_id=viewer_id,
        send_at=send_at,
        audience=label,
        versions={version.language: version.text for version in checked},
    )


@dataclass(frozen=True)
class DeliveryReport:
    """How a broadcast is doing."""

    broadcast: Broadcast
    author: str
    queued: int
    sent: int
    failed: int
    unreachable: int
    cancelled: int


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
    author = session.get(Person, broadcast.author_id) if broadcast.author_id else None
    return DeliveryReport(
        broadcast=broadcast,
        author=(author.preferred_name or "") if author else "",
        queued=counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.SENDING, 0),
        sent=counts.get(DeliveryStatus.SENT, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0) + counts.get(DeliveryStatus.EXPIRED, 0),
        unreachable=unreachable,
        cancelled=counts.get(DeliveryStatus.CANCELLED, 0),
    )


def recent(session: Session, *, viewer_id: int, limit: int = 5) -> list[Broadcast]:
    """The newest broadcasts the viewer may see: their own, or everyone's for a coordinator."""
    query = select(Broadcast).order_by(col(Broadcast.created_at).desc()).limit(limit)
    if run_by(session, person_id=viewer_id) is not None:
        query = query.where(Broadcast.author_id == viewer_id)
    return list(session.exec(query).all())


def recent_reports(session: Session, *, viewer_id: int, limit: int = 5) -> list[DeliveryReport]:
    """`recent` with the delivery report of each."""
    return [report(session, broadcast=b) for b in recent(session, viewer_id=viewer_id, limit=limit)]


def visible(session: Session, *, viewer_id: int, broadcast_id: int) -> Broadcast:
    """A broadcast the viewer may see and change: their own, or any for a coordinator.
    Anyone else's gets NotFound, the same as one that does not exist."""
    broadcast = session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise NotFound("broadcast.not_found")
    if broadcast.author_id != viewer_id and run_by(session, person_id=viewer_id) is not None:
        raise NotFound("broadcast.not_found")
    return broadcast


def changeable(broadcast: Broadcast, now: datetime) -> bool:
    """Whether its copies can still be corrected or withdrawn."""
    return broadcast.withdrawn_at is None and now - broadcast.send_at <= EDIT_WINDOW


def _require_changeable(broadcast: Broadcast, now: datetime) -> None:
    if broadcast.withdrawn_at is not None:
        raise InvalidInput("broadcast.withdrawn")
    if now - broadcast.send_at > EDIT_WINDOW:
        raise InvalidInput("broadcast.too_old")


def correct(session: Session, *, viewer_id: int, broadcast_id: int, text: str, clock: Clock) -> int:
    """New words for a broadcast: sent copies are edited, unsent ones will use them. The
    new words replace every language's: its versions are dropped (issue 19)."""
    broadcast = visible(session, viewer_id=viewer_id, broadcast_id=broadcast_id)
    now = clock.now()
    _require_changeable(broadcast, now)
    cleaned = check_text(text, SAMPLE)
    broadcast.text, broadcast.edited_at = cleaned, now
    session.add(broadcast)
    drop_versions(session, broadcast_id=broadcast.id or 0)
    return _follow_up(session, broadcast, "broadcast_edit", now)


@dataclass(frozen=True)
class CorrectionPreview:
    """New words for a broadcast, checked, as its first recipient will read them."""

    broadcast: Broadcast
    author: str  # whose name the copies carry
    text: str  # the new words as written (cleaned)
    first_name: str  # the first recipient's name
    words: str  # the new words as the first recipient will get them
    sent: int  # copies already in chats, to be edited in place
    waiting: int  # copies not sent yet, which will use the new words
    dropped: tuple[str, ...] = ()  # languages of the versions the correction replaces


def preview_correction(
    session: Session, *, viewer_id: int, broadcast_id: int, text: str, clock: Clock
) -> CorrectionPreview:
    """Check new words for a broadcast and show them as its first recipient will get them;
    nothing changes until `correct`."""
    broadcast = visible(session, viewer_id=viewer_id, broadcast_id=broadcast_id)
    now = clock.now()
    _require_changeable(broadcast, now)
    people = sorted(
        int(p)
        for p in session.exec(
            select(Delivery.person_id).where(
                Delivery.broadcast_id == broadcast.id, Delivery.purpose == "broadcast"
            )
        ).all()
    )
    first = first_reader(session, people=people)
    values = SAMPLE
    if first is not None and first.id is not None:
        values = values_of(session, first, now=now)
    cleaned = check_text(text, values)
    counts = report(session, broadcast=broadcast)
    return CorrectionPreview(
        broadcast=broadcast,
        author=counts.author,
        text=cleaned,
        first_name=(first.preferred_name or "") if first else values["name"],
        words=render_text(cleaned, values),
        sent=counts.sent,
        waiting=counts.queued,
        dropped=tuple(
            versions_of(session, broadcast_ids=[broadcast.id or 0]).get(broadcast.id or 0, {})
        ),
    )


def withdraw(session: Session, *, viewer_id: int, broadcast_id: int, clock: Clock) -> int:
    """Take a broadcast back: unsent copies (and corrections not yet made) are cancelled at
    once, so its report says "0 waiting" straight away, and sent copies are deleted."""
    broadcast = visible(session, viewer_id=viewer_id, broadcast_id=broadcast_id)
    now = clock.now()
    _require_changeable(broadcast, now)
    broadcast.withdrawn_at = now
    session.add(broadcast)
    outbox.cancel_pending(
        session,
        clock=clock,
        broadcast_id=broadcast.id,
        purposes=("broadcast", "broadcast_edit"),
        reason="broadcast withdrawn",
    )
    return _follow_up(session, broadcast, "broadcast_delete", now)


def _follow_up(session: Session, broadcast: Broadcast, purpose: str, now: datetime) -> int:
    """An edit or a deletion for every sent copy, through the outbox."""
    stamp = int(now.timestamp())
    sent = session.exec(
        select(Delivery.person_id, Delivery.message_id).where(
            Delivery.broadcast_id == broadcast.id,
            Delivery.purpose == "broadcast",
            Delivery.status == DeliveryStatus.SENT,
            col(Delivery.message_id).is_not(None),
        )
    ).all()
    rows = [
        outbox.new_row(
            key=f"b{broadcast.id}:{purpose}:{stamp}:p{person_id}",
            person_id=person_id,
            purpose=purpose,
            due=now,
            now=now,
            broadcast_id=broadcast.id,
            payload={"message_id": message_id},
            priority=outbox.BROADCAST_PRIORITY,
        )
        for person_id, message_id in sent
    ]
    return outbox.write(session, rows)
