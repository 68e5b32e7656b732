"""Board members: the role label each chose (how partners hear of them), and who they are."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from bot.domain.clock import Clock
from bot.models import BoardLabel, BoardMember, Membership, Person, PersonStatus, Role


def set_label(session: Session, *, person_id: int, label: BoardLabel, clock: Clock) -> BoardMember:
    """Keep the role label a board member chose (clinician, manager or other)."""
    member = session.exec(select(BoardMember).where(BoardMember.person_id == person_id)).first()
    if member is None:
        member = BoardMember(person_id=person_id, chosen_at=clock.now())
    member.label, member.chosen_at = label, clock.now()
    session.add(member)
    session.flush()
    return member


def label_of(session: Session, *, person_id: int) -> BoardLabel:
    """The board member's label ("other" until they chose one)."""
    found = session.exec(
        select(BoardMember.label).where(BoardMember.person_id == person_id)
    ).first()
    return BoardLabel(found) if found else BoardLabel.OTHER


def board_member_ids(
    session: Session, *, cohort_ids: Iterable[int], reachable_only: bool = True
) -> list[tuple[int, int, str]]:
    """(cohort, person, time zone) of every active board member of these cohorts."""
    query = (
        select(Membership.cohort_id, Person.id, Person.time_zone)
        .join(Person, col(Person.id) == col(Membership.person_id))
        .where(
            col(Membership.cohort_id).in_(list(cohort_ids)),
            Membership.role == Role.BOARD,
            col(Membership.left_at).is_(None),
            Person.status == PersonStatus.ACTIVE,
            Person.role == Role.BOARD,
        )
    )
    if reachable_only:
        query = query.where(col(Person.unreachable_since).is_(None))
    return [(int(c), int(p or 0), zone) for c, p, zone in session.exec(query).all()]


def is_board_member_of(session: Session, *, person_id: int, cohort_id: int) -> bool:
    """Whether the person is an active board member of this cohort."""
    return any(p == person_id for _, p, _ in board_member_ids(session, cohort_ids=[cohort_id]))
