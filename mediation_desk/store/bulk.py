"""Many synced rows at once: Core ``executemany`` with the same revision stamps and audit rows as an ORM flush.

An ORM flush costs about as much per object as everything else a ledger import does; imports of thousands of
rows (and later, sync merges) gather plain dicts here instead. The rows are inserted table by table in foreign-key
order, each stamped with the next revision of this device, and each insert gets its audit row, in the caller's
transaction: the result is what the ORM path (``store.hooks``) would have written, minus the per-object cost.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.store.hooks import (
    actor_and_operation,
    device_state,
    insert_audit_row,
    next_revision,
    write_audit_rows,
)
from mediation_desk.store.models import Base, DisputeCase, Synced
from mediation_desk.store.types import utcnow


class BulkWriter:
    """Collect rows with ``add``; ``flush`` inserts them. Nothing is read back: callers keep the ids they need."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._objects: dict[str, list[Synced]] = defaultdict(list)
        self._models: dict[str, type[Synced]] = {}

    def add(self, model: type[Synced], values: dict[str, Any]) -> uuid.UUID:
        """Queue one row (column names as keys); returns its id (made here when not given).

        The dict itself is queued: changes the caller makes to it before ``flush`` are inserted.
        """
        table: str = model.__tablename__  # type: ignore[attr-defined]
        values.setdefault("id", uuid.uuid4())
        self._models[table] = model
        self._rows[table].append(values)
        return values["id"]  # type: ignore[no-any-return]

    def add_object(self, obj: Synced) -> uuid.UUID:
        """Queue a transient ORM object (never added to a session); its attributes are read at ``flush``."""
        if obj.id is None:
            obj.id = uuid.uuid4()
        table: str = obj.__tablename__  # type: ignore[attr-defined]
        self._models[table] = type(obj)
        self._objects[table].append(obj)
        return obj.id

    def __len__(self) -> int:
        return sum(len(rows) for rows in self._rows.values()) + sum(len(objs) for objs in self._objects.values())

    def flush(self) -> None:
        """Insert everything queued, parents before children, with revisions and audit rows."""
        for name, objects in self._objects.items():
            self._rows[name].extend(_values(obj) for obj in objects)
        self._objects.clear()
        if not self._rows:
            return
        self.session.flush()  # ORM objects the queued rows may refer to go first
        actor, operation = actor_and_operation(self.session)
        state = device_state(self.session)
        now = datetime.now(UTC)
        created = utcnow()
        audit: list[dict[str, Any]] = []
        for table in Base.metadata.sorted_tables:
            rows = self._rows.pop(table.name, None)
            if not rows:
                continue
            model = self._models[table.name]
            for values in rows:
                case_id = values["id"] if model is DisputeCase else values.get("case_id")
                audit.append(insert_audit_row(actor, operation, table.name, values, case_id, now))
                values["rev_device"], values["rev_seq"], values["rev_hlc"] = next_revision(state, now)
                values.setdefault("created_at", created)
                values.setdefault("updated_at", created)
            for same_keys in _by_keys(rows):
                # Core, not the ORM's bulk insert, which sent rows with a JSON column one statement each
                self.session.connection().execute(sa.insert(table), same_keys)
        self.session.flush()  # the device's sequence number
        write_audit_rows(self.session, audit)
        self._models.clear()


def _values(obj: Synced) -> dict[str, Any]:
    state = sa.inspect(obj).dict
    return {attr.key: state[attr.key] for attr in sa.inspect(type(obj)).column_attrs if attr.key in state}


def _by_keys(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """An executemany needs the same keys in every row; rows that set different columns go in separate batches."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[frozenset(row)].append(row)
    return list(groups.values())
