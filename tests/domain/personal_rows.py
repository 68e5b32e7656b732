"""Rows about a person in every table that can hold them, made from the table metadata alone.

The privacy tests use this to put a row for one person in each such table, then check that
/mydata shows every row and /forget removes (or unsigns) every row. Nothing here lists the
tables: a table added tomorrow is found, filled and checked like the rest, so forgetting to
teach bot/domain/privacy.py about it fails the tests.

Which tables count:
- a column that points at a person: a foreign key to person.id, or an integer column named
  like one (person_id, author_id, ..._by) that someone forgot to give a foreign key;
- a table whose rows belong to such a row (a NOT NULL foreign key to a table whose rows belong
  to a person, such as an answer to a reflection).

A NOT NULL person column says whose row it is (it must show in their export and go when they
are forgotten); a nullable one says who did something to it (it must be cleared, and shows in
the export only for tables that belong to nobody else).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    insert,
    select,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.types import TypeDecorator

from bot.db import Database
from bot.domain.clock import Clock
from bot.domain.privacy import KEPT_AFTER_ERASURE, export_personal_data, forget
from bot.models import Role, UTCDateTime
from tests.factories import make_person

PERSON_TABLE = "person"
_NAMED_LIKE_A_PERSON = re.compile(
    r"(^|_)(person|people|author|actor|subject|owner|user|sender|recipient|member|partner"
    r"|facilitator|coordinator|champion|mentor|mentee|viewer|reviewer|buddy)(_id)?$|_by$"
)


def points_at_person(column: Column[Any]) -> bool:
    """A foreign key to person.id, or an integer column named like one."""
    if any(fk.column.table.name == PERSON_TABLE for fk in column.foreign_keys):
        return True
    named = _NAMED_LIKE_A_PERSON.search(column.name) is not None
    return named and not column.foreign_keys and isinstance(column.type, Integer)


def person_columns(table: Table) -> list[Column[Any]]:
    """The table's columns that point at a person."""
    return [c for c in table.columns if points_at_person(c)]


def owner_link(table: Table, owned: set[str]) -> Column[Any] | None:
    """A NOT NULL foreign key to a table whose rows belong to a person, if any."""
    for column in table.columns:
        for fk in column.foreign_keys:
            if not column.nullable and fk.column.table.name in owned:
                return column
    return None


def personal_tables(tables: list[Table]) -> dict[str, str]:
    """Every table that holds something about a person, and how (for messages)."""
    found: dict[str, str] = {}
    owned: set[str] = set()
    for table in tables:  # sorted by foreign keys: parents first
        if table.name == PERSON_TABLE:
            continue
        columns = person_columns(table)
        link = owner_link(table, owned)
        if columns:
            found[table.name] = ", ".join(c.name for c in columns)
        elif link is not None:
            parent = next(iter(link.foreign_keys)).column.table.name
            found[table.name] = f"{link.name} (rows of a person's {parent})"
        if any(not c.nullable for c in columns) or (not columns and link is not None):
            owned.add(table.name)
    return found


@dataclass
class Case:
    """One row made for the person: where they appear in it, and the values only it holds."""

    table: Table
    via: str  # the column (or the link to its owner row) that ties the row to the person
    key: dict[str, Any]  # its primary key
    theirs: bool  # the row is the person's own, so their export must show it
    unsign: str | None = None  # a nullable person column that must be cleared instead
    evidence: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        return f"{self.table.name}.{self.via}"


class RowMaker:
    """Inserts rows with values made from each column's type; every text and time is unique,
    so finding one in an export proves that row is there."""

    def __init__(self, connection: Connection, target: int, bystander: int) -> None:
        self.connection, self.target, self.bystander = connection, target, bystander
        self.counter = 0

    def value(self, column: Column[Any]) -> tuple[Any, str | None]:
        """A fresh value for the column, and how it reads in JSON (None: not evidence)."""
        self.counter += 1
        kind = column.type
        if isinstance(kind, TypeDecorator) and not isinstance(kind, SAEnum):
            kind = kind.impl_instance  # UTCDateTime is a DateTime, AutoString a String
        if isinstance(kind, SAEnum):
            members = list(kind.enum_class) if kind.enum_class else list(kind.enums)
            return members[0], None
        if isinstance(kind, DateTime):
            moment = datetime(2031, 1, 1, tzinfo=UTC) + timedelta(minutes=self.counter)
            return moment, moment.isoformat()
        if isinstance(kind, Boolean):
            return True, None
        if isinstance(kind, Integer):
            return 7000 + self.counter, None
        if isinstance(kind, Numeric):  # money (issue 18): exact, and not evidence
            return Decimal(self.counter) / 100, None
        if isinstance(kind, LargeBinary):
            return b"pm%05d" % self.counter, None
        if isinstance(kind, String):
            text = f"pm{self.counter:05d}"[: kind.length or 64]
            return text, json.dumps(text)[1:-1]
        raise TypeError(f"cannot make a value for {column} ({kind!r}): teach {__name__}")

    def insert(
        self, table: Table, fixed: dict[str, Any], evidence: set[str], owned: set[str]
    ) -> dict[str, Any]:
        """One row: `fixed` as given, parents made as needed, the rest from the types."""
        values = dict(fixed)
        for column in table.columns:
            automatic = column is table.autoincrement_column
            if column.name in values or column.nullable or automatic:
                continue
            parent = next((fk.column.table for fk in column.foreign_keys), None)
            if parent is not None and parent.name == PERSON_TABLE:
                values[column.name] = self.bystander
            elif parent is not None:
                mine = parent.name in owned
                values[column.name] = self.parent(parent, evidence, owned, mine=mine)
            elif column.default is None or isinstance(column.type, (UTCDateTime, DateTime)):
                values[column.name], shown = self.value(column)
                if shown:
                    evidence.add(shown)
        result = self.connection.execute(insert(table).values(values))
        names = [c.name for c in table.primary_key]
        return dict(zip(names, result.inserted_primary_key or (), strict=True))

    def parent(self, table: Table, evidence: set[str], owned: set[str], *, mine: bool) -> Any:
        """A parent row made for one child: the person's own if the child belongs to them
        through it (its markers then prove nothing about the child), otherwise shared
        reference data such as a cohort (whose markers the export may show for the child)."""
        fixed = {c.name: self.target for c in person_columns(table) if not c.nullable}
        found: set[str] = set()
        key = self.insert(table, fixed if mine else {}, found, owned)
        if not mine:
            evidence |= found
        [value] = key.values()
        return value


def make_cases(
    connection: Connection, tables: list[Table], target: int, bystander: int
) -> list[Case]:
    """Rows tying `target` to every personal table, one for each way a row can."""
    maker = RowMaker(connection, target, bystander)
    owned: set[str] = set()
    cases: list[Case] = []
    for table in tables:
        if table.name == PERSON_TABLE:
            continue
        columns = person_columns(table)
        belongs = any(not c.nullable for c in columns)
        for column in columns:
            evidence: set[str] = set()
            others = {c.name: None if c.nullable else maker.bystander for c in columns}
            key = maker.insert(table, others | {column.name: target}, evidence, owned)
            theirs = not column.nullable or not belongs
            unsign = column.name if column.nullable else None
            cases.append(Case(table, column.name, key, theirs, unsign, evidence))
        link = owner_link(table, owned) if not columns else None
        if link is not None:
            evidence = set()
            key = maker.insert(table, {}, evidence, owned)
            cases.append(Case(table, f"{link.name} (its owner's row)", key, True, None, evidence))
        if belongs or link is not None:
            owned.add(table.name)
    return cases


def still_tied(connection: Connection, case: Case, target: int) -> str | None:
    """Why the row still ties the person to it after erasure, or None."""
    where = [case.table.c[name] == value for name, value in case.key.items()]
    row = connection.execute(select(case.table).where(*where)).mappings().first()
    if row is None:
        return None
    if case.unsign is not None:
        return None if row[case.unsign] != target else f"{case.unsign} still names them"
    return "the row is still there"


@dataclass
class Report:
    """What the privacy code missed, table by table."""

    tables: dict[str, str]  # every personal table found, and its person columns
    not_exported: list[str]
    not_erased: list[str]


def check_privacy(db: Database, clock: Clock, tables: list[Table]) -> Report:
    """Fill every personal table for one person, export their data, forget them, and report
    each row the export did not show and each row erasure left tied to them."""
    target = make_person(db, clock, None, Role.COORDINATOR, name="Rowan")
    bystander = make_person(db, clock, None, Role.COORDINATOR, name="Sam")
    with db.transaction() as session:
        cases = make_cases(session.connection(), tables, target, bystander)
    with db.transaction() as session:
        export = json.dumps(export_personal_data(session, person_id=target, clock=clock))
    not_exported = [
        f"{case}: none of {sorted(case.evidence)} is in the export"
        for case in cases
        if case.theirs and not any(shown in export for shown in case.evidence)
    ]
    with db.transaction() as session:
        forget(session, person_id=target, clock=clock)
    not_erased = []
    with db.reading() as session:
        for case in cases:
            if case.table.name not in KEPT_AFTER_ERASURE:
                why = still_tied(session.connection(), case, target)
                if why:
                    not_erased.append(f"{case}: {why}")
    return Report(personal_tables(tables), not_exported, not_erased)
