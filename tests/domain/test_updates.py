"""Update bookkeeping: claims, the last processed id, and pruning."""

from datetime import timedelta

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.updates import claim_update, last_update_id, prune_processed


def test_an_update_is_claimed_once(db: Database, clock: FakeClock) -> None:
    with db.transaction() as session:
        assert claim_update(session, update_id=100, clock=clock)
        assert not claim_update(session, update_id=100, clock=clock)
    with db.transaction() as session:
        assert not claim_update(session, update_id=100, clock=clock)
        assert claim_update(session, update_id=101, clock=clock)
        assert last_update_id(session) == 101


def test_pruning_keeps_recent_ids_and_the_newest(db: Database, clock: FakeClock) -> None:
    with db.transaction() as session:
        claim_update(session, update_id=1, clock=clock)
        claim_update(session, update_id=2, clock=clock)
    clock.advance(timedelta(days=10))
    with db.transaction() as session:
        claim_update(session, update_id=3, clock=clock)
        assert prune_processed(session, before=clock.now() - timedelta(days=7)) == 2
    with db.transaction() as session:
        assert claim_update(session, update_id=1, clock=clock)  # forgotten, so new again
        assert not claim_update(session, update_id=3, clock=clock)
    with db.transaction() as session:
        assert prune_processed(session, before=clock.now() + timedelta(days=1)) == 1
        assert last_update_id(session) == 3
