"""Every dashboard page renders for a coordinator with real data, with labelled controls,
one h1 and a skip link (WCAG basics a keyboard or screen-reader user depends on)."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from starlette.testclient import TestClient

from bot.db import Database
from bot.domain import broadcasts
from bot.domain.briefings import ask
from bot.domain.clock import FakeClock
from tests.web.conftest import World, make_reflection, sign_in


class _Controls(HTMLParser):
    """Collects form controls, labels and headings."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.h1 = 0
        self.first_link: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.controls.append(found)
        if tag == "label" and found.get("for"):
            self.labels.add(str(found["for"]))
        if tag == "h1":
            self.h1 += 1
        if tag == "a" and self.first_link is None:
            self.first_link = found.get("href")


def test_every_page_renders_with_labelled_controls(
    app_client: TestClient, db: Database, clock: FakeClock, world: World
) -> None:
    reflection = make_reflection(db, clock, world.partner, {"equal_partner": 2, "learned": "ok"})
    with db.transaction() as session:
        ask(session, person_id=world.partner, clock=clock, text="Who decides?")
        broadcast, _ = broadcasts.create_broadcast(
            session,
            text="Hello",
            person_ids=[world.partner],
            clock=clock,
            author_id=world.coordinator,
        )
        broadcast_id = broadcast.id
    csrf = sign_in(app_client, db, clock, world.coordinator)
    pages = {
        "/dashboard": "Overview",
        "/dashboard/reflections": "Reflections",
        f"/dashboard/reflections/{reflection}": "After the meeting",
        f"/dashboard/partners/{world.partner}": "Amina",
        "/dashboard/participation": "Participation",
        "/dashboard/questions": "Who decides?",
        "/dashboard/broadcasts": "Hello",
        "/dashboard/broadcasts/new": "Write a broadcast",
        f"/dashboard/broadcasts/{broadcast_id}": "Delivery",
        "/dashboard/meetings": "Meetings in",
        "/dashboard/outcomes": "You said, we did",
        "/dashboard/measures": "What matters to us",
        "/dashboard/measures/summary": "What matters to us",
        "/dashboard/audit": "dashboard.login",
    }
    for path, expected in pages.items():
        response = app_client.get(path)
        assert response.status_code == 200, path
        assert expected in response.text, path
        parsed = _Controls()
        parsed.feed(response.text)
        assert parsed.h1 == 1, path
        assert parsed.first_link == "#main", path
        for control in parsed.controls:
            labelled = control.get("id") in parsed.labels or control.get("aria-label")
            assert labelled, (path, control)
    preview = app_client.post(
        "/dashboard/broadcasts/preview",
        data={"csrf": csrf, "audience": f"cohort.{world.frailty}", "text": "Hi {{ name }}!"},
    )
    assert "Hi Amina!" in preview.text and "From Tom:" in preview.text
    one = app_client.post(
        "/dashboard/broadcasts/preview",
        data={"csrf": csrf, "audience": f"person.{world.partner}", "text": "Just you"},
    )
    assert "To: Amina." in one.text and "how 1 partner will see it" in one.text
    page = app_client.get("/dashboard/broadcasts/new").text
    assert 'label="One partner"' in page and f'value="person.{world.other_partner}"' in page
    bad = app_client.post(
        "/dashboard/broadcasts/preview",
        data={"csrf": csrf, "audience": f"cohort.{world.frailty}", "text": "Hi {{ nmae }}"},
    )
    shown = html.unescape(bad.text)
    assert bad.status_code == 400 and "I don't know that placeholder" in shown
    assert "Hi {{ nmae }}</textarea>" in shown  # what was typed is kept, to fix
    empty = app_client.post(
        "/dashboard/broadcasts/preview",
        data={"csrf": csrf, "audience": f"cohort.{world.frailty}", "text": "  "},
    )
    assert empty.status_code == 400
