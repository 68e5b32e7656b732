"""The database: engine set-up for SQLite and PostgreSQL, transactions, and migrations."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session

if TYPE_CHECKING:
    from alembic.config import Config

# `Session` is the unit of work that `transaction()` yields. Adapters (handlers, dashboard
# routes) name it from here to hand it to domain functions; they never build queries.
__all__ = ["Database", "DatabaseUnavailable", "Session", "create_db_engine", "upgrade"]

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 5000
READ_ONLY = "tandem_read_only"


class DatabaseUnavailable(Exception):
    """The database cannot be reached or opened; the message is one line for the operator."""


def create_db_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and immediate write transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(
                    f"Cannot open the database at {url}: cannot create the folder {folder} "
                    f"({exc.strerror})."
                ) from None
        engine = create_engine(
            parsed, echo=echo, connect_args={"check_same_thread": False, "timeout": 5}
        )
        _configure_sqlite(engine)
        return engine
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, echo=echo, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def _configure_sqlite(engine: Engine) -> None:
    """Pragmas on every connection, and BEGIN IMMEDIATE so writers queue on the busy timeout
    instead of failing when a read transaction tries to upgrade to a write."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Erased personal data must not linger in free pages of the file (see /forget).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Readers (see Database.reading) take no write lock, so a long dashboard query
        # never holds up the bot's writes (WAL lets them run side by side).
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class Database:
    """The engine plus a transaction helper: `with db.transaction() as session: ...`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self._open = threading.local()

    @property
    def is_sqlite(self) -> bool:
        """True when running on SQLite."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on error.

        Transactions never nest: on the bot's event loop a second one opening while the first
        is still open means an `await` happened inside a transaction, which would hold
        SQLite's write lock across network calls and stall every other update.
        """
        if getattr(self._open, "active", False):
            raise RuntimeError("a database transaction is already open on this thread")
        self._open.active = True
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                try:
                    yield session
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        finally:
            self._open.active = False

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading only: on SQLite it takes no write lock, and nothing it
        might have changed is committed. Record audit events in a `transaction()`."""
        if getattr(self._open, "active", False):
            raise RuntimeError("a database transaction is already open on this thread")
        self._open.active = True
        try:
            # Closing (not rolling back) keeps what was read usable after the block; the
            # pool rolls the connection back as it takes it in.
            with Session(self._reader, expire_on_commit=False) as session:
                yield session
        finally:
            self._open.active = False

    def check(self) -> None:
        """Connect once, or raise DatabaseUnavailable with a one-line reason."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseUnavailable(
                f"Cannot open the database at {self.engine.url.render_as_string()}: {reason}"
            ) from None
        except SQLAlchemyError as exc:
            raise DatabaseUnavailable(
                f"Cannot use the database at {self.engine.url.render_as_string()}: {exc}"
            ) from None

    def compact_after_erasure(self) -> None:
        """Make sure erased rows leave no copy on disk (SQLite's write-ahead log keeps old
        page images until a checkpoint truncates it)."""
        if not self.is_sqlite:
            return
        with self.engine.connect() as connection:
            # Outside any transaction: a checkpoint cannot run inside one.
            raw = connection.connection.driver_connection
            assert raw is not None
            # Erased answers leave "deleted" markers in the word search index until its
            # segments are merged; merge now, so their trigrams go with them.
            if raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'answer_words'").fetchone():
                raw.execute("INSERT INTO answer_words(answer_words) VALUES ('optimize')")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


# Word search indexes kept by hand in migration 0005 (an FTS5 table on SQLite, a trigram
# index on PostgreSQL): not in the models, so autogenerate must leave them alone.
SEARCH_INDEXES = ("answer_words", "ix_answer_text_trgm")


def include_object(_obj: Any, name: str | None, _type: str, reflected: bool, _other: Any) -> bool:
    """Alembic's filter: everything except the hand-made word search indexes."""
    return not (reflected and name is not None and name.startswith(SEARCH_INDEXES))


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at the packaged migrations and this engine."""
    from alembic.config import Config

    script_location = resources.files("bot") / "migrations"
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade(db: Database) -> None:
    """Apply every pending migration (none to apply: a quick look, without Alembic)."""
    db.check()
    head = _head_revision()
    if head is not None and _database_revisions(db.engine) == {head}:
        return  # Alembic and its imports cost a second of every start (issue 16)
    from alembic import command

    command.upgrade(alembic_config(db.engine), "head")


_REVISION = re.compile(r"^(down_revision|revision)\b[^=\n]*=\s*(.*?)\s*$", re.MULTILINE)
_QUOTED = re.compile(r"""^(['"])([\w-]+)\1$""")


def _head_revision() -> str | None:
    """The newest migration, read from the migration files' `revision` and `down_revision`
    lines; None when that is not plainly one line of history (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for file in (resources.files("bot") / "migrations" / "versions").iterdir():
        if not file.name.endswith(".py") or file.name.startswith("_"):
            continue
        found = dict(_REVISION.findall(file.read_text(encoding="utf-8")))
        revision, parent = _QUOTED.match(found.get("revision", "")), found.get("down_revision")
        if revision is None or parent is None:
            return None
        revisions.add(revision.group(2))
        if parent != "None":
            if (quoted := _QUOTED.match(parent)) is None:
                return None  # a merge, or something unusual
            parents.add(quoted.group(2))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def _database_revisions(engine: Engine) -> set[str]:
    """The revisions the database says it is at (none when it has never been migrated)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return {str(row[0]) for row in rows}
    except SQLAlchemyError:
        return set()


def schema_revisions(db: Database) -> tuple[str | None, str | None]:
    """(the database's migration revision, the newest this Tandem has): equal when current."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head


def backup_sqlite(db: Database, target: Path) -> int:
    """A consistent copy of a SQLite database while it is in use (SQLite's online backup);
    returns its size in bytes. Written beside the target first, then moved into place."""
    import sqlite3

    source_path = db.engine.url.database
    if not db.is_sqlite or not source_path:
        raise ValueError("only a SQLite database can be copied this way")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source, copy = sqlite3.connect(source_path), sqlite3.connect(partial)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    partial.replace(target)
    return target.stat().st_size


SENDER_LOCK = 0x7A4D3F  # shared by every Tandem process on one database (the planner's is 0x7A4D3E)


class SendingLock:
    """One Telegram budget for the whole deployment: only the process holding this lock
    sends what the outbox holds. On PostgreSQL it is a session advisory lock kept on a
    connection of its own, so it is let go the moment its process dies (the connection
    closes) and another process takes it on its next try; on SQLite there is one process.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._connection: Connection | None = None

    def hold(self) -> tuple[bool, bool]:
        """(whether this process may send now, whether it has only just become the sender)."""
        if self._db.is_sqlite:
            return True, False
        if self._connection is not None:
            try:  # still ours: the connection that holds the lock is alive
                self._connection.exec_driver_sql("SELECT 1")
                return True, False
            except SQLAlchemyError:
                log.warning("lost the connection holding the sending lock")
                self.release()
        connection = self._db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": SENDER_LOCK}
            ).scalar()
        except SQLAlchemyError:
            connection.close()
            return False, False
        if not got:
            connection.close()
            return False, False
        self._connection = connection
        return True, True

    def release(self) -> None:
        """Let another process send (a clean stop)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SENDER_LOCK})
        except SQLAlchemyError:
            pass  # closing the connection lets the lock go anyway
        finally:
            connection.close()
