"""The Champions page (issue 18): each cohort's champions, mentees and partners for the staff
who run it, and the same actions as in chat (ask, offer a mentor, end), audited."""

from __future__ import annotations

from sqlmodel import select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain.clock import FakeClock
from bot.models import AuditEvent, Champion, ChampionStatus, Mentorship, MentorshipStatus
from tests.web.champion_things import make_champion
from tests.web.conftest import World, sign_in


def test_staff_see_their_cohorts_champions_and_act_on_them(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    row, dina = make_champion(db, clock, world)
    csrf = sign_in(app_client, db, clock, world.facilitator)
    page = app_client.get("/dashboard/champions").text
    assert "Frailty pathway" in page and "Carl" in page and "New, no mentor" in page
    assert "Maternity voices" not in page and "Bola" not in page

    offered = app_client.post(
        f"/dashboard/champions/{row}/offer", data={"csrf": csrf, "mentee": str(dina)}
    )
    assert offered.status_code == 303
    asked = app_client.post(
        "/dashboard/champions/ask",
        data={"csrf": csrf, "cohort": str(world.frailty), "person": str(world.partner)},
    )
    assert asked.status_code == 303
    assert "Asked. The partner has been told" in app_client.get(asked.headers["location"]).text
    with db.reading() as session:
        assert session.exec(select(Mentorship.status)).one() == MentorshipStatus.OFFERED
        statuses = {c.person_id: c.status for c in session.exec(select(Champion))}
        actions = {e.action for e in session.exec(select(AuditEvent))}
    assert statuses[world.partner] == ChampionStatus.ASKED
    assert {"dashboard.view_champions", "dashboard.champion_ask", "dashboard.mentor_offer"} <= (
        actions
    )

    assert (
        app_client.post(f"/dashboard/champions/{row}/end", data={"csrf": csrf}).status_code == 303
    )
    with db.reading() as session:
        assert session.get(Champion, row).status == ChampionStatus.ENDED  # type: ignore[union-attr]
        assert session.exec(select(Mentorship.status)).one() == MentorshipStatus.ENDED


def test_another_cohorts_facilitator_sees_and_changes_nothing(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    row, dina = make_champion(db, clock, world)
    csrf = sign_in(app_client, db, clock, world.other_facilitator)
    page = app_client.get("/dashboard/champions").text
    assert "Carl" not in page and "Dina" not in page and "Amina" not in page
    for path, form in (
        (f"/dashboard/champions/{row}/end", {}),
        (f"/dashboard/champions/{row}/offer", {"mentee": str(dina)}),
        ("/dashboard/champions/ask", {"cohort": str(world.frailty), "person": str(world.partner)}),
    ):
        response = app_client.post(path, data={"csrf": csrf, **form})
        assert response.status_code == 404 and "Carl" not in response.text
    with db.reading() as session:
        assert [c.status for c in session.exec(select(Champion))] == [ChampionStatus.ACTIVE]
        assert session.exec(select(Mentorship)).all() == []
