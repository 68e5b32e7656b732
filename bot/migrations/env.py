"""Alembic environment: runs migrations on the engine handed over by bot.db.upgrade."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import bot.models  # noqa: F401  (registers every table on SQLModel.metadata)
from bot.db import include_object

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    """Run online against the given engine (or one built from sqlalchemy.url)."""
    engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url")
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
