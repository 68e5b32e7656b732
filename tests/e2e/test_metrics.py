"""/metrics, as an operator's Prometheus reads it from the running bot: the outbox's depth
and its oldest due message, sends by outcome, Telegram's 429s and how long updates take;
counts and times only, never a person's name or words."""

from __future__ import annotations

from datetime import timedelta

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.db import Database
from bot.domain.broadcasts import create_broadcast
from bot.domain.clock import FakeClock
from bot.sandbox import SandboxClient
from tests.e2e.conftest import BotHarness
from tests.e2e.journeys import NOW, person, stored_person
from tests.factories import make_cohort


async def _metrics(bot: BotHarness) -> tuple[dict[tuple[str, str], float], str]:
    assert bot.runner is not None
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{bot.runner.web.url}/metrics")
    assert response.status_code == 200
    figures = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            label = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            figures[(sample.name, label)] = sample.value
    return figures, response.text


async def test_metrics_follow_a_broadcast_through_the_outbox(
    bot: BotHarness, telegram: SandboxClient, db: Database, clock: FakeClock
) -> None:
    clock.set(NOW)
    cohort = make_cohort(db, clock)
    names = ("Amina", "Bill", "Cai")
    users = [await person(telegram, db, clock, cohort, name) for name in names]
    ids = [stored_person(db, name=name).id or 0 for name in names]
    with db.transaction() as session:
        create_broadcast(session, text="Papers are out", person_ids=ids, clock=clock)
    clock.advance(timedelta(minutes=5))
    before, page = await _metrics(bot)
    assert before[("tandem_outbox_rows", "status=pending")] == 3
    assert before[("tandem_outbox_oldest_due_seconds", "")] == 300
    assert "Amina" not in page and "Papers are out" not in page

    await telegram.add_fault("sendMessage", error_code=429, retry_after=1, times=1)
    await bot.tandem.dispatcher.drain()  # type: ignore[union-attr]
    await users[0].send("/help")
    await users[0].expect("How I can help")
    after, _ = await _metrics(bot)
    sent = ("tandem_sends_total", "outcome=sent")
    assert after[sent] - before.get(sent, 0) == 3
    assert after[("tandem_outbox_rows", "status=pending")] == 0
    assert after[("tandem_outbox_oldest_due_seconds", "")] == 0
    rate = ("tandem_telegram_429_total", "")
    assert after[rate] - before.get(rate, 0) == 1
    handled = ("tandem_update_seconds_count", "")
    assert after[handled] > before.get(handled, 0)
