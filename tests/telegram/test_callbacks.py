"""Every button's payload is named once (bot/telegram/callbacks.py): prefixes are unique, no
registered pattern answers another kind's button, and what a button carries comes back
exactly as it was put in, within Telegram's 64 bytes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.library.paths import PROJECT_ROOT
from bot.telegram import callbacks
from bot.telegram.app import BUTTONS
from bot.telegram.callbacks import CALLBACK_DATA_LIMIT, Kind

KINDS = callbacks.every_kind()


def sample(kind: Kind) -> tuple[Any, ...]:
    """Values of the right types for a kind's fields."""
    return tuple(
        4321 if field is int else field[0] if isinstance(field, tuple) else "text"
        for field in kind.fields
    )


def test_every_prefix_is_unique() -> None:
    prefixes = [kind.prefix for kind in KINDS.values()]
    assert len(prefixes) == len(set(prefixes))


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_button_reads_back_what_it_was_given_and_only_its_own_pattern_matches(name: str) -> None:
    kind = KINDS[name]
    values = sample(kind)
    data = kind(*values)
    assert kind.parse(data) == values
    matching = [other for other, k in KINDS.items() if re.match(k.pattern, data)]
    assert matching == [name], f"{data!r} is matched by {matching}"
    readers = [other for other, k in KINDS.items() if k.parse(data) is not None]
    assert readers == [name]


def test_the_app_registers_every_kind_once_with_its_own_pattern_first() -> None:
    routed = [route.kind for route in BUTTONS]
    assert sorted(k.prefix for k in routed) == sorted(k.prefix for k in KINDS.values())
    for kind in KINDS.values():
        data = kind(*sample(kind))
        first = next(route for route in BUTTONS if re.match(route.kind.pattern, data))
        assert first.kind == kind, f"{data!r} would reach the handler for {first.kind.prefix}"


def test_long_text_is_cut_to_telegrams_limit_without_breaking_a_character() -> None:
    data = callbacks.TERM("é" * 60)
    assert len(data.encode()) <= CALLBACK_DATA_LIMIT
    term = callbacks.TERM.parse(data)
    assert term is not None and set(term[0]) == {"é"} and len(term[0]) == 31
    text = callbacks.TERM_ASK("integrated care boards and partnerships, explained")
    assert len(text.encode()) <= CALLBACK_DATA_LIMIT


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (callbacks.RSVP, "rsvp:12"),  # a field missing
        (callbacks.RSVP, "rsvp:twelve:yes"),  # not a number
        (callbacks.CALENDAR, "cal:12:extra"),  # a field too many
        (callbacks.HELP, "help:now"),
        (callbacks.BROADCAST_AT, "bc:at:"),
        (callbacks.REVIEW_FLAG, "rf:1:x:a"),
        (callbacks.CALENDAR, "cal:-1"),  # no id is negative
        (callbacks.CALENDAR, "cal:2147483648"),  # more than PostgreSQL's integer holds
        (callbacks.CALENDAR, "cal:9223372036854775808"),
        (callbacks.CALENDAR, "cal:"),
        (callbacks.FORGET, "forget:maybe:1765000000"),  # a choice not offered
        (callbacks.RSVP, "rsvp:12:perhaps"),
        (callbacks.PAIR_NUDGES, "pr:nudges:"),
    ],
)
def test_data_that_does_not_fit_its_kind_is_not_read(kind: Kind, data: str) -> None:
    assert kind.parse(data) is None


def test_a_value_of_the_wrong_type_cannot_make_a_button() -> None:
    with pytest.raises(TypeError):
        callbacks.CALENDAR("12")
    with pytest.raises(TypeError):
        callbacks.RSVP(12, "yes", "no")
    with pytest.raises(TypeError):
        callbacks.RSVP(12, "maybe")
    with pytest.raises(ValueError, match="colon"):
        callbacks.FLOW_CHOICE("onboarding", "a:b", "yes")
    assert callbacks.CALENDAR.parse(callbacks.CALENDAR(2**31 - 1)) == (2**31 - 1,)


def test_every_action_a_notice_may_carry_is_a_kind_with_a_handler() -> None:
    routed = {route.kind.prefix for route in BUTTONS}
    assert {kind.prefix for kind in callbacks.ACTIONS.values()} <= routed


def test_every_action_the_domain_names_has_a_button() -> None:
    """The domain names actions on notices it queues (it cannot import the adapter); each
    must be one the dispatcher can turn into a button."""
    named = re.compile(r"\(\s*\"[a-z_.]+\",\s*\"([a-z]+\.[a-z_]+)\",\s*\(")
    actions = {
        match.group(1)
        for path in (PROJECT_ROOT / "bot" / "domain").rglob("*.py")
        for match in named.finditer(path.read_text(encoding="utf-8"))
    }
    assert {"question.reply", "pair.write"} <= actions  # the scan itself works
    assert actions <= set(callbacks.ACTIONS)
