"""Reviewing reflections on the dashboard: filters, one reflection's actions, exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlmodel import select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.domain.meetings import add_meeting
from bot.library.catalogue import Library
from bot.models import Cohort, ContributionOutcome, Delivery, Reflection
from tests.factories import make_person
from tests.web.conftest import World, csrf_of, make_reflection, sign_in


def test_filters_narrow_the_list_and_private_words_never_show(
    app_client: TestClient, db: Database, clock: FakeClock, world: World, library: Library
) -> None:
    with db.transaction() as session:
        cohort = session.get(Cohort, world.frailty)
        meeting = add_meeting(
            session,
            cohort=cohort,
            title="Frailty board",
            starts_at=clock.now() + timedelta(hours=1),
            ends_at=clock.now() + timedelta(hours=3),
            clock=clock,
            timetable=library.timetable,
        )
        meeting_id = meeting.meeting.id
    clock.advance(timedelta(hours=4))
    grace = make_person(db, clock, _cohort(db, world.frailty), name="Grace")
    make_reflection(
        db,
        clock,
        world.partner,
        {"equal_partner": 2, "learned": "Talked over"},
        meeting_id=meeting_id,
    )
    clock.advance(timedelta(hours=1))
    make_reflection(
        db,
        clock,
        grace,
        {"equal_partner": 5, "learned": "Felt heard today"},
        sharing="anonymised",
        meeting_id=meeting_id,
    )
    make_reflection(db, clock, grace, {"learned": "PRIVATE thoughts"}, sharing="private")
    make_reflection(db, clock, world.partner, {"equal_partner": 4, "learned": "No meeting one"})

    sign_in(app_client, db, clock, world.coordinator)
    everything = app_client.get("/dashboard/reflections").text
    assert "3 reflections found" in everything
    assert "PRIVATE" not in everything
    assert "Felt heard today" in everything and "Anonymised" in everything

    low = app_client.get("/dashboard/reflections?score_q=equal_partner&score_max=2").text
    assert "1 reflection found" in low and "Talked over" in low and "Felt heard" not in low
    assert 'aria-label="2 out of 5"' in low  # the score as a small chart

    at_meeting = app_client.get(f"/dashboard/reflections?meeting={meeting_id}").text
    assert "2 reflections found" in at_meeting and "No meeting one" not in at_meeting
    words = app_client.get("/dashboard/reflections?q=HEARD").text
    assert "1 reflection found" in words and "Felt heard today" in words
    anonymised = app_client.get("/dashboard/reflections?sharing=anonymised").text
    assert "Grace" not in anonymised  # the author of an anonymised reflection is never named
    by_grace = app_client.get(f"/dashboard/reflections?partner={grace}").text
    assert "0 reflections found" in by_grace  # her shared one is anonymised: not under her name
    amina = app_client.get("/dashboard/reflections?who=AMI").text
    assert "2 reflections found" in amina and "Felt heard" not in amina
    assert "0 reflections found" in app_client.get("/dashboard/reflections?who=grace").text
    assert "0 reflections found" in app_client.get("/dashboard/reflections?who=%25").text
    today = clock.now().date().isoformat()
    assert "3 reflections found" in app_client.get(f"/dashboard/reflections?from={today}").text
    assert app_client.get("/dashboard/reflections?from=yesterday").status_code == 400


def _cohort(db: Database, cohort_id: int) -> Cohort:
    with db.reading() as session:
        cohort = session.get(Cohort, cohort_id)
        assert cohort is not None
        return cohort


def test_flag_reply_and_you_said_we_did_reach_the_partner(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    reflection = make_reflection(
        db, clock, world.partner, {"learned": "The discharge letters are confusing."}
    )
    sign_in(app_client, db, clock, world.facilitator)
    page = app_client.get(f"/dashboard/reflections/{reflection}")
    csrf = csrf_of(page.text)
    flagged = app_client.post(f"/dashboard/reflections/{reflection}/flag", data={"csrf": csrf})
    assert flagged.headers["location"].endswith("done=flagged")
    assert "1 reflection found" in app_client.get("/dashboard/reflections?flagged=yes").text

    app_client.post(
        f"/dashboard/reflections/{reflection}/reply",
        data={"csrf": csrf, "text": "Thank you, Amina. Shall we talk on Monday?"},
    )
    app_client.post(
        f"/dashboard/reflections/{reflection}/outcome",
        data={"csrf": csrf, "text": "One team will now write the letters.", "meeting": ""},
    )
    with db.reading() as session:
        queued = session.exec(select(Delivery).where(Delivery.person_id == world.partner)).all()
        outcome = session.exec(select(ContributionOutcome)).one()
    payloads = " ".join(d.payload for d in queued)
    assert "Shall we talk on Monday?" in payloads
    assert "One team will now write the letters." in payloads
    assert outcome.recorded_by == world.facilitator
    assert "One team will now write" in app_client.get("/dashboard/outcomes").text
    empty = app_client.post(
        f"/dashboard/reflections/{reflection}/reply", data={"csrf": csrf, "text": "   "}
    )
    assert empty.status_code == 400


def test_csv_export_has_one_row_per_answer_and_honours_filters(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    first = make_reflection(db, clock, world.partner, {"learned": '=HYPERLINK("x")'})
    make_reflection(db, clock, world.partner, {"learned": "Second one"}, sharing="anonymised")
    make_reflection(db, clock, world.partner, {"learned": "PRIVATE"}, sharing="private")
    with db.transaction() as session:
        row = session.get(Reflection, first)
        assert row is not None
        row.flagged_at = clock.now()
        session.add(row)
    sign_in(app_client, db, clock, world.coordinator)

    response = app_client.get("/dashboard/reflections/export.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["reflection"] for r in rows} == {str(first), str(first + 1)}
    assert all("PRIVATE" not in v for r in rows for v in r.values())
    learned = [r for r in rows if r["question"].startswith("What did you learn")]
    assert {r["answer"] for r in learned} == {'\'=HYPERLINK("x")', "Second one"}
    assert {r["partner"] for r in learned} == {"Amina", ""}  # anonymised: no name

    flagged = app_client.get("/dashboard/reflections/export.csv?flagged=yes&names=0")
    flagged_rows = list(csv.DictReader(io.StringIO(flagged.content.decode("utf-8-sig"))))
    assert {r["reflection"] for r in flagged_rows} == {str(first)}
    assert {r["partner"] for r in flagged_rows} == {""}

    workbook = load_workbook(
        io.BytesIO(app_client.get("/dashboard/reflections/export.xlsx").content)
    )
    sheet = workbook["Reflections"]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "reflection" and len(values) == len(rows) + 1
    cells = [c for r in sheet.iter_rows() for c in r if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula
