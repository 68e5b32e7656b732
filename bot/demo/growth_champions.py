"""The demo's champion (issue 18): Amina, in the group six months, said yes to being a
champion in the spring, and mentors Tomasz, who joined about seven weeks ago (just before the
last-but-one board). /champions shows it to both, and to Margaret; so does the dashboard.

Everything goes through the domain with a clock set to when it happened; the notices those
calls queued (the invitation, the introductions, the check-in after Tomasz's first board)
are of things that happened weeks ago, so they are cancelled, as the demo's other history is.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from bot.db import Database
from bot.demo.seed import COHORT, by_first_name
from bot.domain import champions
from bot.domain.clock import Clock, FakeClock
from bot.domain.cohorts import get_cohort
from bot.domain.outbox import cancel_pending
from bot.models import Delivery, Membership, Person

CHAMPION, MENTEE = "Amina", "Tomasz"
MENTEE_JOINED = timedelta(days=50)  # before the board five weeks or so ago: his first


def seed_champions(db: Database, clock: Clock) -> None:
    """Amina becomes a champion and mentors Tomasz; his first board's check-in is history."""
    now = clock.now()
    with db.transaction() as session:
        before = session.exec(select(func.max(Delivery.id))).one() or 0
        found = by_first_name(session)
        if CHAMPION not in found or MENTEE not in found:
            return
        cohort = get_cohort(session, name=COHORT).id or 0
        margaret, amina = found["Margaret"].id or 0, found[CHAMPION].id or 0
        tomasz = found[MENTEE]
        _joined_lately(session, tomasz, cohort, now - MENTEE_JOINED)
        asked = FakeClock(now - timedelta(days=150))
        row = champions.ask(
            session, viewer_id=margaret, cohort_id=cohort, person_id=amina, clock=asked
        )
        asked.advance(timedelta(days=1))
        champions.answer(
            session, person_id=amina, champion_id=row.id or 0, accept=True, clock=asked
        )
        offered = FakeClock(now - MENTEE_JOINED + timedelta(days=2))
        mentorship = champions.offer(
            session,
            viewer_id=margaret,
            mentee_id=tomasz.id or 0,
            champion_id=row.id or 0,
            clock=offered,
        )
        offered.advance(timedelta(hours=5))
        champions.answer_offer(
            session,
            person_id=tomasz.id or 0,
            mentorship_id=mentorship.id or 0,
            accept=True,
            clock=offered,
        )
        champions.check_ins(session, clock=clock)  # his first board, 33 days ago
        cancel_pending(
            session,
            clock=clock,
            after_id=before,
            reason="told of something that happened before the demo began (demo history)",
        )


def _joined_lately(session: Session, person: Person, cohort_id: int, joined: datetime) -> None:
    """Tomasz joined weeks ago, not six months ago like the others: a new partner."""
    person.onboarded_at = joined
    session.add(person)
    membership = session.exec(
        select(Membership).where(
            Membership.person_id == person.id, Membership.cohort_id == cohort_id
        )
    ).one()
    membership.joined_at = joined
    session.add(membership)
