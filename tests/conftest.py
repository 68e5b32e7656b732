"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL via TEST_DATABASE_URL),
a fake clock, the Bot API sandbox and the real bot running against it."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, make_url, text

from bot.db import Database, create_db_engine, upgrade
from bot.domain import places
from bot.domain.clock import FakeClock


def _worker_url(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (test_gw0, ...),
    created on first use next to the one TEST_DATABASE_URL names; one worker keeps that one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_db_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if exists is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


POSTGRES_URL = _worker_url(os.environ.get("TEST_DATABASE_URL", ""))


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


def _gazetteer_readings_done() -> None:
    """Wait for the place search's background readings (`places.load_soon`) to finish."""
    for reading in [t for t in threading.enumerate() if t.name == "gazetteer"]:
        reading.join(60)


@pytest.fixture
def unread_gazetteer(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """The place search as in a fresh process, its gazetteer not yet read (any reading under
    way, such as a started bot's, finished first); gives the wait for readings begun since."""
    _gazetteer_readings_done()
    monkeypatch.setattr(places, "_loaded", [])
    return _gazetteer_readings_done
