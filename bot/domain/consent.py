"""Consent: what each person agreed to, in the exact words they saw, and withdrawals."""

from __future__ import annotations

import hashlib

from sqlmodel import Session, col, select

from bot.domain import changes
from bot.domain.changes import ChangeKind
from bot.domain.clock import Clock
from bot.models import ConsentKind, ConsentRecord, Person, Role


def statement_version(statement: str) -> str:
    """A short fingerprint of a statement, so records show which wording was agreed."""
    return hashlib.sha256(statement.encode()).hexdigest()[:12]


def record_consent(
    session: Session,
    *,
    person_id: int,
    kind: ConsentKind,
    statement: str,
    granted: bool,
    clock: Clock,
) -> ConsentRecord:
    """Record a decision; an earlier standing decision of the same kind is withdrawn."""
    now = clock.now()
    previous = current_consent(session, person_id=person_id, kind=kind)
    if previous is not None:
        previous.withdrawn_at = now
        session.add(previous)
    record = ConsentRecord(
        person_id=person_id,
        kind=kind,
        version=statement_version(statement),
        statement=statement,
        granted=granted,
        decided_at=now,
    )
    session.add(record)
    changes.record(
        session,
        person_id=person_id,
        kind=_CHANGE_KIND[kind],
        old=_yes_no(previous.granted) if previous is not None else "",
        new=_yes_no(granted),
        clock=clock,
    )
    return record


_CHANGE_KIND = {
    ConsentKind.EXPECTATIONS: ChangeKind.EXPECTATIONS,
    ConsentKind.REFLECTIONS: ChangeKind.REFLECTIONS_CONSENT,
}


def _yes_no(granted: bool) -> str:
    return "yes" if granted else "no"


def current_consent(session: Session, *, person_id: int, kind: ConsentKind) -> ConsentRecord | None:
    """The standing decision of this kind, if any."""
    return session.exec(
        select(ConsentRecord)
        .where(
            ConsentRecord.person_id == person_id,
            ConsentRecord.kind == kind,
            col(ConsentRecord.withdrawn_at).is_(None),
        )
        .order_by(col(ConsentRecord.decided_at).desc(), col(ConsentRecord.id).desc())
    ).first()


def keeps_reflections(session: Session, *, person_id: int) -> bool:
    """True when the person currently agrees to Tandem storing their reflections."""
    record = current_consent(session, person_id=person_id, kind=ConsentKind.REFLECTIONS)
    return record is not None and record.granted


def set_reflections(
    session: Session, *, person_id: int, keep: bool, statement: str, clock: Clock
) -> bool:
    """A partner changes whether Tandem keeps their reflections (the words they agreed to
    are kept with the decision). False for staff: only partners reflect, and board members
    say what they learned (issue 17)."""
    person = session.get(Person, person_id)
    if person is None or person.role not in (Role.PARTNER, Role.BOARD):
        return False
    record_consent(
        session,
        person_id=person_id,
        kind=ConsentKind.REFLECTIONS,
        statement=statement,
        granted=keep,
        clock=clock,
    )
    return True
