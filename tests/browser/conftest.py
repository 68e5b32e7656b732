"""Browser fixtures: `tandem demo` as a real process, and headless Chromium via Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.demo_process import Demo, start_demo

CHROMIUM = os.environ.get("TANDEM_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    """A demo on free ports, stopped with Ctrl-C afterwards."""
    running = start_demo("--port", "0", "--web-port", "0", cwd=tmp_path)
    yield running
    running.stop()


@contextmanager
def chromium_page(timeout_ms: int = 10_000, **context_options: Any) -> Iterator[Any]:
    """A fresh page in headless Chromium (Debian's, driven by Playwright)."""
    if not Path(CHROMIUM).exists():
        # CI installs Chromium and sets TANDEM_REQUIRE_BROWSER, so there this never skips.
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("TANDEM_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 1100, "height": 900}, **context_options)
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def browser_page() -> Iterator[object]:
    """A fresh page in headless Chromium."""
    with chromium_page() as page:
        yield page


@pytest.fixture(scope="module")
def shared_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """One demo for a whole module: for tests that sign in afresh and don't undo each other."""
    running = start_demo("--port", "0", "--web-port", "0", cwd=tmp_path_factory.mktemp("demo"))
    yield running
    running.stop()
