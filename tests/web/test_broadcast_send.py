"""A broadcast goes from the dashboard only as its preview showed it (issue 15): the send
form carries a fingerprint of the previewed audience, words and time, and a send that no
longer matches shows a new preview instead of sending."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlmodel import select
from starlette.testclient import TestClient

from bot.db import Database
from bot.domain import broadcasts
from bot.domain.clock import FakeClock
from bot.models import AuditEvent, Broadcast
from tests.web.conftest import World, sign_in


def _sent(db: Database) -> list[str]:
    with db.transaction() as session:
        return [b.text for b in session.exec(select(Broadcast)).all()]


def _send_form(page: str, action: str = "/dashboard/broadcasts/send") -> dict[str, str]:
    """The hidden fields of the preview's send form, as the browser would post them."""
    form = page[page.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    fields = re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', form)
    return {name: html.unescape(value) for name, value in fields}


def test_changed_words_are_previewed_again_before_they_are_sent(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    csrf = sign_in(app_client, db, clock, world.facilitator)
    audience = f"cohort.{world.frailty}"
    first = app_client.post(
        "/dashboard/broadcasts/preview",
        data={"csrf": csrf, "audience": audience, "text": "Hi {{ name }}, Room 3B"},
    )
    assert first.status_code == 200 and "Hi Amina, Room 3B" in first.text
    form = _send_form(first.text)

    # The words changed after the preview: nothing is sent; the new words are previewed.
    changed = app_client.post(
        "/dashboard/broadcasts/send", data={**form, "text": "Hi {{ name }}, Room 4"}
    )
    assert changed.status_code == 409
    assert "Nothing was sent" in changed.text and "Hi Amina, Room 4" in changed.text
    assert _sent(db) == []

    # The audience or the time changed: the same.
    other = app_client.post(
        "/dashboard/broadcasts/send", data={**form, "audience": f"person.{world.partner}"}
    )
    later = app_client.post(
        "/dashboard/broadcasts/send", data={**form, "send_at": "2030-01-01T09:00"}
    )
    unchecked = app_client.post(
        "/dashboard/broadcasts/send", data={k: v for k, v in form.items() if k != "check"}
    )
    assert [r.status_code for r in (other, later, unchecked)] == [409, 409, 409]
    assert _sent(db) == []

    # Sending from the new preview sends exactly what it showed.
    again = app_client.post("/dashboard/broadcasts/send", data=_send_form(changed.text))
    assert again.status_code == 303
    assert _sent(db) == ["Hi {{ name }}, Room 4"]
    with db.transaction() as session:
        refused = session.exec(
            select(AuditEvent).where(AuditEvent.action == "dashboard.send_broadcast")
        ).all()
    details = [e.detail or "" for e in refused]
    assert sum("changed since the preview" in d for d in details) == 4


def test_the_previewed_broadcast_is_sent_as_it_was_shown(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    csrf = sign_in(app_client, db, clock, world.facilitator)
    shown = app_client.post(
        "/dashboard/broadcasts/preview",
        data={"csrf": csrf, "audience": f"cohort.{world.frailty}", "text": "  Papers are out  "},
    )
    sent = app_client.post("/dashboard/broadcasts/send", data=_send_form(shown.text))
    assert sent.status_code == 303 and "done=queued" in sent.headers["location"]
    assert _sent(db) == ["Papers are out"]


def _report_of(db: Database, broadcast_id: int) -> tuple[str, str | None]:
    with db.transaction() as session:
        found = session.get(Broadcast, broadcast_id)
        assert found is not None
        return found.text, found.edited_at and "edited"


def test_a_correction_is_previewed_on_the_dashboard_before_it_goes(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    with db.transaction() as session:
        broadcast, _ = broadcasts.create_broadcast(
            session,
            text="Hi {{ name }}, Room 3B",
            person_ids=[world.partner],
            clock=clock,
            author_id=world.facilitator,
        )
        broadcast_id = broadcast.id or 0
    csrf = sign_in(app_client, db, clock, world.facilitator)
    path = f"/dashboard/broadcasts/{broadcast_id}/correct"

    shown = app_client.post(path, data={"csrf": csrf, "text": "Hi {{ name }}, Room 4"})
    assert shown.status_code == 200
    assert "how Amina will see it" in shown.text and "Hi Amina, Room 4" in shown.text
    assert _report_of(db, broadcast_id) == ("Hi {{ name }}, Room 3B", None)  # not yet

    # The preview's own form, with other words slipped in: previewed again, not sent.
    form = _send_form(shown.text, action=path)
    changed = app_client.post(path, data={**form, "text": "Hi {{ name }}, Room 5"})
    assert changed.status_code == 200 and "Hi Amina, Room 5" in changed.text
    assert _report_of(db, broadcast_id) == ("Hi {{ name }}, Room 3B", None)

    sent = app_client.post(path, data=form)
    assert sent.status_code == 303 and "done=corrected" in sent.headers["location"]
    assert _report_of(db, broadcast_id) == ("Hi {{ name }}, Room 4", "edited")

    broken = app_client.post(path, data={"csrf": csrf, "text": "Hi {{ nmae }}"})
    assert broken.status_code == 400
    assert "Hi {{ nmae }}</textarea>" in html.unescape(broken.text)  # kept, to fix


def test_withdrawing_shows_nothing_waiting_at_once(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    with db.transaction() as session:
        broadcast, _ = broadcasts.create_broadcast(
            session,
            text="Papers are out",
            person_ids=[world.partner],
            clock=clock,
            author_id=world.facilitator,
            send_at=clock.now() + timedelta(days=1),
        )
        broadcast_id = broadcast.id or 0
    csrf = sign_in(app_client, db, clock, world.facilitator)
    before = app_client.get(f"/dashboard/broadcasts/{broadcast_id}").text
    assert _counts(before)["Queued"] == "1"
    done = app_client.post(f"/dashboard/broadcasts/{broadcast_id}/withdraw", data={"csrf": csrf})
    after = app_client.get(done.headers["location"]).text
    assert "Withdrawn." in after
    assert _counts(after)["Queued"] == "0" and _counts(after)["Cancelled"] == "1"


def _counts(page: str) -> dict[str, str]:
    """The delivery table of a broadcast's page: heading -> figure."""
    heads = re.findall(r'<th scope="col">([A-Za-z]+)</th>', page)
    figures = re.findall(r"<td>(\d+)</td>", page)
    return dict(zip(heads, figures, strict=True))
