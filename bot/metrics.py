"""What operators can watch, in Prometheus's format (served at /metrics by the web app).

The counters and the histogram are kept by the code that knows (the dispatcher, the rate
limiter, the update processor); the outbox's depth is read from the database each time
/metrics is asked for. Nothing here holds a person's name or words. With several processes,
each serves its own counters; the outbox figures are the same from any of them.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.db import Database
from bot.domain import concerns, outbox
from bot.domain.clock import Clock

REGISTRY = CollectorRegistry(auto_describe=True)

SENDS = Counter(
    "tandem_sends",
    "Outbox rows done with, by outcome (sent, pending again, failed, cancelled...)",
    ["outcome"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "tandem_telegram_429",
    "Requests Telegram answered with 429 Too Many Requests (each is waited out)",
    registry=REGISTRY,
)
UPDATE_SECONDS = Histogram(
    "tandem_update_seconds",
    "Time to handle one update from Telegram (a message or a tap), once its turn came",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
OUTBOX_ROWS = Gauge("tandem_outbox_rows", "Outbox rows by status", ["status"], registry=REGISTRY)
OLDEST_DUE = Gauge(
    "tandem_outbox_oldest_due_seconds",
    "How long the oldest message due now has been waiting (0 when none is)",
    registry=REGISTRY,
)
URGENT_WAITING = Gauge(
    "tandem_outbox_urgent_waiting",
    "Urgent notices (safeguarding alerts) not yet delivered to staff",
    registry=REGISTRY,
)
UNACKNOWLEDGED_ALERTS = Gauge(
    "tandem_safeguarding_alerts_unacknowledged",
    "Safeguarding alerts nobody has acknowledged yet",
    registry=REGISTRY,
)


def render(db: Database, clock: Clock) -> bytes:
    """Every figure, with the outbox read now."""
    with db.reading() as session:
        depth = outbox.depth(session, now=clock.now())
        unacknowledged = concerns.unacknowledged(session)
    for status, count in depth.by_status.items():
        OUTBOX_ROWS.labels(status=status).set(count)
    OLDEST_DUE.set(depth.oldest_due_seconds)
    URGENT_WAITING.set(depth.urgent_waiting)
    UNACKNOWLEDGED_ALERTS.set(unacknowledged)
    return generate_latest(REGISTRY)
