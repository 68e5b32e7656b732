"""Small SQL helpers the use cases share: dialect-aware inserts for single-statement upserts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert


def insert_for_dialect(dialect: str, model: Any) -> Any:
    """An INSERT for `model` with ON CONFLICT support, for the named dialect."""
    return (sqlite_insert if dialect == "sqlite" else pg_insert)(model)
