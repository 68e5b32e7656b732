"""Update bookkeeping: claims, the last processed id, and pruning."""

from datetime import timedelta

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.updates import claim_update, get_fact, last_update_id, prune_processed, set_fact


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


def test_small_facts_survive_a_restart_and_the_latest_value_wins(db: Database) -> None:
    with db.transaction() as session:
        assert get_fact(session, key="bot_username") is None
        set_fact(session, key="bot_username", value="tandem_old_bot")
    with db.transaction() as session:
        set_fact(session, key="bot_username", value="tandem_nhs_bot")
    with db.reading() as session:  # a new session, as after a restart
        assert get_fact(session, key="bot_username") == "tandem_nhs_bot"
