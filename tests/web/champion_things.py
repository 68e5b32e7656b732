"""Champions in the security table's Frailty pathway (issue 18): Carl, a champion of it, and
Dina, who has just joined it without a mentor."""

from __future__ import annotations

from bot.db import Database
from bot.domain import champions
from bot.domain.clock import FakeClock
from bot.models import Cohort
from tests.factories import make_person
from tests.web.conftest import World


def make_champion(db: Database, clock: FakeClock, world: World) -> tuple[int, int]:
    """(Carl's champion row id, Dina's person id)."""
    with db.reading() as session:
        frailty = session.get(Cohort, world.frailty)
    carl = make_person(db, clock, frailty, name="Carl")
    dina = make_person(db, clock, frailty, name="Dina")
    with db.transaction() as session:
        row = champions.ask(
            session, viewer_id=world.facilitator, cohort_id=world.frailty, person_id=carl,
            clock=clock,
        )  # fmt: skip
        champions.answer(session, person_id=carl, champion_id=row.id or 0, accept=True, clock=clock)
        return row.id or 0, dina


def champion_posts(
    champion: int, newcomer: int, cohort: int, partner: int
) -> dict[str, tuple[str, dict[str, str]]]:
    """Ask Amina; offer Carl to Dina, then end Carl's role."""
    return {
        "/dashboard/champions/ask": (
            "/dashboard/champions/ask",
            {"cohort": str(cohort), "person": str(partner)},
        ),
        "/dashboard/champions/{champion_id:int}/offer": (
            f"/dashboard/champions/{champion}/offer",
            {"mentee": str(newcomer)},
        ),
        "/dashboard/champions/{champion_id:int}/end": (
            f"/dashboard/champions/{champion}/end",
            {},
        ),
    }
