"""Many synced rows at once: Core ``executemany`` with the same revisions as an ORM flush, without its per-object cost.

An ORM flush costs about as much per object as everything else a ledger import does; imports of thousands of
rows gather plain dicts here instead. The rows are completed with their columns' defaults (so the revision holds
the full row, as the ORM path records it), inserted table by table in foreign-key order, each stamped with the
next revision of this device, and their revisions appended through ``store.revisions``, the one path the ORM
hooks take too, in the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.store import revisions
from mediation_desk.store.models import Base, Synced
from mediation_desk.store.types import utcnow


class BulkWriter:
    """Collect rows with ``add``; ``flush`` inserts them. Nothing is read back: callers keep the ids they need."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._objects: dict[str, list[Synced]] = defaultdict(list)

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
        changes: list[revisions.Change] = []
        for table, rows in queued:
            complete = _Defaults(table)
            for values in rows:
                complete.fill(values)
                stamp = next(stamps)
                values["rev_device"], values["rev_seq"], values["rev_hlc"] = stamp.device, stamp.seq, stamp.hlc_text
                changes.append(revisions.Change(table.name, values["id"], values, stamp=stamp))
            # Core, not the ORM's bulk insert, which sent rows with a JSON column one statement each
            self.session.connection().execute(sa.insert(table), rows)
        self.session.flush()  # the device's sequence number and clock
        revisions.append(self.session, changes)


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
