"""The Alembic history builds exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import bot.models  # noqa: F401
from bot.db import Database, include_object


def test_migrations_match_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_every_table_exists(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "person",
        "cohort",
        "membership",
        "invite",
        "consentrecord",
        "conversationstate",
        "processedupdate",
        "botstate",
        "auditevent",
        "alembic_version",
    } <= tables


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db: Database) -> None:
    if not db.is_sqlite:
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_only_one_process_holds_the_sending_lock_and_a_stop_lets_another_take_it(
    db: Database,
) -> None:
    from bot.db import Database as Db
    from bot.db import SendingLock, create_db_engine

    first = SendingLock(db)
    assert first.hold() == (True, not db.is_sqlite)
    if db.is_sqlite:  # one process: nothing to share
        assert SendingLock(db).hold() == (True, False)
        return
    other_process = Db(create_db_engine(str(db.engine.url.render_as_string(hide_password=False))))
    second = SendingLock(other_process)
    assert second.hold() == (False, False), "only one sends"
    assert first.hold() == (True, False), "still the sender"
    first.release()
    assert second.hold() == (True, True), "the other takes over"
    second.release()
    other_process.dispose()
