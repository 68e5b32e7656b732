"""The demo's claims (issue 18): the cohort's payment rules, and claims in every state with
receipts, decided before the demo began, so nothing about them is sent when it starts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.demo_process import start_demo


def test_the_demo_has_claims_in_every_state_and_sends_none_of_their_history(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "kept"
    demo = start_demo(
        "--dir", str(folder), "--port", "0", "--web-port", "0", "--clock", "2026-12-08T15:00",
        cwd=tmp_path,
    )  # fmt: skip
    assert demo.stop() == 0
    with sqlite3.connect(folder / "tandem.db") as db:
        rules = db.execute("SELECT hourly_rate, expenses FROM paymentrules").fetchall()
        states = dict(db.execute("SELECT status, count(*) FROM claim GROUP BY 1").fetchall())
        receipts = db.execute(
            "SELECT count(*) FROM claimexpense WHERE receipt IS NOT NULL"
        ).fetchone()
        told = db.execute(
            "SELECT count(*) FROM delivery WHERE dedupe_key LIKE '%claims.%' "
            "AND dedupe_key NOT LIKE '%claims.offer%' AND status != 'cancelled'"
        ).fetchone()
        opted = db.execute("SELECT count(*) FROM paymentchoice WHERE opted_out").fetchone()
    assert [(float(rate), names) for rate, names in rules] == [
        (25.0, "travel,parking,care cover,meals")
    ]
    assert {"draft", "submitted", "queried", "approved", "paid", "rejected"} <= set(states)
    assert receipts[0] >= 6 and opted == (1,)
    assert told == (0,), "decisions made before the demo began are not sent"
