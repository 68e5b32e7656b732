"""Notices: short messages to people other than the one chatting (a facilitator told that a
partner joined, asked a question, wants contact...). They go through the outbox like
everything else, so they respect quiet hours, survive restarts and are paced; an urgent
notice (a safeguarding alert) is not held back by quiet hours."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session, col, select

from bot.domain import outbox
from bot.domain.clock import Clock
from bot.domain.people import cohorts_of, get_person
from bot.models import Membership, Person, PersonStatus, Role

# A button on a notice: (label text key, action, values). Actions are named, not button data:
# the Telegram adapter turns each into its button (bot/telegram/callbacks.py ACTIONS).
ButtonSpec = tuple[str, str, tuple[int | str, ...]]


def notify(
    session: Session,
    *,
    person_ids: Iterable[int],
    key: str,
    clock: Clock,
    params: dict[str, Any] | None = None,
    buttons: Sequence[Sequence[ButtonSpec]] = (),
    urgent: bool = False,
    dedupe: str | None = None,
    about: int | None = None,
) -> int:
    """Queue the message `key` (rendered with `params` for each recipient) to these people.

    With `dedupe`, queuing the same notice again (same tag, same person) does nothing.
    `about` names the person whose name or words the notice carries, so erasing that person
    also erases these copies (see `about_key_prefix`).
    """
    now = clock.now()
    tag = dedupe or secrets.token_hex(6)
    prefix = about_key_prefix(about) if about is not None else "n"
    payload = {
        "key": key,
        "params": params or {},
        "buttons": [
            [[label, action, list(values)] for label, action, values in r] for r in buttons
        ],
    }
    rows = [
        outbox.new_row(
            key=f"{prefix}{tag}:{key}:p{person}",
            person_id=person,
            purpose="notice",
            due=now,
            expires=None,
            now=now,
            payload=payload,
            priority=outbox.URGENT_PRIORITY if urgent else outbox.NOTICE_PRIORITY,
        )
        for person in sorted(set(person_ids))
    ]
    return outbox.write(session, rows)


def tell_facilitators_of(
    session: Session, *, person_id: int, key: str, params: dict[str, Any], clock: Clock
) -> int:
    """A notice about this person to the facilitators of every cohort they belong to."""
    return notify(
        session,
        person_ids=facilitator_ids(session, cohort_ids=cohort_ids_of(session, person_id=person_id)),
        key=key,
        clock=clock,
        params=params,
        about=person_id,
    )


def tell_each_cohort(session: Session, *, person_id: int, key: str, clock: Clock) -> int:
    """A notice about this person to each of their cohorts' facilitators, naming the person
    (`name`) and that cohort (`cohort`): a partner joined, or left."""
    name = get_person(session, person_id=person_id).preferred_name or ""
    sent = 0
    for place in cohorts_of(session, person_id=person_id):
        sent += notify(
            session,
            person_ids=facilitator_ids(session, cohort_ids=[place.cohort.id or 0]),
            key=key,
            clock=clock,
            params={"name": name, "cohort": place.cohort.name},
            about=person_id,
        )
    return sent


def about_key_prefix(person_id: int) -> str:
    """How the outbox keys of notices about a person begin."""
    return f"nfrom{person_id}:"


def facilitator_ids(session: Session, *, cohort_ids: Iterable[int]) -> list[int]:
    """Active facilitators of these cohorts."""
    return sorted(
        {
            int(p)
            for p in session.exec(
                select(Person.id)
                .join(Membership, col(Membership.person_id) == col(Person.id))
                .where(
                    col(Membership.cohort_id).in_(list(cohort_ids)),
                    Membership.role == Role.FACILITATOR,
                    col(Membership.left_at).is_(None),
                    Person.status == PersonStatus.ACTIVE,
                )
            ).all()
            if p is not None
        }
    )


def coordinator_ids(session: Session) -> list[int]:
    """Every active coordinator."""
    return sorted(
        int(p)
        for p in session.exec(
            select(Person.id).where(
                Person.role == Role.COORDINATOR, Person.status == PersonStatus.ACTIVE
            )
        ).all()
        if p is not None
    )


def cohort_ids_of(session: Session, *, person_id: int) -> list[int]:
    """The cohorts a person currently belongs to."""
    return sorted(
        int(c)
        for c in session.exec(
            select(Membership.cohort_id).where(
                Membership.person_id == person_id, col(Membership.left_at).is_(None)
            )
        ).all()
    )
