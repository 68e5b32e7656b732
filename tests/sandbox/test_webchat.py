"""The web chat: its page and static files, and the directory the demo registers."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.sandbox import SandboxClient, SandboxError, SandboxServer
from bot.sandbox.webchat import STATIC_DIR

DIRECTORY: dict[str, Any] = {
    "title": "Tandem demo",
    "people": [
        {
            "user_id": 1000001,
            "label": "Amina (lay partner, Frailty pathway)",
            "role": "partner",
            "note": "Joined last week",
        },
        {"user_id": 1000002, "label": "Dr Osei (facilitator)", "role": "facilitator"},
    ],
    "invite": {"code": "JOIN-abc_123", "link": "https://t.me/tandem_test_bot?start=JOIN-abc_123"},
    "hints": ["Try /help", "Tap a button"],
    "time_zone": "Europe/London",
}
EMPTY = {"title": "", "people": [], "invite": None, "hints": [], "time_zone": None}
# Hooks the browser test relies on.
PAGE_HOOKS = (
    "new-person",
    "new-person-name",
    "new-person-create",
    "composer-input",
    "composer-send",
    "commands-menu",
    "attach-menu",
    "attach-sticker",
    "attach-photo",
    "attach-voice",
)
SCRIPT_HOOKS = (
    "person",
    "open-invite",
    "message",
    "message-text",
    "inline-button",
    "command-item",
    "toast",
)


@pytest.fixture
async def web(server: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url) as client:
        yield client


def _static(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize("path", ["/", "/chat"])
async def test_page_is_served_as_html_without_caching(web: httpx.AsyncClient, path: str) -> None:
    response = await web.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    assert page.startswith("<!doctype html>")
    assert '<link rel="stylesheet" href="/chat/static/chat.css">' in page
    assert '<script src="/chat/static/chat.js" defer></script>' in page
    for hook in PAGE_HOOKS:
        assert f'data-testid="{hook}"' in page, hook


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("chat.css", "text/css; charset=utf-8"), ("chat.js", "text/javascript; charset=utf-8")],
)
async def test_static_files_have_their_types(
    web: httpx.AsyncClient, name: str, content_type: str
) -> None:
    response = await web.get(f"/chat/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text == _static(name)


@pytest.mark.parametrize(
    "path", ["/chat/static/chat.html", "/chat/static/nope.js", "/chat/static/..%2Fserver.py"]
)
async def test_only_the_page_assets_are_served(web: httpx.AsyncClient, path: str) -> None:
    response = await web.get(path)
    assert response.status_code == 404
    assert "server.py" not in response.headers.get("content-type", "")


async def test_other_paths_still_answer_like_telegram(web: httpx.AsyncClient) -> None:
    response = await web.get("/chat/elsewhere")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


@pytest.mark.parametrize("name", ["chat.html", "chat.css", "chat.js"])
def test_no_external_assets(name: str) -> None:
    text = _static(name)
    assert re.findall(r"https?://", text) == [], "absolute URLs would leave the sandbox"
    assert re.findall(r"""(?:src|href)\s*=\s*["']//""", text) == []
    assert "@import" not in text
    for target in re.findall(r"url\(([^)]*)\)", text):
        assert target.strip("'\" ").startswith("data:"), target
    for target in re.findall(r"""(?:src|href)="([^"]*)\"""", text):
        assert target.startswith(("/", "#", "data:")), target


def test_script_uses_only_same_origin_paths() -> None:
    script = _static("chat.js")
    for banned in ("WebSocket", "EventSource", "importScripts", "import(", "XMLHttpRequest"):
        assert banned not in script, banned
    # Every request goes through api(path), whose only fetch is fetch(path, ...).
    assert re.findall(r"\bfetch\(([^,)]*)", script) == ["path"]
    calls = re.findall(r"(?<!function )\bapi\(\s*([^,)]*)", script)
    assert len(calls) >= 8
    for argument in calls:
        assert re.match(r"""["'`]/control/""", argument), argument
    links = re.findall(r"\bhref:\s*([^,}]*)", script)
    assert links
    for target in links:
        assert re.match(r"""["'`]/control/files/""", target), target
    for hook in SCRIPT_HOOKS:
        assert f'"data-testid": "{hook}"' in script, hook


async def test_plain_control_paths_in_the_script_exist(
    web: httpx.AsyncClient, server: SandboxServer
) -> None:
    server.world.create_user("Amina")
    plain = set(re.findall(r"""["'`](/control/[a-z/]+)["'`?]""", _static("chat.js")))
    assert {"/control/bot", "/control/directory", "/control/users"} <= plain
    for path in sorted(plain):
        if path.endswith("/"):
            continue
        response = await web.get(path, params={"chat_id": 1000001})
        assert response.status_code == 200, path


# ---------------------------------------------------------------- the directory


async def test_directory_is_empty_until_registered(sandbox: SandboxClient) -> None:
    assert await sandbox.directory() == EMPTY


async def test_directory_round_trip(sandbox: SandboxClient, server: SandboxServer) -> None:
    stored = await sandbox.set_directory(DIRECTORY)
    expected = {
        **DIRECTORY,
        "people": [DIRECTORY["people"][0], {**DIRECTORY["people"][1], "note": None}],
    }
    assert stored == expected
    assert await sandbox.directory() == expected
    assert server.world.directory == expected
    smaller = await sandbox.set_directory({"title": "Again", "people": []})
    assert smaller == {**EMPTY, "title": "Again"}
    assert await sandbox.directory() == smaller


async def test_reset_forgets_the_directory(sandbox: SandboxClient) -> None:
    await sandbox.set_directory(DIRECTORY)
    await sandbox.reset()
    assert await sandbox.directory() == EMPTY


def _with(**changes: Any) -> dict[str, Any]:
    return {**DIRECTORY, **changes}


def _person(**changes: Any) -> dict[str, Any]:
    return _with(people=[{**DIRECTORY["people"][0], **changes}])


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ([1, 2], "the directory must be a JSON object"),
        (_with(colour="blue"), "unknown field 'colour' in the directory"),
        (_with(title=7), "title must be a string"),
        (_with(people={"user_id": 1}), "people must be a list"),
        (_with(people=["Amina"]), "people[0] must be a JSON object"),
        (_person(user_id="1000001"), "people[0].user_id must be a positive integer"),
        (_person(user_id=True), "people[0].user_id must be a positive integer"),
        (_person(user_id=0), "people[0].user_id must be a positive integer"),
        (
            _person(role="admin"),
            "people[0].role must be one of partner, facilitator, coordinator, board",
        ),
        (_person(label=""), "people[0].label must not be empty"),
        (_person(label=None), "people[0].label must be a string"),
        (_person(note=5), "people[0].note must be a string"),
        (_person(name="Amina"), "unknown field 'name' in people[0]"),
        (_person(label="x" * 101), "people[0].label is 101 characters long; at most 100"),
        (
            _with(people=[DIRECTORY["people"][0], DIRECTORY["people"][0]]),
            "people[1].user_id 1000001 is listed twice",
        ),
        (_with(invite="JOIN"), "invite must be a JSON object"),
        (_with(invite={"code": "JOIN"}), "invite.link must be a string"),
        (_with(invite={"code": "no spaces", "link": "https://t.me/b?start=x"}), "invite.code"),
        (_with(invite={"code": "JOIN", "link": "http://t.me/b?start=JOIN"}), "https://"),
        (_with(hints="Try /help"), "hints must be a list"),
        (_with(hints=["ok", 3]), "hints[1] must be a string"),
        (_with(hints=["tip"] * 21), "hints has 21 entries; at most 20"),
        (_with(time_zone="UK"), "time_zone 'UK' is not a known time zone"),
        (_with(time_zone=1), "time_zone must be a string"),
    ],
)
async def test_directory_validation(sandbox: SandboxClient, body: Any, description: str) -> None:
    with pytest.raises(SandboxError) as caught:
        await sandbox.request("POST", "/directory", json=body)
    assert caught.value.status == 400
    assert description in caught.value.description
    assert await sandbox.directory() == EMPTY


async def test_directory_needs_a_json_body(web: httpx.AsyncClient) -> None:
    response = await web.post("/control/directory", content=b"{not json")
    assert response.status_code == 400
    assert response.json() == {"ok": False, "description": "request body must be JSON"}
