"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL via TEST_DATABASE_URL),
a fake clock, the Bot API sandbox and the real bot running against it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.db import Database, create_db_engine, upgrade
from bot.domain.clock import FakeClock

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")


def _reset_postgres(url: str) -> None:
    engine = create_db_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrate once per test session: a template SQLite file, or the PostgreSQL schema."""
    if POSTGRES_URL:
        _reset_postgres(POSTGRES_URL)
        database = Database(create_db_engine(POSTGRES_URL))
        upgrade(database)
        database.dispose()
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(create_db_engine(f"sqlite:///{path}"))
    upgrade(database)
    database.compact_after_erasure()  # checkpoint the WAL into the main file
    database.dispose()
    return str(path)


@pytest.fixture
def database_url(migrated_template: str, tmp_path: Path) -> str:
    """A migrated, empty database for this test."""
    if POSTGRES_URL:
        engine = create_db_engine(POSTGRES_URL)
        tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return POSTGRES_URL
    path = tmp_path / "tandem.db"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The test's database."""
    database = Database(create_db_engine(database_url))
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """A clock that moves only when the test moves it."""
    return FakeClock()
