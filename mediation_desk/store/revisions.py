"""The revision log's one write path (SYNC.md "Revisions and merge"), used by ORM flushes and bulk writes alike.

A change is described by a ``Change`` (which table and record, the full row after it or nothing for a deletion,
and the revision the record had before). ``stamp`` gives each change this device's next sequence number and
hybrid-logical-clock tick; ``append`` turns the stamped changes into revision rows (version vector, canonical
JSON, the change set that says who did it) and writes them with one ``executemany`` in the caller's
transaction. A change of a record that has an open sync conflict (``sync_conflict``) starts from the join of all
its leaves, so it supersedes every branch it was made over, and closes the conflict. ``apply_revisions`` is the
other direction: revisions that came from elsewhere are written as they are, never restamped with this desk's
identity, and the rows they describe are brought up to date.

At rest a revision's identity and phone numbers are sealed with the desk's data key: the ``revision.data`` column
type seals them when a revision is stored and unseals them when it is read (``security.fields``
``seal_revision_data`` and ``unseal_revision_data``, the one seam). Everything here, ``revision_bytes``,
``IncomingRevision.of`` and the history, therefore sees the canonical row as it was made, and a revision applied
from elsewhere is sealed with this desk's key as it is stored. A row's blind index is this desk's own (it is
keyed by the desk's data key): it never enters a revision, and the engine recomputes it when a row is written.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from mediation_desk.domain import canonical, hlc
from mediation_desk.security.fields import INDEX_COLUMN
from mediation_desk.store.models import AuditEvent, Base, DeviceState, Revision
from mediation_desk.store.sync_models import SyncConflict

REVISION_DOMAIN = b"mediation-desk/revision/v1\n"
REVISION_COLUMNS = frozenset({"rev_device", "rev_seq", "rev_hlc"})
LOCAL_COLUMNS = REVISION_COLUMNS | {INDEX_COLUMN}  # columns that are this desk's own and never travel
_CHANGE_SET = "revisions.change_set"


@dataclass(frozen=True, slots=True)
class Stamp:
    device: uuid.UUID
    seq: int
    hlc: int

    @property
    def hlc_text(self) -> str:
        return hlc.text(self.hlc)


@dataclass(slots=True)
class Change:
    """One record's change: ``row`` is its full set of columns after the change, ``None`` when it was deleted."""

    table: str
    record_id: uuid.UUID
    row: dict[str, Any] | None
    previous: tuple[uuid.UUID, int] | None = None  # the (device, seq) of the revision it had before
    stamp: Stamp | None = None


# ---------------------------------------------------------------------------------------------------------------
# This device


def device_state(session: Session) -> DeviceState:
    """This desk's device row, made on first use."""
    with session.no_autoflush:
        state = session.get(DeviceState, 1)
        if state is None:  # made earlier in this transaction and not flushed yet?
            state = next((obj for obj in session.new if isinstance(obj, DeviceState)), None)
        if state is None:
            state = DeviceState(id=1, device_id=uuid.uuid4(), last_seq=0, hlc=0)
            session.add(state)
    return state


def stamp(session: Session, count: int, now: datetime | None = None) -> list[Stamp]:
    """The next ``count`` revisions of this device: sequence numbers never reused, clock ticks never repeated."""
    state = device_state(session)
    when = now or datetime.now(UTC)
    clock = state.hlc or 0
    first = state.last_seq + 1
    stamps = []
    for seq in range(first, first + count):
        clock = hlc.tick(clock, when)
        stamps.append(Stamp(state.device_id, seq, clock))
    state.last_seq = first + count - 1
    state.hlc = clock
    return stamps


def observe_clock(session: Session, remote: int, now: datetime | None = None) -> None:
    """Move this desk's clock past a remote revision's (clamped: a clock far in the future drags nothing)."""
    state = device_state(session)
    state.hlc = hlc.observe(state.hlc or 0, remote, now or datetime.now(UTC))


# ---------------------------------------------------------------------------------------------------------------
# Rows as canonical data and back


def row_data(table: str, row: dict[str, Any]) -> dict[str, canonical.JSONValue]:
    """The canonical form of a row: every column but the revision stamps and the blind index, as JSON values."""
    plain = canonical.plain
    return {name: plain(row.get(name)) for name in _row_columns(table)}


@functools.cache
def _row_columns(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in Base.metadata.tables[table].columns if c.name not in LOCAL_COLUMNS)


def decode_row(table: str, data: dict[str, Any]) -> dict[str, Any]:
    """A revision's ``data`` as column values for an insert or update (the inverse of ``row_data``)."""
    columns = Base.metadata.tables[table].columns
    return {name: _decode(columns[name].type, value) for name, value in data.items() if name in columns}


def _decode(kind: sa.types.TypeEngine[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, sa.Uuid):
        return uuid.UUID(value)
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    if isinstance(kind, sa.DateTime):
        return canonical.parse_datetime(value)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(value)
    return value


def revision_bytes(revision: Revision) -> bytes:
    """The domain-separated canonical bytes of a revision: what its origin signs and every desk verifies."""
    body = {
        "origin_device": str(revision.origin_device),
        "origin_seq": revision.origin_seq,
        "table": revision.table_name,
        "record_id": str(revision.record_id),
        "vv": json.loads(revision.vv),
        "hlc": revision.hlc,
        "deleted": revision.deleted,
        "data": json.loads(revision.data),
    }
    return REVISION_DOMAIN + canonical.canonical_bytes(body)


# ---------------------------------------------------------------------------------------------------------------
# Writing this desk's revisions


def change_set(session: Session, when: datetime | None = None) -> int:
    """The ``audit_event`` row of the current transaction (who is acting, doing what), made on first use."""
    found = session.info.get(_CHANGE_SET)
    if found is not None:
        return int(found)
    values = {
        "at": when or datetime.now(UTC),
        "actor": str(session.info.get("actor", "system")),
        "operation": str(session.info.get("operation", "")),
        "details": {},
    }
    result = session.connection().execute(sa.insert(AuditEvent).values(**values))
    primary_key = result.inserted_primary_key
    assert primary_key is not None
    key = int(primary_key[0])
    session.info[_CHANGE_SET] = key
    return key


def forget_change_set(session: Session) -> None:
    """Called when a transaction ends: the next one records its own change set."""
    session.info.pop(_CHANGE_SET, None)


def _previous_vectors(session: Session, changes: Sequence[Change]) -> dict[tuple[uuid.UUID, int], dict[str, int]]:
    wanted = {change.previous for change in changes if change.previous is not None}
    found: dict[tuple[uuid.UUID, int], dict[str, int]] = {}
    keys = sorted(wanted, key=lambda key: (str(key[0]), key[1]))
    for start in range(0, len(keys), 400):
        chunk = keys[start : start + 400]
        rows = session.execute(
            sa.select(Revision.origin_device, Revision.origin_seq, Revision.vv).where(
                sa.tuple_(Revision.origin_device, Revision.origin_seq).in_(chunk)
            )
        )
        for device, seq, vv in rows:
            found[(device, seq)] = json.loads(vv)
    for key in wanted - found.keys():  # a stamp with no revision behind it: the vector is the stamp itself
        found[key] = {str(key[0]): key[1]}
    return found


def _open_conflicts(session: Session, changes: Sequence[Change]) -> dict[tuple[str, uuid.UUID], tuple[int, list[str]]]:
    """The open conflicts (``sync_conflict``) of the records ``changes`` edit or delete: id and leaf keys."""
    records = {(change.table, change.record_id) for change in changes if change.previous is not None}
    found: dict[tuple[str, uuid.UUID], tuple[int, list[str]]] = {}
    ids = sorted({record_id for _table, record_id in records}, key=str)
    tables = sorted({table for table, _record_id in records})
    for start in range(0, len(ids), 400):
        rows = session.execute(
            sa.select(SyncConflict.id, SyncConflict.table_name, SyncConflict.record_id, SyncConflict.leaves).where(
                SyncConflict.table_name.in_(tables),
                SyncConflict.record_id.in_(ids[start : start + 400]),
                SyncConflict.closed_at.is_(None),
            )
        )
        for conflict_id, table, record_id, leaves in rows:
            if (table, record_id) in records:
                found[(table, record_id)] = (conflict_id, json.loads(leaves))
    return found


def _joined_vectors(
    session: Session, changes: Sequence[Change], vectors: dict[tuple[uuid.UUID, int], dict[str, int]]
) -> dict[tuple[str, uuid.UUID], dict[str, int]]:
    """For a record in conflict, the vector a local change starts from: the join of all its leaves (SYNC.md), so
    that the change supersedes every branch it was made over and none is dropped unseen. The change closes the
    conflict."""
    conflicts = _open_conflicts(session, changes)
    if not conflicts:
        return {}
    keys = {_leaf_key(key) for _id, leaves in conflicts.values() for key in leaves}
    leaf_vectors = _previous_vectors(session, [Change("", uuid.UUID(int=0), None, key) for key in keys])
    joined: dict[tuple[str, uuid.UUID], dict[str, int]] = {}
    for change in changes:
        record = (change.table, change.record_id)
        if record not in conflicts or change.previous is None or record in joined:
            continue
        conflict_id, leaves = conflicts[record]
        vector = dict(vectors[change.previous])
        for key in leaves:
            for device, seq in leaf_vectors[_leaf_key(key)].items():
                vector[device] = max(vector.get(device, 0), seq)
        joined[record] = vector
        assert change.stamp is not None
        session.connection().execute(
            sa.update(SyncConflict)
            .where(SyncConflict.id == conflict_id)
            .values(closed_at=datetime.now(UTC), closed_by=f"{change.stamp.device}:{change.stamp.seq}")
        )
    return joined


def _leaf_key(text: str) -> tuple[uuid.UUID, int]:
    device, _, seq = text.rpartition(":")
    return uuid.UUID(device), int(seq)


def _case_of(table: str, record_id: uuid.UUID, row: dict[str, Any] | None, known: uuid.UUID | None) -> Any:
    if table == "dispute_case":
        return record_id
    if row is not None and "case_id" in row:
        return row["case_id"]
    return known


def append(session: Session, changes: Sequence[Change], *, case_ids: dict[uuid.UUID, uuid.UUID] | None = None) -> None:
    """Write the revisions of stamped ``changes`` (one ``executemany``), in the caller's transaction."""
    if not changes:
        return
    vectors = _previous_vectors(session, changes)
    joined = _joined_vectors(session, changes, vectors)
    change_id = change_set(session)
    rows = []
    for change in changes:
        assert change.stamp is not None
        vector = dict(vectors[change.previous]) if change.previous is not None else {}
        vector.update(joined.get((change.table, change.record_id), {}))
        device = str(change.stamp.device)
        vector[device] = max(vector.get(device, 0), change.stamp.seq)
        deleted = change.row is None
        rows.append(
            {
                "origin_device": change.stamp.device,
                "origin_seq": change.stamp.seq,
                "table_name": change.table,
                "record_id": change.record_id,
                "vv": canonical.dumps(vector),
                "hlc": change.stamp.hlc,
                "deleted": deleted,
                "data": "{}" if change.row is None else canonical.dumps_plain(row_data(change.table, change.row)),
                "signature": None,
                "case_id": _case_of(change.table, change.record_id, change.row, (case_ids or {}).get(change.record_id)),
                "change_id": change_id,
            }
        )
    session.connection().execute(sa.insert(Revision), rows)


# ---------------------------------------------------------------------------------------------------------------
# Applying revisions made elsewhere (or replaying a log)


@dataclass(frozen=True, slots=True)
class IncomingRevision:
    origin_device: uuid.UUID
    origin_seq: int
    table_name: str
    record_id: uuid.UUID
    vv: str
    hlc: int
    deleted: bool
    data: str
    signature: bytes | None = None

    @classmethod
    def of(cls, revision: Revision) -> IncomingRevision:
        return cls(
            revision.origin_device,
            revision.origin_seq,
            revision.table_name,
            revision.record_id,
            revision.vv,
            revision.hlc,
            revision.deleted,
            revision.data,
            revision.signature,
        )


def apply_revisions(session: Session, incoming: Iterable[IncomingRevision]) -> int:
    """Write revisions as they came (their origin's identity and clock kept) and fast-forward the rows they name.

    Within the batch, each record ends at its last revision in the order given; records are written parents
    first (tables in foreign-key order, a table's own tree top-down) and deleted children first. Deciding which
    revisions win when devices edited a record concurrently is the merge's job; this only applies. Returns the
    number of revisions written.
    """
    batch = list(incoming)
    if not batch:
        return 0
    change_id = change_set(session)
    session.connection().execute(
        sa.insert(Revision),
        [{**_revision_values(item), "case_id": _incoming_case(item), "change_id": change_id} for item in batch],
    )
    latest: dict[tuple[str, uuid.UUID], IncomingRevision] = {}
    for item in batch:
        latest[(item.table_name, item.record_id)] = item
    _write_rows(session, list(latest.values()))
    observe_clock(session, max(item.hlc for item in batch))
    return len(batch)


def _revision_values(item: IncomingRevision) -> dict[str, Any]:
    return {
        "origin_device": item.origin_device,
        "origin_seq": item.origin_seq,
        "table_name": item.table_name,
        "record_id": item.record_id,
        "vv": item.vv,
        "hlc": item.hlc,
        "deleted": item.deleted,
        "data": item.data,
        "signature": item.signature,
    }


def _incoming_case(item: IncomingRevision) -> uuid.UUID | None:
    if item.table_name == "dispute_case":
        return item.record_id
    value = json.loads(item.data).get("case_id")
    return uuid.UUID(value) if value else None


def _write_rows(session: Session, latest: list[IncomingRevision]) -> None:
    connection = session.connection()
    by_table: dict[str, list[IncomingRevision]] = {}
    for item in latest:
        by_table.setdefault(item.table_name, []).append(item)
    ordered = [table for table in Base.metadata.sorted_tables if table.name in by_table]
    for table in reversed(ordered):
        gone = [item.record_id for item in by_table[table.name] if item.deleted]
        if gone:
            connection.execute(sa.delete(table).where(table.c.id.in_(gone)))
    for table in ordered:
        rows = [_current_row(item) for item in by_table[table.name] if not item.deleted]
        if not rows:
            continue
        present = set(connection.scalars(sa.select(table.c.id).where(table.c.id.in_([row["id"] for row in rows]))))
        # values as parameters, so that the engine keeps the blind index (security.binding) as for any write
        update = sa.update(table).where(table.c.id == sa.bindparam("record_key"))
        for row in _parents_first(table, rows):
            if row["id"] in present:
                connection.execute(update, {**row, "record_key": row["id"]})
            else:
                connection.execute(sa.insert(table), row)


def _current_row(item: IncomingRevision) -> dict[str, Any]:
    row = decode_row(item.table_name, json.loads(item.data))
    row["id"] = item.record_id
    row["rev_device"], row["rev_seq"], row["rev_hlc"] = item.origin_device, item.origin_seq, hlc.text(item.hlc)
    return row


def _parents_first(table: sa.Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a table that refers to itself (organisation tree, replaced agreements), each after its parent."""
    links = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    if not links:
        return rows
    pending = {row["id"]: row for row in rows}
    placed: list[dict[str, Any]] = []
    while pending:
        ready = [row for row in pending.values() if all(row.get(link) not in pending for link in links)]
        if not ready:  # a cycle cannot be ordered; the database will say what is wrong
            ready = list(pending.values())
        for row in ready:
            placed.append(pending.pop(row["id"]))
    return placed
