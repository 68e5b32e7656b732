"""Small factories for test data, going through the domain like real callers do."""

from __future__ import annotations

from datetime import timedelta

from bot.db import Database
from bot.domain.clock import Clock
from bot.domain.cohorts import create_cohort
from bot.domain.invites import create_invite
from bot.models import Cohort, Role


def make_cohort(
    db: Database, clock: Clock, name: str = "Frailty pathway", **kwargs: object
) -> Cohort:
    """A cohort (with a programme name and a contact unless told otherwise)."""
    options: dict[str, object] = {
        "programme": "North West London integrated care",
        "contact": "Margaret Evans, 020 7946 0000",
        "meetings_note": "monthly, on Thursday afternoons",
    } | kwargs
    with db.transaction() as session:
        return create_cohort(session, name=name, clock=clock, **options)  # type: ignore[arg-type]


def make_invite(
    db: Database,
    clock: Clock,
    cohort: Cohort | None,
    role: Role = Role.PARTNER,
    uses: int = 1,
    expires_in: timedelta = timedelta(days=14),
) -> str:
    """A fresh invite code."""
    with db.transaction() as session:
        made = create_invite(
            session, role=role, cohort=cohort, clock=clock, uses=uses, expires_in=expires_in
        )
    return made.code
