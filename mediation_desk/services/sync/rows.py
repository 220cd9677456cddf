"""Bringing the live tables in line with the merge: the provisional winner of each record becomes its row.

``plan`` turns each record's ``RecordState`` into what its row should be (a row to write, a row to delete, or
nothing to do), with organisation ids translated to this desk's own; ``write`` applies a table's plan in batches
(``executemany``). A row that names a case, a mediator, an agreement or a unit that is not here yet is **held**
(kept in the log, written once what it names arrives), and so is a deletion of a row that others still name.
Conflicts are recorded in ``sync_conflict``: opened, updated with the current leaves, or closed once one leaf is
left.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from mediation_desk.domain import canonical
from mediation_desk.domain import hlc as clock
from mediation_desk.services.sync.orgs import OrgIndex, Owners
from mediation_desk.store.models import Base
from mediation_desk.store.queries import sync as queries
from mediation_desk.store.sync_models import SyncConflict, SyncHeld
from mediation_desk.sync.merge import RecordState


@dataclass
class TablePlan:
    """What one table's rows become."""

    table: str
    states: dict[uuid.UUID, RecordState] = field(default_factory=dict)
    before: dict[uuid.UUID, tuple[Any, Any]] = field(default_factory=dict)  # live rows' stamps before
    writes: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    deletes: set[uuid.UUID] = field(default_factory=set)
    held: dict[uuid.UUID, str] = field(default_factory=dict)  # record → what it waits for

    def slim(self) -> None:
        """Once planned, keep of each record without a conflict only what the bookkeeping asks for (its winner's
        key): its row is in ``writes`` already, and a large file's rows are not held twice."""
        for state in self.states.values():
            if len(state.leaves) == 1:
                state.leaves[0].release_data()  # made by this settle's ``analyse`` for this plan alone

    def after(self, record: uuid.UUID) -> bool:
        """Whether the record has a live row once the plan is written."""
        if record in self.writes:
            return True
        if record in self.deletes:
            return False
        return record in self.before


def _parse_datetime(text: str) -> datetime:
    """A canonical timestamp (``2025-06-01T08:30:00.000000Z``): ``fromisoformat`` where the text has exactly
    that shape, the strict parser otherwise (same value, a fraction of the cost)."""
    if (
        len(text) == 27
        and text[4] == text[7] == "-"
        and text[10] == "T"
        and text[13] == text[16] == ":"
        and (text[19] == "." and text[26] == "Z")
    ):
        return datetime.fromisoformat(text)
    return canonical.parse_datetime(text)


@functools.lru_cache(maxsize=16_384)
def _uuid(value: str) -> uuid.UUID:
    """An id named by a row (a case's parties, sessions and agreements name the same case one after the other)."""
    return uuid.UUID(value)


@functools.cache
def _decoders(table: str) -> dict[str, Callable[[Any], Any] | None]:
    """Per column of ``table``, how a revision's JSON value becomes the column's value (``decode_row``'s rules,
    looked up once per table instead of once per value)."""
    found: dict[str, Callable[[Any], Any] | None] = {}
    for column in Base.metadata.tables[table].columns:
        kind: Any = column.type
        if isinstance(kind, TypeDecorator):
            kind = kind.impl_instance
        decoder: Callable[[Any], Any] | None = None
        if isinstance(kind, sa.Uuid):
            decoder = _uuid
        elif isinstance(kind, sa.Enum) and kind.enum_class is not None:
            decoder = kind.enum_class
        elif isinstance(kind, sa.DateTime):
            decoder = _parse_datetime
        elif isinstance(kind, sa.Date):
            decoder = date.fromisoformat
        found[column.name] = decoder
    return found


def decode(table: str, data: Mapping[str, Any], record: uuid.UUID | None = None) -> dict[str, Any]:
    """``store.revisions.decode_row``, faster: a revision's row as column values (``record``: its id, known
    already, so its text is not parsed again)."""
    decoders = _decoders(table)
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in decoders:
            continue
        if record is not None and name == "id":
            values[name] = record
            continue
        decoder = decoders[name]
        values[name] = value if value is None or decoder is None else decoder(value)
    return values


@functools.lru_cache(maxsize=1024)
def _device(text: str) -> uuid.UUID:
    """A device's id (a few devices write thousands of revisions each)."""
    return uuid.UUID(text)


def _row(
    table: str, record: uuid.UUID, state: RecordState, index: OrgIndex, extra: dict[str, Any]
) -> tuple[dict[str, Any] | None, str | None]:
    """The live row of the winner (organisation ids as this desk's), or what it waits for."""
    winner = state.winner
    values = decode(table, {**winner.data, **extra} if extra else winner.data, record)
    for column in queries.org_columns().get(table, ()):
        value = winner.data.get(column)
        if value is None:
            continue
        local = index.local_id(value)
        if local is None:
            return None, f"org_unit:{value}"
        values[column] = local
    values["id"] = record
    values["rev_device"] = _device(winner.origin_device)
    values["rev_seq"] = winner.origin_seq
    values["rev_hlc"] = clock.text(winner.hlc)
    return values, None


def plan(
    session: Session,
    table: str,
    states: dict[uuid.UUID, RecordState],
    index: OrgIndex,
    bookkeeping: dict[tuple[uuid.UUID, int], dict[str, Any]],
    owners: Owners | None = None,
) -> TablePlan:
    """What each record's row should become (held ones set aside with what they wait for); ``owners``: the live
    rows' stamps it read already, not read again."""
    before, others = owners.take_stamps(table, states) if owners is not None else ({}, list(states))
    if others:
        before.update(queries.live_stamps(session, table, others))
    result = TablePlan(table, states, before)
    for record, state in states.items():
        winner = state.winner
        current = result.before.get(record)
        if winner.deleted:
            if current is not None:
                result.deletes.add(record)
            continue
        if current is not None and (str(current[0]), current[1]) == (winner.origin_device, winner.origin_seq):
            continue
        extra = bookkeeping.get((_device(winner.origin_device), winner.origin_seq), {})
        values, waiting = _row(table, record, state, index, extra)
        if values is None:
            assert waiting is not None
            result.held[record] = waiting
        else:
            result.writes[record] = values
    return result


def check_references(session: Session, result: TablePlan, written: dict[str, TablePlan] | None = None) -> None:
    """Hold the rows that name a row not here (in the live table, or written earlier in this batch: ``written``,
    the plans of the tables written already, whose rows are not looked up again)."""
    refs = queries.references()[result.table]
    for column, target in refs:
        wanted = {values[column] for values in result.writes.values() if values.get(column) is not None}
        if not wanted:
            continue
        earlier = written.get(target) if written is not None and target != result.table else None
        present = {record for record in wanted if record in earlier.writes} if earlier is not None else set()
        if len(present) < len(wanted):
            present |= queries.existing_ids(session, target, wanted - present)
        if target == result.table:
            present |= set(result.writes)
        for record, values in list(result.writes.items()):
            value = values.get(column)
            if value is not None and value not in present:
                result.held[record] = f"{target}:{value}"
                del result.writes[record]


def check_deletes(session: Session, result: TablePlan, deleting: dict[str, set[uuid.UUID]]) -> None:
    """Hold deletions of rows that live rows elsewhere still name (without ``ON DELETE CASCADE``)."""
    if not result.deletes:
        return
    for other, column in queries.restricting().get(result.table, ()):
        naming = queries.referring_ids(session, other, column, result.deletes)
        for record, referrers in naming.items():
            if referrers - deleting.get(other, set()):
                result.deletes.discard(record)
                result.held[record] = f"{other}:{sorted(map(str, referrers))[0]}"


def _generations(table: str, rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """``rows`` parents first, in generations: no row names one of its own generation or a later one (a table
    that names itself, an agreement the one it replaces); a cycle goes in one generation, as it comes."""
    links = [column for column, target in queries.references()[table] if target == table]
    if not links:
        return [rows]
    pending = {row["id"]: row for row in rows}
    placed: list[list[dict[str, Any]]] = []
    while pending:
        ready = [row for row in pending.values() if all(row.get(link) not in pending for link in links)]
        placed.append([pending.pop(row["id"]) for row in ready or list(pending.values())])
    return placed


def write(session: Session, result: TablePlan) -> None:
    """Apply a table's inserts and updates (its deletions are written by ``delete``, children first): one
    ``executemany`` per generation, so that each row finds its parent."""
    generations = _generations(result.table, list(result.writes.values()))
    for generation in generations:
        queries.insert_rows(session, result.table, [row for row in generation if row["id"] not in result.before])
    queries.update_rows(
        session, result.table, [row for rows in generations for row in rows if row["id"] in result.before]
    )


def delete(session: Session, result: TablePlan) -> None:
    queries.delete_rows(session, result.table, result.deletes)


# ---------------------------------------------------------------------------------------------------------------
# Held records and conflicts


def held_records(session: Session) -> dict[str, set[uuid.UUID]]:
    found: dict[str, set[uuid.UUID]] = {}
    for table, record in session.execute(sa.select(SyncHeld.table_name, SyncHeld.record_id)):
        found.setdefault(table, set()).add(record)
    return found


def record_held(
    session: Session, table: str, held: dict[uuid.UUID, str], done: Iterable[uuid.UUID], now: datetime
) -> None:
    """Keep ``sync_held`` in step: the records waiting now, and none of those that were written or settled."""
    waiting_before = set(session.scalars(sa.select(SyncHeld.record_id).where(SyncHeld.table_name == table)))
    settled = [record for record in done if record not in held and record in waiting_before]
    for chunk in queries.chunks(queries.ordered(settled)):
        session.connection().execute(
            sa.delete(SyncHeld).where(SyncHeld.table_name == table, SyncHeld.record_id.in_(list(chunk)))
        )
    if not held:
        return
    known = waiting_before & held.keys()
    fresh = [
        {"table_name": table, "record_id": record, "waiting_for": waiting[:100], "since": now}
        for record, waiting in held.items()
        if record not in known
    ]
    if fresh:
        session.connection().execute(sa.insert(SyncHeld), fresh)


def _leaf_keys(state: RecordState) -> str:
    return canonical.dumps([str(leaf.key) for leaf in state.leaves])


def _case_of(table: str, state: RecordState) -> uuid.UUID | None:
    if table == "dispute_case":
        return uuid.UUID(state.record_id)
    for leaf in state.leaves:
        value = leaf.data.get("case_id")
        if isinstance(value, str):
            return uuid.UUID(value)
    return None


def record_conflicts(
    session: Session, table: str, states: dict[uuid.UUID, RecordState], now: datetime
) -> set[uuid.UUID]:
    """Open, update or close each record's conflict; the records whose conflict is new or has new leaves."""
    open_rows = _open(session, table, states)
    changed: set[uuid.UUID] = set()
    opened: list[dict[str, Any]] = []
    for record, state in states.items():
        found = open_rows.get(record)
        if state.conflict:
            leaves = _leaf_keys(state)
            if found is None:
                opened.append(
                    {
                        "table_name": table,
                        "record_id": record,
                        "case_id": _case_of(table, state),
                        "label": state.label.value,
                        "leaves": leaves,
                        "opened_at": now,
                    }
                )
                changed.add(record)
            elif (found[1], found[2]) != (state.label.value, leaves):
                session.connection().execute(
                    sa.update(SyncConflict)
                    .where(SyncConflict.id == found[0])
                    .values(label=state.label.value, leaves=leaves)
                )
                changed.add(record)
        elif found is not None:
            session.connection().execute(
                sa.update(SyncConflict)
                .where(SyncConflict.id == found[0])
                .values(closed_at=now, closed_by=str(state.winner.key))
            )
    if opened:
        session.connection().execute(sa.insert(SyncConflict), opened)
    return changed


def _open(session: Session, table: str, records: Collection[uuid.UUID]) -> dict[uuid.UUID, tuple[int, str, str]]:
    """The open conflicts of ``records``: looked up in chunks, or (for many records) read for the whole table
    at once (open conflicts are few next to the records an import touches)."""
    found: dict[uuid.UUID, tuple[int, str, str]] = {}
    columns = (SyncConflict.id, SyncConflict.record_id, SyncConflict.label, SyncConflict.leaves)
    opened = sa.select(*columns).where(SyncConflict.table_name == table, SyncConflict.closed_at.is_(None))
    if len(records) > queries.CHUNK:
        wanted = set(records)
        for conflict_id, record, label, leaves in session.execute(opened):
            if record in wanted:
                found[record] = (conflict_id, label, leaves)
        return found
    for chunk in queries.chunks(queries.ordered(records)):
        for conflict_id, record, label, leaves in session.execute(
            opened.where(SyncConflict.record_id.in_(list(chunk)))
        ):
            found[record] = (conflict_id, label, leaves)
    return found
