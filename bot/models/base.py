"""Column helpers shared by the tables: UTC timestamps and enums stored as plain text.

Times are stored in UTC (see `UTCDateTime`); each person's own time zone is used only for
planning and display.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back as an aware UTC datetime.

    SQLite keeps no time zone, so values are normalised to naive UTC on the way in and
    marked UTC on the way out; PostgreSQL stores timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Normalise to UTC; naive datetimes are refused, they hide bugs."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Read back as aware UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware and in UTC (the default for created_at columns)."""
    return datetime.now(UTC)


def _ts(*, nullable: bool = True, **kwargs: Any) -> Any:
    """A UTC timestamp column."""
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, **kwargs)
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, **kwargs)


def _enum(enum: type[StrEnum], **kwargs: Any) -> Any:
    """A StrEnum column stored as its plain value in a VARCHAR (no database enum types)."""
    sa_type = SAEnum(
        enum,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )
    return Field(sa_type=sa_type, **kwargs)
