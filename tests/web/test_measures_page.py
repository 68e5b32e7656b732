"""What matters to us on the dashboard (issue 17): the chart and table per group, comments
without names, CSV and Excel exports, the printable summary; another group's facilitator
sees none of it; every view and export is audited."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlmodel import select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain import measures
from bot.domain.clock import FakeClock
from bot.domain.safeguarding import default_rules
from bot.models import AuditEvent
from tests.web.conftest import World, make_reflection, sign_in

LETTERS = "Discharge letters are in plain English & clear"


def _adopted(db: Database, clock: FakeClock, world: World) -> int:
    with db.transaction() as session:
        made = measures.propose(
            session, person_id=world.partner, text=LETTERS, clock=clock, rules=default_rules()
        )
        measures.adopt(session, viewer_id=world.facilitator, measure_id=made.id or 0, clock=clock)
        return made.id or 0


def test_measures_are_charted_exported_and_summarised_without_names(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    measure = _adopted(db, clock, world)
    clock.advance(timedelta(days=2))
    answers = {"support": "none", f"measure_{measure}": 4}
    make_reflection(
        db, clock, world.partner, answers | {f"measure_{measure}_note": "AMINA-SAID clear"},
        prompt_set="monthly-check-in",
    )  # fmt: skip
    clock.advance(timedelta(days=31))
    make_reflection(
        db, clock, world.partner, answers | {f"measure_{measure}": 2},
        prompt_set="monthly-check-in",
    )  # fmt: skip
    sign_in(app_client, db, clock, world.facilitator)
    page = app_client.get("/dashboard/measures")
    assert page.status_code == 200
    assert "Discharge letters are in plain English &amp; clear" in page.text
    assert "<svg" in page.text and "mean rating, 1 to 5" in page.text
    assert "AMINA-SAID clear" in page.text and "Amina" not in page.text.replace("AMINA-SAID", "")
    assert "4.0" in page.text and "2.0" in page.text

    rows = list(csv.reader(io.StringIO(app_client.get("/dashboard/measures/export.csv").text)))
    assert rows[0][0] == "\ufeffgroup"
    assert [(r[1], r[6], r[7]) for r in rows[1:]] == [(LETTERS, "4.0", "1"), (LETTERS, "2.0", "1")]
    workbook = load_workbook(io.BytesIO(app_client.get("/dashboard/measures/export.xlsx").content))
    assert [c.value for c in next(workbook["Measures"].iter_rows(min_row=2))][1] == LETTERS
    assert workbook["Comments"]["D2"].value == "AMINA-SAID clear"
    reflections = app_client.get("/dashboard/reflections").text
    assert "How true was this for you this month?" in reflections
    assert f"measure_{measure}" not in reflections  # questions in words, not their ids
    exported = app_client.get("/dashboard/reflections/export.csv").text
    assert "Anything to add about" in exported and f"measure_{measure}" not in exported
    summary = app_client.get("/dashboard/measures/summary")
    assert "measures_print.css" in summary.text and "AMINA-SAID clear" in summary.text
    with db.reading() as session:
        actions = [e.detail for e in session.exec(select(AuditEvent)) if e.detail]
    assert any(d.startswith("measures.csv, 1 measure(s)") for d in actions)
    assert any(d.startswith("measures.summary") for d in actions)
    assert all("AMINA-SAID" not in d for d in actions)


def test_another_groups_facilitator_sees_none_of_it(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    _adopted(db, clock, world)
    sign_in(app_client, db, clock, world.other_facilitator)
    for path in ("/dashboard/measures", f"/dashboard/measures?cohort={world.frailty}",
                 "/dashboard/measures/summary", "/dashboard/measures/export.csv"):  # fmt: skip
        response = app_client.get(path)
        assert response.status_code == 200 and "Discharge letters" not in response.text, path
