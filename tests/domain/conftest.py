"""Fixtures for the domain tests: the shipped library, as production loads it."""

from __future__ import annotations

import pytest

from bot.library.catalogue import Library
from bot.library.prompts import PromptSet
from bot.library.timetable import Timetable
from tests.factories import library as shipped_library


@pytest.fixture(scope="session")
def library() -> Library:
    """The shipped briefings, prompt sets and timetable (loading fails on any problem)."""
    return shipped_library()


@pytest.fixture(scope="session")
def prompt_sets(library: Library) -> dict[str, PromptSet]:
    """The shipped prompt sets, by id."""
    return library.prompt_sets


@pytest.fixture(scope="session")
def timetable(library: Library) -> Timetable:
    """The shipped timetable."""
    return library.timetable
