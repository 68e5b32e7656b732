"""The dashboard's safeguarding alerts show what the partner answered on their signpost:
that they asked to be contacted (the first thing staff need to see), or that they are safe."""

from __future__ import annotations

from starlette.testclient import TestClient

from bot.db import Database
from bot.domain import concerns
from bot.domain.clock import FakeClock
from bot.domain.safeguarding import default_rules
from tests.web.conftest import World, sign_in


def _concern(db: Database, clock: FakeClock, person_id: int, words: str) -> int:
    match = default_rules().check(words)
    assert match is not None
    with db.transaction() as session:
        concern_id, _ = concerns.alert(
            session, person_id=person_id, text=words, match=match, clock=clock
        )
    return concern_id


def test_the_partners_answer_to_the_signpost_is_shown(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    asked = _concern(db, clock, world.partner, "my husband hits me")
    safe = _concern(db, clock, world.other_partner, "I can't cope any more")
    with db.transaction() as session:
        concerns.ask_for_contact(session, person_id=world.partner, concern_id=asked, clock=clock)
        concerns.say_safe(session, person_id=world.other_partner, concern_id=safe, clock=clock)
    sign_in(app_client, db, clock, world.coordinator)
    page = app_client.get("/dashboard/safeguarding").text
    assert "Asked to be contacted" in page and "Said they are safe now" in page
