"""The coordinators' dashboard in a real browser, as Tom: signing in, filtering and flagging
reflections, exporting them, broadcasting to partners, and private reflections kept private.

All tests share one demo (it takes a few seconds to start); each signs in with a link of its
own.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections import defaultdict
from typing import Any
from urllib.parse import urldefrag, urlsplit

import httpx
import pytest

from tests.demo_process import Demo

pytestmark = pytest.mark.browser

# Grace's after-meeting reflection (kept private; its answers start "PRIVATE:") and her
# journal entry (for her eyes only) must never reach the dashboard.
PRIVATE = ("PRIVATE:", "I felt invisible", "Nervous about speaking at the board")
EQUAL_PARTNER = "Did you feel like an equal partner in the room?"
NAV = (
    "Overview",
    "Reflections",
    "Participation",
    "Questions",
    "Broadcasts",
    "Meetings",
    "You said, we did",
    "Audit log",
)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _fresh_link(demo: Demo) -> str:
    """A new sign-in link, from Tom sending /dashboard in his chat (via the sandbox)."""
    control = f"{_origin(demo.chat_url)}/control"
    with httpx.Client(base_url=control, timeout=10) as sandbox:
        tom = next(u["id"] for u in sandbox.get("/users").json() if u["first_name"] == "Tom")
        seen = len(sandbox.get(f"/chats/{tom}/messages").json())
        sandbox.post(f"/users/{tom}/text", json={"text": "/dashboard"}).raise_for_status()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            for message in sandbox.get(f"/chats/{tom}/messages").json()[seen:]:
                found = re.search(r"https?://\S+/login/\S+", message.get("text") or "")
                if message["from"] == "bot" and found:
                    return found.group(0)
            time.sleep(0.2)
    raise AssertionError("Tom got no sign-in link after /dashboard")


def _sign_in(page: Any, demo: Demo) -> str:
    """Sign the page in as Tom with a new link, as he would; returns the dashboard's origin."""
    page.goto(_fresh_link(demo))
    page.get_by_role("button", name="Sign in as Tom").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    return _origin(demo.dashboard_url)


def _found(page: Any) -> int:
    """The number in "N reflections found."."""
    text = page.locator("p.summary").inner_text()
    match = re.search(r"(\d+) reflections? found", text)
    assert match, text
    return int(match.group(1))


def test_signing_in_through_the_link(shared_demo: Demo, browser_page: Any) -> None:
    from playwright.sync_api import expect

    page = browser_page
    origin = _origin(shared_demo.dashboard_url)
    assert page.goto(f"{origin}/dashboard").status == 401
    expect(page.get_by_role("heading", level=1)).to_have_text("Please sign in")

    page.goto(shared_demo.dashboard_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the Tandem dashboard")
    expect(page.locator("main")).to_contain_text("You are signing in as Tom.")
    page.get_by_role("button", name="Sign in as Tom").click()
    expect(page).to_have_url(f"{origin}/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.locator("header .who")).to_have_text("Tom · Coordinator")
    for label in NAV:
        expect(page.get_by_role("navigation").get_by_role("link", name=label)).to_be_visible()

    page.goto(shared_demo.dashboard_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in link not valid")
    expect(page.locator("main")).to_contain_text("This sign-in link has already been used.")
    expect(page.get_by_role("button", name="Sign in as Tom")).to_have_count(0)


def test_the_first_tab_reaches_the_skip_link(shared_demo: Demo, browser_page: Any) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{_sign_in(page, shared_demo)}/dashboard/reflections")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_filtering_reflections_and_flagging_one(shared_demo: Demo, browser_page: Any) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{_sign_in(page, shared_demo)}/dashboard")
    page.get_by_role("navigation").get_by_role("link", name="Reflections").click()
    everything = _found(page)
    page.get_by_label("Score question").select_option(label=EQUAL_PARTNER)
    page.get_by_label("Score at most").fill("2")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_label("Score at most")).to_have_value("2")
    low = _found(page)
    assert 0 < low < everything
    articles = page.locator("article.reflection")
    expect(articles).to_have_count(low)
    for article in articles.all():
        score = article.locator(".answer").filter(has=page.get_by_text(EQUAL_PARTNER))
        expect(score.locator("dd > span")).to_have_text(re.compile(r"^[0-2] out of 5$"))

    unflagged = articles.filter(has_not=page.locator(".flag")).first
    title = unflagged.get_by_role("heading").get_by_role("link")
    reflection_id = title.get_attribute("href").rsplit("/", 1)[-1]
    title.click()
    expect(page).to_have_url(re.compile(rf"/dashboard/reflections/{reflection_id}$"))
    expect(page.get_by_role("heading", level=1).locator(".flag")).to_have_count(0)
    page.get_by_role("button", name="Flag for follow-up").click()
    expect(page.get_by_role("status")).to_have_text("Flagged for follow-up.")
    expect(page.get_by_role("heading", level=1).locator(".flag")).to_have_text("Flagged")
    expect(page.get_by_role("button", name="Clear the flag")).to_be_visible()

    page.get_by_role("link", name="‹ All reflections").click()
    page.get_by_label("Flagged", exact=True).select_option(label="Flagged")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(f"#r{reflection_id}")).to_contain_text("Flagged")
    flagged = page.locator("article.reflection")
    expect(flagged).to_have_count(_found(page))
    expect(flagged.filter(has_not=page.locator(".flag"))).to_have_count(0)


def _shown_answers(page: Any) -> dict[str, tuple[str, list[str]]]:
    """Every reflection in the (unfiltered) list, on every page: author and its questions."""
    shown: dict[str, tuple[str, list[str]]] = {}
    while True:
        for article in page.locator("article.reflection").all():
            reflection_id = article.get_attribute("aria-labelledby").removeprefix("r")
            author = article.locator(".meta").inner_text().split(" · ")[0].strip()
            shown[reflection_id] = (author, article.locator("dt").all_inner_texts())
        older = page.get_by_role("link", name="Older ›")
        if not older.count():
            return shown
        older.click()


def _download(page: Any, link: str) -> list[dict[str, str]]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = download.path().read_text(encoding="utf-8-sig")
    for secret in PRIVATE:
        assert secret not in text
    return list(csv.DictReader(io.StringIO(text)))


def test_exporting_reflections_as_csv(shared_demo: Demo, browser_page: Any) -> None:
    page = browser_page
    page.goto(f"{_sign_in(page, shared_demo)}/dashboard/reflections")
    total = _found(page)
    rows = _download(page, "Download CSV")
    assert rows and {"reflection", "partner", "question", "answer"} <= set(rows[0])

    by_reflection: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_reflection[row["reflection"]].append(row)
    shown = _shown_answers(page)
    assert len(shown) == total == len(by_reflection)
    for reflection_id, (author, questions) in shown.items():
        # One row per answer shown (skipped ones too), in the order shown.
        assert [r["question"] for r in by_reflection[reflection_id]] == questions
        partners = {r["partner"] for r in by_reflection[reflection_id]}
        assert partners == {"" if author == "Anonymised" else author}
    anonymised = [r for r in rows if r["sharing"] == "anonymised"]
    assert anonymised and all(r["partner"] == "" for r in anonymised)
    assert all(r["partner"] for r in rows if r["sharing"] == "facilitators")
    assert any(r["answer"].startswith("Joining by video from Lagos") for r in rows)

    page.goto(f"{_origin(shared_demo.dashboard_url)}/dashboard/reflections")
    nameless = _download(page, "CSV without names")
    assert len(nameless) == len(rows)
    assert all(r["partner"] == "" for r in nameless)


def test_broadcasting_to_the_cohort(shared_demo: Demo, browser_page: Any) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{_sign_in(page, shared_demo)}/dashboard")
    page.get_by_role("navigation").get_by_role("link", name="Broadcasts").click()
    page.get_by_role("link", name="Write a broadcast").click()
    page.get_by_label("Who is it for?").select_option(label="Everyone in Frailty pathway")
    words = f"Thursday's board has moved to Room 4A (note {time.monotonic_ns()})."
    page.get_by_label("Message").fill("Hello {{ name }}. " + words)
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("section.preview")
    expect(preview.get_by_role("heading")).to_contain_text("partners will see it")
    expect(preview.locator(".bubble")).to_contain_text("From Tom:")
    expect(preview.locator(".bubble")).to_contain_text(f"Hello Amina. {words}")
    expect(preview).to_contain_text("To: Everyone in Frailty pathway. Goes out now.")
    preview.get_by_role("button", name="Send it now").click()

    expect(page).to_have_url(re.compile(r"/dashboard/broadcasts/\d+\?done=queued$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Broadcast to Everyone in Frailty pathway"
    )
    expect(page.get_by_role("status")).to_contain_text("Queued.")
    expect(page.locator("blockquote.bubble")).to_contain_text(words)
    expect(page.locator("table.counts th").first).to_have_text("Queued")

    # Grace chose no quiet hours, so it reaches her chat at once (the outbox runs each second).
    page.goto(shared_demo.chat_url)
    grace = page.locator('[data-testid="person"]').filter(has_text="Grace")
    page.goto(f"{shared_demo.chat_url}#user={grace.get_attribute('data-user-id')}")
    arrived = page.locator('[data-testid="message"][data-from="bot"]').filter(has_text=words)
    expect(arrived).to_be_visible(timeout=15_000)
    expect(arrived).to_contain_text("From Tom:")
    expect(arrived).to_contain_text("Hello Grace")


def _crawl(page: Any, start: str) -> tuple[set[str], set[str]]:
    """Every dashboard page reachable by links from `start` (GET only: every change is a
    POST form), checking each; returns the pages visited and the export links seen."""
    origin = _origin(start)
    queue, seen, exports = [start], {start}, set()
    while queue:
        url = queue.pop(0)
        # The meetings calendar links month to month for ever: follow it one month each way.
        in_calendar = "month=" in urlsplit(url).query
        response = page.goto(url)
        assert response.ok, url
        html = page.content()
        for secret in PRIVATE:
            assert secret not in html, f"{secret!r} shown on {url}"
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = urldefrag(href).url
            if _origin(link) != origin or not urlsplit(link).path.startswith("/dashboard"):
                continue
            if urlsplit(link).path.endswith((".csv", ".xlsx")):
                exports.add(link)
            elif link not in seen and not (in_calendar and "month=" in urlsplit(link).query):
                seen.add(link)
                queue.append(link)
        assert len(seen) < 200, "the crawl is running away"
    return seen, exports


def test_a_private_reflection_appears_nowhere(shared_demo: Demo, browser_page: Any) -> None:
    page = browser_page
    origin = _sign_in(page, shared_demo)
    seen, exports = _crawl(page, f"{origin}/dashboard")

    paths = {urlsplit(url).path for url in seen}
    assert {f"{origin}/dashboard{p}" for p in ("", "/reflections", "/audit")} <= seen
    assert any(re.fullmatch(r"/dashboard/reflections/\d+", p) for p in paths)
    assert any(re.fullmatch(r"/dashboard/partners/\d+", p) for p in paths)
    assert {urlsplit(url).path for url in exports} == {
        "/dashboard/reflections/export.csv",
        "/dashboard/reflections/export.xlsx",
        "/dashboard/audit/export.csv",
        "/dashboard/measures/export.csv",  # issue 17: what matters to partners
        "/dashboard/measures/export.xlsx",
        "/dashboard/claims/export.csv",  # issue 18: approved claims, for finance
        "/dashboard/claims/export.xlsx",
    }
    # The crawl did see shared answers, so it would have seen a private one.
    page.goto(f"{origin}/dashboard/reflections")
    assert "Joining by video from Lagos" in page.content()
    # Nor does stepping through ids find it: unlisted reflections are simply not found.
    listed = {int(p.rsplit("/", 1)[1]) for p in paths if re.fullmatch(r".*/reflections/\d+", p)}
    for unlisted in set(range(1, max(listed) + 3)) - listed:
        response = page.goto(f"{origin}/dashboard/reflections/{unlisted}")
        assert response.status == 404, unlisted
        assert not any(secret in page.content() for secret in PRIVATE), unlisted

    for url in sorted(exports):
        response = page.context.request.get(url)
        assert response.ok, url
        body = response.body()
        if url.split("?")[0].endswith(".xlsx"):
            with zipfile.ZipFile(io.BytesIO(body)) as workbook:
                body = b"".join(workbook.read(name) for name in workbook.namelist())
        for secret in PRIVATE:
            assert secret.encode() not in body, f"{secret!r} in {url}"
