"""Many synced rows at once: ``executemany`` with the same rows and revisions as an ORM flush, without its
per-object and per-row parameter cost.

An ORM flush costs about as much per object as everything else a ledger import does; imports of thousands of
rows gather plain dicts here instead. The rows are completed with their columns' defaults (so the revision holds
the full row, as the ORM path records it), inserted table by table in foreign-key order, each stamped with the
next revision of this device, and their revisions appended in the caller's transaction, under the transaction's
one change set (``store.revisions.change_set``).

Each value goes through its column type's own bind processor (so encrypted columns are encrypted by
``security.columns`` and the revision's sealed fields by its ``data`` type, the one seam), computed once per
table, not per row; on SQLite the bound tuples go straight to the driver's ``executemany``, and the blind index is
set as ``security.binding`` sets it for any statement. A revision's canonical JSON is made with the converters of
``canonical.plain`` chosen by each value's type (``revision_text``: the very text ``revisions.row_data`` and
``canonical.dumps_plain`` give).
"""

from __future__ import annotations

import functools
import json
import operator
import unicodedata
import uuid
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain import canonical
from mediation_desk.security import binding
from mediation_desk.security.fields import ENCRYPTED_COLUMNS, INDEX_COLUMN, INDEXED_COLUMN
from mediation_desk.store import revisions
from mediation_desk.store.models import Base, Revision, Synced
from mediation_desk.store.types import UTCDateTime, utcnow

Bind = Callable[[Any], Any]


CACHE_KIB = 64 * 1024  # SQLite's page cache while a bulk write runs (its default is 2 MiB)


@contextmanager
def page_cache(session: Session, kib: int = CACHE_KIB) -> Iterator[None]:
    """A larger SQLite page cache for the connection while many rows go in, then the one it had.

    Rows keyed by random UUIDs touch pages all over their tables and indexes; with the default cache SQLite spills
    dirty pages to the write-ahead log long before the commit and reads them back, writing the same pages many
    times. Other databases are left as they are.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before if before is not None else -2000)}")


class BulkWriter:
    """Collect rows with ``add``; ``flush`` inserts them. Nothing is read back: callers keep the ids they need."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._objects: dict[str, list[Synced]] = defaultdict(list)
        self._plans: dict[str, _Plan] = {}

    def add(self, model: type[Synced], values: dict[str, Any]) -> uuid.UUID:
        """Queue one row (column names as keys); returns its id (made here when not given).

        The dict itself is queued: changes the caller makes to it before ``flush`` are inserted.
        """
        table: str = model.__tablename__  # type: ignore[attr-defined]
        values.setdefault("id", uuid.uuid4())
        self._rows[table].append(values)
        return values["id"]  # type: ignore[no-any-return]

    def add_object(self, obj: Synced) -> uuid.UUID:
        """Queue a transient ORM object (never added to a session); its attributes are read at ``flush``."""
        if obj.id is None:
            obj.id = uuid.uuid4()
        table: str = obj.__tablename__  # type: ignore[attr-defined]
        self._objects[table].append(obj)
        return obj.id

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._rows.values()) + sum(len(objs) for objs in self._objects.values())

    def flush(self) -> None:
        """Insert everything queued, parents before children, each row with its revision."""
        for name, objects in self._objects.items():
            self._rows[name].extend(_values(obj) for obj in objects)
        self._objects.clear()
        if not self._rows:
            return
        self.session.flush()  # ORM objects the queued rows may refer to go first
        tables = [table for table in Base.metadata.sorted_tables if self._rows.get(table.name)]
        queued = [(table, self._rows.pop(table.name)) for table in tables]
        stamps = iter(revisions.stamp(self.session, sum(len(rows) for _table, rows in queued)))
        connection = self.session.connection()
        change_id = revisions.change_set(self.session)
        logged: list[dict[str, Any]] = []
        for table, rows in queued:
            complete = _Defaults(table)
            sealed = _SEALED.get(table.name, ())
            for values in rows:
                complete.fill(values)
                stamp = next(stamps)
                values["rev_device"], values["rev_seq"], values["rev_hlc"] = stamp.device, stamp.seq, stamp.hlc_text
                record_id = values["id"]
                device = str(stamp.device)
                logged.append(
                    {
                        "origin_device": stamp.device,
                        "origin_seq": stamp.seq,
                        "table_name": table.name,
                        "record_id": record_id,
                        "vv": f'{{"{device}":{stamp.seq}}}',  # canonical JSON of {device: seq}
                        "hlc": stamp.hlc,
                        "deleted": False,
                        "data": revision_text(table.name, values),
                        "signature": None,
                        "case_id": record_id if table.name == "dispute_case" else values.get("case_id"),
                        "change_id": change_id,
                        _PLAIN: not any(values.get(name) for name in sealed),
                    }
                )
            self._insert(connection, table, rows)
        self.session.flush()  # the device's sequence number and clock
        self._insert(connection, Base.metadata.tables[Revision.__tablename__], logged)

    def _insert(self, connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        """One ``executemany``: bound here, once per table, and sent to the driver as it is (SQLite), or through
        Core (other drivers, whose paramstyle this does not write)."""
        if connection.dialect.paramstyle != "qmark":
            for row in rows:
                row.pop(_PLAIN, None)
            # Core, not the ORM's bulk insert, which sent rows with a JSON column one statement each
            connection.execute(sa.insert(table), rows)
            return
        plan = self._plans.get(table.name)
        if plan is None:
            plan = self._plans[table.name] = _Plan(table, connection.dialect)
        connection.exec_driver_sql(plan.statement, plan.bound(connection, rows))


_PLANS: weakref.WeakKeyDictionary[sa.Dialect, dict[str, _Plan]] = weakref.WeakKeyDictionary()


def insert_many(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (column names as keys) in one ``executemany``, each value bound as Core binds it (sealed
    and encrypted columns too, the blind index set); on SQLite the bound tuples go straight to the driver. A row
    that leaves a column out gets the column's default (or NULL), as an INSERT through Core does. The rows may
    be completed in place."""
    if not rows:
        return
    if connection.dialect.paramstyle != "qmark":
        connection.execute(sa.insert(table), rows)
        return
    plans = _PLANS.setdefault(connection.dialect, {})  # the binds belong to one engine's dialect (its key)
    plan = plans.get(table.name)
    if plan is None:
        plan = plans[table.name] = _Plan(table, connection.dialect)
    connection.exec_driver_sql(plan.statement, plan.bound(connection, rows))


class _Defaults:
    """A table's client-side column defaults, applied to rows that leave those columns out."""

    def __init__(self, table: sa.Table) -> None:
        self.now = utcnow()
        self.scalars: dict[str, Any] = {}
        self.callables: dict[str, Any] = {}
        self.empty: list[str] = []
        for column in table.columns:
            default = column.default
            if column.name in ("created_at", "updated_at"):
                continue
            if default is None:
                self.empty.append(column.name)
            elif getattr(default, "is_scalar", False):
                self.scalars[column.name] = default.arg  # type: ignore[attr-defined]
            elif getattr(default, "is_callable", False):
                self.callables[column.name] = default.arg  # type: ignore[attr-defined]

    def fill(self, values: dict[str, Any]) -> None:
        values.setdefault("created_at", self.now)
        values.setdefault("updated_at", values["created_at"])
        for name, value in self.scalars.items():
            values.setdefault(name, value)
        for name, make in self.callables.items():
            if name not in values:
                values[name] = make(None)
        for name in self.empty:
            values.setdefault(name, None)


def _values(obj: Synced) -> dict[str, Any]:
    state = sa.inspect(obj).dict
    return {attr.key: state[attr.key] for attr in sa.inspect(type(obj)).column_attrs if attr.key in state}


# ---------------------------------------------------------------------------------------------------------------
# Bound rows


_SEALED = {name: tuple(columns) for name, columns in ENCRYPTED_COLUMNS.items()}
_PLAIN = "bulk.plain"  # a revision's key: its row holds no value to seal, so its text is stored as it is
_INDEXED = frozenset(name for name, columns in ENCRYPTED_COLUMNS.items() if INDEXED_COLUMN in columns)


class _Plan:
    """A table's INSERT with every column (the primary key too unless the database numbers it) and each column's
    bind processor, as Core would apply them."""

    def __init__(self, table: sa.Table, dialect: sa.Dialect) -> None:
        numbered = {column.name for column in table.primary_key.columns if isinstance(column.type, sa.Integer)}
        self.columns = [column.name for column in table.columns if column.name not in numbered]
        self.indexed = table.name in _INDEXED
        self.binds: list[Bind | None] = [
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in self.columns
        ]
        # the timestamps of a flush are mostly one instant: bound once
        self.instants = {
            index for index, name in enumerate(self.columns) if isinstance(table.c[name].type, UTCDateTime)
        }
        quote = dialect.identifier_preparer.quote
        self.statement = (
            f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
            f"({', '.join(quote(name) for name in self.columns)}) VALUES ({', '.join('?' for _ in self.columns)})"
        )
        self.data = self.columns.index("data") if table.name == Revision.__tablename__ else -1
        self.table = table

    def bound(self, connection: sa.Connection, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        if self.indexed:
            for row in rows:
                number = row.get(INDEXED_COLUMN)
                row[INDEX_COLUMN] = binding.blind_index(connection, number) if number else None
        binds = [
            (index, _remembered(bind) if index in self.instants else bind)
            for index, bind in enumerate(self.binds)
            if bind is not None
        ]
        plain = [(index, bind) for index, bind in binds if index != self.data]  # nothing in the text to seal
        take = operator.itemgetter(*self.columns)
        defaults: _Defaults | None = None
        bound = []
        for row in rows:
            try:
                values = list(take(row))
            except KeyError:  # a column left out: its default, else NULL, as Core fills it
                defaults = defaults or _Defaults(self.table)
                defaults.fill(row)
                values = [row.get(name) for name in self.columns]
            for index, bind in plain if row.get(_PLAIN) else binds:
                values[index] = bind(values[index])
            bound.append(tuple(values))
        return bound


def _remembered(bind: Bind) -> Bind:
    known: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        found = known.get(value, _MISSING)
        if found is _MISSING:
            found = known[value] = bind(value)
        return found

    return remembered


_MISSING = object()


# ---------------------------------------------------------------------------------------------------------------
# Canonical JSON, fast


def _text(value: str) -> str:
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def _same(value: Any) -> Any:
    return value


_CONVERT: dict[type, Callable[[Any], canonical.JSONValue]] = {
    str: _text,
    int: _same,
    bool: _same,
    type(None): _same,
    uuid.UUID: str,
    date: date.isoformat,
    datetime: functools.lru_cache(maxsize=64)(canonical.datetime_text),  # a flush's rows share their timestamps
}
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _convert(kind: type) -> Callable[[Any], canonical.JSONValue]:
    """``canonical.plain`` for values of exactly this type (an enumeration by its value), found once per type."""
    found = _CONVERT.get(kind)
    if found is None:
        if issubclass(kind, Enum):
            found = _CONVERT[kind] = lambda value: canonical.plain(value.value)
        else:
            return canonical.plain
    return found


def revision_text(table: str, row: dict[str, Any]) -> str:
    """``canonical.dumps_plain(revisions.row_data(table, row))``, with each value converted by its type."""
    plan = _text_plan(table)
    try:
        data = dict(zip(plan.columns, plan.take(row), strict=True))
    except KeyError:  # a row that leaves columns out: they are null
        data = {name: row.get(name) for name in plan.columns}
    for name in plan.columns:
        value = data[name]
        kind = type(value)
        if kind is str:
            if not unicodedata.is_normalized("NFC", value):
                data[name] = unicodedata.normalize("NFC", value)
        elif kind is not int and kind is not bool and value is not None:
            data[name] = (_CONVERT.get(kind) or _convert(kind))(value)
    return _ENCODER.encode(data)


@dataclass(frozen=True, slots=True)
class _TextPlan:
    columns: tuple[str, ...]
    take: Callable[[dict[str, Any]], tuple[Any, ...]]


@functools.cache
def _text_plan(table: str) -> _TextPlan:
    columns = _row_columns(table)
    getter = operator.itemgetter(*columns)
    return _TextPlan(columns, getter if len(columns) > 1 else lambda row: (getter(row),))


@functools.cache
def _row_columns(table: str) -> tuple[str, ...]:
    """The columns of a revision's row, as ``revisions.row_data`` takes them."""
    local = revisions.LOCAL_COLUMNS
    return tuple(column.name for column in Base.metadata.tables[table].columns if column.name not in local)
