"""The dashboard's broadcast form in several languages (issue 19, step 6): an optional box
per language Tandem speaks other than English; the preview shows each version as its first
reader will get it and who reads a language with none; the send goes only as previewed; a
correction says it drops the versions."""

from __future__ import annotations

from sqlmodel import select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain import broadcasts
from bot.domain.clock import FakeClock
from bot.models import Broadcast, BroadcastVersion, Cohort, Person
from tests.factories import make_person
from tests.web.conftest import World, sign_in
from tests.web.test_broadcast_send import _send_form

ORIGINAL = "Hi {{ name }}, we meet in Room 3B"
POLISH = "Cześć {{ name }}, spotykamy się w sali 3B"


def _readers(db: Database, clock: FakeClock, world: World) -> None:
    """Ola (Polish) and Samir (Arabic) join Amina in Frailty pathway."""
    with db.transaction() as session:
        frailty = session.get(Cohort, world.frailty)
    for name, code in (("Ola", "pl"), ("Samir", "ar")):
        person_id = make_person(db, clock, frailty, name=name)
        with db.transaction() as session:
            person = session.get(Person, person_id)
            assert person is not None
            person.language = code
            session.add(person)


def _stored(db: Database) -> list[tuple[str, dict[str, str]]]:
    with db.transaction() as session:
        return [
            (
                b.text,
                {
                    v.language: v.text
                    for v in session.exec(
                        select(BroadcastVersion).where(BroadcastVersion.broadcast_id == b.id)
                    )
                },
            )
            for b in session.exec(select(Broadcast)).all()
        ]


def test_a_broadcast_with_a_polish_version_is_previewed_and_sent_as_shown(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    _readers(db, clock, world)
    csrf = sign_in(app_client, db, clock, world.facilitator)
    form = app_client.get("/dashboard/broadcasts/new")
    assert 'name="version_pl"' in form.text and 'name="version_ar"' in form.text
    assert 'name="version_en"' not in form.text

    shown = app_client.post(
        "/dashboard/broadcasts/preview",
        data={
            "csrf": csrf,
            "audience": f"cohort.{world.frailty}",
            "text": ORIGINAL,
            "version_pl": POLISH,
            "version_ar": "   ",  # an empty box is no version
        },
    )
    assert shown.status_code == 200
    assert "Hi Amina, we meet in Room 3B" in shown.text  # the English reader's copy
    assert "In Polski: how Ola will see it (1 partner reads Polski)" in shown.text
    assert "Cześć Ola, spotykamy się w sali 3B" in shown.text
    assert "1 partner reads العربية, with no version" in shown.text

    # The Polish words changed after the preview: nothing is sent, a new preview instead.
    sent_form = _send_form(shown.text)
    changed = app_client.post(
        "/dashboard/broadcasts/send", data={**sent_form, "version_pl": "Cześć, sala 4"}
    )
    assert changed.status_code == 409 and "Nothing was sent" in changed.text
    assert "Cześć, sala 4" in changed.text
    assert _stored(db) == []

    sent = app_client.post("/dashboard/broadcasts/send", data=sent_form)
    assert sent.status_code == 303
    assert _stored(db) == [(ORIGINAL, {"pl": POLISH})]


def test_a_version_with_a_mistake_says_which_language_it_is_in(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    _readers(db, clock, world)
    csrf = sign_in(app_client, db, clock, world.facilitator)
    refused = app_client.post(
        "/dashboard/broadcasts/preview",
        data={
            "csrf": csrf,
            "audience": f"cohort.{world.frailty}",
            "text": ORIGINAL,
            "version_pl": "Cześć {{ imie }}",
        },
    )
    assert refused.status_code == 400
    assert "In the Polski version: I don&#39;t know that placeholder" in refused.text
    assert "Cześć {{ imie }}" in refused.text  # kept in its box to fix
    assert _stored(db) == []


def test_a_correction_on_the_dashboard_says_it_drops_the_versions(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    with db.transaction() as session:
        broadcast, _ = broadcasts.create_broadcast(
            session,
            text=ORIGINAL,
            person_ids=[world.partner],
            clock=clock,
            author_id=world.facilitator,
            versions={"pl": POLISH},
        )
        broadcast_id = broadcast.id or 0
    csrf = sign_in(app_client, db, clock, world.facilitator)
    page = f"/dashboard/broadcasts/{broadcast_id}"
    checked = app_client.post(f"{page}/correct", data={"csrf": csrf, "text": "Hi, Room 4"})
    assert "also has versions in Polski. The correction replaces them" in checked.text
    done = app_client.post(f"{page}/correct", data=_send_form(checked.text, f"{page}/correct"))
    assert done.status_code == 303
    assert _stored(db) == [("Hi, Room 4", {})]
