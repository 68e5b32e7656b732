"""`tandem demo` in a real browser: a new person joins and completes onboarding by clicking."""

from __future__ import annotations

from typing import Any

import pytest

from tests.demo_process import Demo

pytestmark = pytest.mark.browser

ONBOARDING = (
    ("Tell me more", "Your role"),
    ("Next", "How we work together"),
    ("Next", "Payment, expenses and support"),
    ("Next", "What we ask"),
    ("I agree", "Your reflections"),
    ("Yes, keep my answers", "What would you like me to call you?"),
    ("Call me Nadia", "Which time zone"),
    ("UK time", "When should I stay quiet?"),
    ("9pm to 8am (suggested)", "You're all set"),
)


def _last_bot_message(page: Any) -> Any:
    return page.locator('[data-testid="message"][data-from="bot"]').last


def test_a_new_person_joins_and_completes_onboarding_by_clicking(
    demo: Demo, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(demo.chat_url)
    people = page.locator('[data-testid="person"]')
    expect(people.first).to_be_visible()
    names = people.all_inner_texts()
    for name in ("Amina", "Dev", "Margaret", "Tom"):
        assert any(name in entry for entry in names), names

    page.get_by_test_id("new-person").click()
    page.get_by_test_id("new-person-name").fill("Nadia")
    page.get_by_test_id("new-person-create").click()
    page.get_by_test_id("open-invite").click()

    expect(page.locator('[data-testid="message"][data-from="user"]').last).to_contain_text("/start")
    expect(_last_bot_message(page)).to_contain_text("welcome to Tandem")
    expect(_last_bot_message(page)).to_contain_text("Frailty pathway")
    for label, next_screen in ONBOARDING:
        _last_bot_message(page).get_by_test_id("inline-button").filter(has_text=label).click()
        expect(_last_bot_message(page)).to_contain_text(next_screen)
    done = _last_bot_message(page)
    expect(done).to_contain_text("Nadia")
    expect(done.get_by_test_id("inline-button").filter(has_text="What can I do?")).to_be_visible()
    # The buttons of earlier steps were taken away, as Telegram shows after an edit.
    first = page.locator('[data-testid="message"][data-from="bot"]').first
    expect(first.get_by_test_id("inline-button")).to_have_count(0)

    # Typing works too, and the command menu is the one registered for partners.
    page.get_by_test_id("commands-menu").click()
    commands = page.get_by_test_id("command-item").all_inner_texts()
    assert any("/settings" in c for c in commands) and not any("/invite" in c for c in commands)
    page.get_by_test_id("composer-input").fill("/help")
    page.get_by_test_id("composer-send").click()
    expect(_last_bot_message(page)).to_contain_text("How I can help")


def test_an_existing_person_can_be_opened_by_url(demo: Demo, browser_page: Any) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(demo.chat_url)
    person = page.locator('[data-testid="person"]').filter(has_text="Tomasz")
    user_id = person.get_attribute("data-user-id")
    page.goto(f"{demo.chat_url}#user={user_id}")
    expect(_last_bot_message(page)).to_contain_text("You're all set")
    page.get_by_test_id("attach-menu").click()
    page.get_by_test_id("attach-sticker").click()
    expect(_last_bot_message(page)).to_contain_text("Thanks for the sticker")


def test_taken_away_buttons_do_not_mark_messages_edited(demo: Demo, browser_page: Any) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(demo.chat_url)
    person = page.locator('[data-testid="person"]').filter(has_text="Tomasz")
    page.goto(f"{demo.chat_url}#user={person.get_attribute('data-user-id')}")
    expect(_last_bot_message(page)).to_contain_text("You're all set")
    assert page.get_by_test_id("edited").count() == 0
