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


def _bot_message_saying(page: Any, words: str) -> Any:
    """A bot message with these words, wherever it is in the chat.

    The demo's scheduled messages (briefings, the pair, the welcome broadcast) arrive on
    their own while a test runs, so the words looked for need not be the last message.
    """
    return page.locator('[data-testid="message"][data-from="bot"]').filter(has_text=words)


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
        expect(_bot_message_saying(page, next_screen).last).to_be_visible()
    # Joining plans her messages, so a briefing may arrive right after this one.
    done = _bot_message_saying(page, "You're all set")
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
    expect(_bot_message_saying(page, "How I can help")).to_have_count(1)


def test_an_existing_person_can_be_opened_by_url(demo: Demo, browser_page: Any) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(demo.chat_url)
    person = page.locator('[data-testid="person"]').filter(has_text="Tomasz")
    user_id = person.get_attribute("data-user-id")
    page.goto(f"{demo.chat_url}#user={user_id}")
    # Tomasz's own history is shown: he finished joining when the demo started.
    expect(_bot_message_saying(page, "You're all set")).to_have_count(1)
    expect(_bot_message_saying(page, "Thanks for the sticker")).to_have_count(0)
    page.get_by_test_id("attach-menu").click()
    page.get_by_test_id("attach-sticker").click()
    expect(_bot_message_saying(page, "Thanks for the sticker")).to_have_count(1)


def test_a_confirmed_choice_is_marked_edited_but_taken_away_buttons_are_not(
    demo: Demo, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    page.goto(demo.chat_url)
    person = page.locator('[data-testid="person"]').filter(has_text="Tomasz")
    page.goto(f"{demo.chat_url}#user={person.get_attribute('data-user-id')}")
    expect(_bot_message_saying(page, "You're all set")).to_have_count(1)
    # A "Next" tap only takes the buttons away: not an edit. A choice is confirmed in the
    # message's words ("✓ I agree"): that is an edit, marked as Telegram marks it.
    steps = _bot_message_saying(page, "How we work together")
    expect(steps).to_have_count(1)
    assert steps.get_by_test_id("edited").count() == 0
    agreed = _bot_message_saying(page, "✓ I agree")
    expect(agreed).to_have_count(1)
    assert agreed.get_by_test_id("edited").count() == 1
