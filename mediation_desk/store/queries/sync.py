"""The SQL of sync: the revision log read and written in batches, live rows by id, watermarks, the tables that sync.

Everything here is Core or the driver's own ``executemany`` (batches, ``IN`` lists in chunks), never an ORM
object per revision.
``revision.data`` goes through its column type, so a revision is sealed when stored and unsealed when read.
"""

from __future__ import annotations

import functools
import operator
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.store import bulk
from mediation_desk.store.models import Base, OrgUnit, Revision, Synced
from mediation_desk.store.revisions import LOCAL_COLUMNS

CHUNK = 400  # ids per IN (…) list (bind-parameter limits)
LOG: sa.Table = Revision.__table__  # type: ignore[assignment]
ORG_TABLE = "org_unit"


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_NUMBER = operator.attrgetter("int")


def ordered(ids: Iterable[Any]) -> list[Any]:
    """Ids in the order of their text: a UUID's text sorts as its number, which is read without making the text
    (ids of another kind: by their text)."""
    items = list(ids)
    try:
        return sorted(items, key=_NUMBER)
    except (AttributeError, TypeError):
        return sorted(items, key=str)


# ---------------------------------------------------------------------------------------------------------------
# The tables that sync


@functools.cache
def synced_tables() -> tuple[str, ...]:
    """The tables of synced records, parents before children (foreign-key order)."""
    mapped = [mapper.local_table for mapper in Base.registry.mappers if issubclass(mapper.class_, Synced)]
    names = {table.name for table in mapped if isinstance(table, sa.Table)}
    return tuple(table.name for table in Base.metadata.sorted_tables if table.name in names)


@functools.cache
def table_columns() -> dict[str, frozenset[str]]:
    """Each synced table's columns as revisions carry them (the reader's schema check)."""
    return {
        name: frozenset(c.name for c in Base.metadata.tables[name].columns if c.name not in LOCAL_COLUMNS)
        for name in synced_tables()
    }


@functools.cache
def org_columns() -> dict[str, tuple[str, ...]]:
    """Per synced table, its columns that name an organisation unit (``org_id``, ``parent_id`` of a unit)."""
    found: dict[str, tuple[str, ...]] = {}
    for name in synced_tables():
        table = Base.metadata.tables[name]
        columns = tuple(fk.parent.name for fk in table.foreign_keys if fk.column.table.name == ORG_TABLE)
        if columns:
            found[name] = columns
    return found


@functools.cache
def references() -> dict[str, tuple[tuple[str, str], ...]]:
    """Per synced table, its other foreign keys: (column, referred table), organisation units left out."""
    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for name in synced_tables():
        table = Base.metadata.tables[name]
        found[name] = tuple(
            sorted(
                (fk.parent.name, fk.column.table.name) for fk in table.foreign_keys if fk.column.table.name != ORG_TABLE
            )
        )
    return found


@functools.cache
def restricting() -> dict[str, tuple[tuple[str, str], ...]]:
    """Per table, the (table, column) pairs that refer to it without ``ON DELETE CASCADE``: a row still named
    there cannot be deleted."""
    found: dict[str, list[tuple[str, str]]] = {}
    for name in synced_tables():
        for fk in Base.metadata.tables[name].foreign_keys:
            if fk.ondelete is None or fk.ondelete.upper() != "CASCADE":
                found.setdefault(fk.column.table.name, []).append((name, fk.parent.name))
    return {table: tuple(pairs) for table, pairs in found.items()}


# ---------------------------------------------------------------------------------------------------------------
# The revision log


@dataclass(frozen=True, slots=True)
class LogRow:
    id: int
    origin_device: uuid.UUID
    origin_seq: int
    table_name: str
    record_id: uuid.UUID
    vv: str
    hlc: int
    deleted: bool
    data: str
    signature: bytes | None
    case_id: uuid.UUID | None

    @property
    def key(self) -> tuple[uuid.UUID, int]:
        return (self.origin_device, self.origin_seq)


_LOG_COLUMNS = (
    LOG.c.id,
    LOG.c.origin_device,
    LOG.c.origin_seq,
    LOG.c.table_name,
    LOG.c.record_id,
    LOG.c.vv,
    LOG.c.hlc,
    LOG.c.deleted,
    LOG.c.data,
    LOG.c.signature,
    LOG.c.case_id,
)


def _rows(result: Iterable[Any]) -> list[LogRow]:
    return [LogRow(*row) for row in result]


def revisions_by_key(session: Session, keys: Collection[tuple[uuid.UUID, int]]) -> dict[tuple[uuid.UUID, int], LogRow]:
    """The revisions held under ``keys``."""
    found: dict[tuple[uuid.UUID, int], LogRow] = {}
    ordered = sorted(keys, key=lambda key: (str(key[0]), key[1]))
    for chunk in chunks(ordered):
        query = sa.select(*_LOG_COLUMNS).where(sa.tuple_(LOG.c.origin_device, LOG.c.origin_seq).in_(list(chunk)))
        for row in _rows(session.execute(query)):
            found[row.key] = row
    return found


def revisions_of_records(
    session: Session,
    table: str,
    record_ids: Collection[uuid.UUID],
    *,
    leave_out: tuple[int, int, int | None] | None = None,
) -> list[LogRow]:
    """Every revision of the given records of ``table``; ``leave_out`` (a local id, a change set, an upper id or
    none): but those above that id, up to the upper one, written by that change set (an import's own, which it
    holds in hand)."""
    found: list[LogRow] = []
    for chunk in chunks(ordered(record_ids)):
        query = sa.select(*_LOG_COLUMNS).where(LOG.c.table_name == table, LOG.c.record_id.in_(list(chunk)))
        if leave_out is not None:
            mark, change, upper = leave_out
            kept = [LOG.c.id <= mark, LOG.c.change_id.is_(None), LOG.c.change_id != change]
            if upper is not None:
                kept.append(LOG.c.id > upper)
            query = query.where(sa.or_(*kept))
        found.extend(_rows(session.execute(query)))
    return found


def top_seq(session: Session, device: uuid.UUID) -> int:
    """The highest sequence number of ``device`` held (0 when none is): one look into the unique index."""
    return int(session.scalar(sa.select(sa.func.max(LOG.c.origin_seq)).where(LOG.c.origin_device == device)) or 0)


def revisions_of_table(session: Session, table: str) -> list[LogRow]:
    return _rows(session.execute(sa.select(*_LOG_COLUMNS).where(LOG.c.table_name == table)))


def revisions_by_id(session: Session, ids: Sequence[int]) -> list[LogRow]:
    found: list[LogRow] = []
    for chunk in chunks(list(ids)):
        found.extend(_rows(session.execute(sa.select(*_LOG_COLUMNS).where(LOG.c.id.in_(list(chunk))))))
    return found


def fill_cases(session: Session, cases: dict[tuple[str, uuid.UUID], uuid.UUID]) -> None:
    """Give the tombstones that arrived before the rows they delete (and so without a case) their record's case
    (``cases``: each (table, record) and its case). Such tombstones are few: they are found through the index on
    ``case_id`` in one query, not looked up record by record."""
    if not cases:
        return
    query = sa.select(LOG.c.table_name, LOG.c.record_id).where(LOG.c.case_id.is_(None), LOG.c.deleted.is_(True))
    waiting = sorted({(table, record) for table, record in session.execute(query) if (table, record) in cases}, key=str)
    if waiting:
        statement = (
            sa.update(LOG)
            .where(
                LOG.c.table_name == sa.bindparam("table"),
                LOG.c.record_id == sa.bindparam("record"),
                LOG.c.case_id.is_(None),
            )
            .values(case_id=sa.bindparam("case"))
        )
        values = [{"table": table, "record": record, "case": cases[(table, record)]} for table, record in waiting]
        session.connection().execute(statement, values)


def insert_revisions(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Append revisions to the log: one ``executemany`` (``bulk.insert_many``: bound once per column, on SQLite
    straight to the driver)."""
    bulk.insert_many(session.connection(), LOG, list(rows))


def delete_revisions(session: Session, keys: Collection[tuple[uuid.UUID, int]]) -> None:
    ordered = sorted(keys, key=lambda key: (str(key[0]), key[1]))
    for chunk in chunks(ordered):
        session.connection().execute(
            sa.delete(LOG).where(sa.tuple_(LOG.c.origin_device, LOG.c.origin_seq).in_(list(chunk)))
        )


def store_signatures(session: Session, signatures: Sequence[tuple[int, bytes]]) -> None:
    """Signatures of this desk's revisions, made at export (one ``executemany``)."""
    if signatures:
        statement = sa.update(LOG).where(LOG.c.id == sa.bindparam("key")).values(signature=sa.bindparam("sig"))
        session.connection().execute(statement, [{"key": key, "sig": sig} for key, sig in signatures])


def last_revision_id(session: Session) -> int:
    return int(session.scalar(sa.select(sa.func.max(LOG.c.id))) or 0)


@dataclass(frozen=True, slots=True)
class Entry:
    """A revision without its row: enough to choose what an export carries."""

    id: int
    origin_device: uuid.UUID
    origin_seq: int
    table_name: str
    record_id: uuid.UUID
    case_id: uuid.UUID | None
    deleted: bool


def entries_after(session: Session, after: int) -> list[Entry]:
    """Every revision with a local id above ``after``, without its row, in log order."""
    query = sa.select(
        LOG.c.id, LOG.c.origin_device, LOG.c.origin_seq, LOG.c.table_name, LOG.c.record_id, LOG.c.case_id, LOG.c.deleted
    ).where(LOG.c.id > after)
    return [Entry(*row) for row in session.execute(query.order_by(LOG.c.id))]


def org_data(session: Session, tables: Collection[str]) -> list[tuple[str, uuid.UUID, bool, str]]:
    """(table, record, deleted, data) of every revision of ``tables`` (tables whose rows name an organisation)."""
    query = sa.select(LOG.c.table_name, LOG.c.record_id, LOG.c.deleted, LOG.c.data).where(
        LOG.c.table_name.in_(sorted(tables))
    )
    return [(table, record, bool(deleted), data) for table, record, deleted, data in session.execute(query)]


def device_seqs(session: Session) -> dict[uuid.UUID, tuple[int, int]]:
    """Per origin device: how many of its revisions are held, and its highest sequence number."""
    query = sa.select(LOG.c.origin_device, sa.func.count(), sa.func.max(LOG.c.origin_seq)).group_by(LOG.c.origin_device)
    return {device: (int(count), int(top)) for device, count, top in session.execute(query)}


def count_and_top(session: Session, device: uuid.UUID) -> tuple[int, int]:
    """How many revisions of ``device`` are held, and its highest sequence number (0, 0 when none)."""
    query = sa.select(sa.func.count(), sa.func.max(LOG.c.origin_seq)).where(LOG.c.origin_device == device)
    count, top = session.execute(query).one()
    return int(count or 0), int(top or 0)


def seqs_of(session: Session, device: uuid.UUID) -> list[int]:
    query = sa.select(LOG.c.origin_seq).where(LOG.c.origin_device == device).order_by(LOG.c.origin_seq)
    return [int(seq) for seq in session.scalars(query)]


def watermarks(session: Session) -> dict[str, int]:
    """Per origin device, the highest ``n`` such that its revisions 1 … ``n`` are all held."""
    marks: dict[str, int] = {}
    for device, (count, top) in device_seqs(session).items():
        if count == top:
            marks[str(device)] = top
            continue
        mark = 0
        for seq in seqs_of(session, device):
            if seq != mark + 1:
                break
            mark = seq
        marks[str(device)] = mark
    return dict(sorted(marks.items()))


# ---------------------------------------------------------------------------------------------------------------
# Live rows


def table(name: str) -> sa.Table:
    return Base.metadata.tables[name]


def live_stamps(session: Session, name: str, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, tuple[Any, Any]]:
    """The revision each live row came from, by id (rows that are not there are left out)."""
    live = table(name)
    found: dict[uuid.UUID, tuple[Any, Any]] = {}
    for chunk in chunks(ordered(ids)):
        query = sa.select(live.c.id, live.c.rev_device, live.c.rev_seq).where(live.c.id.in_(list(chunk)))
        for record, device, seq in session.execute(query):
            found[record] = (device, seq)
    return found


def existing_ids(session: Session, name: str, ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    live = table(name)
    found: set[uuid.UUID] = set()
    for chunk in chunks(ordered(ids)):
        found.update(session.scalars(sa.select(live.c.id).where(live.c.id.in_(list(chunk)))))
    return found


def referring_ids(session: Session, name: str, column: str, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, set[Any]]:
    """For each of ``ids``, the rows of ``name`` whose ``column`` names it."""
    live = table(name)
    found: dict[uuid.UUID, set[Any]] = {}
    for chunk in chunks(ordered(ids)):
        query = sa.select(live.c[column], live.c.id).where(live.c[column].in_(list(chunk)))
        for target, record in session.execute(query):
            found.setdefault(target, set()).add(record)
    return found


def insert_rows(session: Session, name: str, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (values bound by their column types, the blind index set, as for any write)."""
    bulk.insert_many(session.connection(), table(name), list(rows))


def update_rows(session: Session, name: str, rows: Sequence[dict[str, Any]]) -> None:
    """Replace whole rows by id: one ``executemany`` per set of columns."""
    live = table(name)
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_columns.setdefault(tuple(sorted(row)), []).append(row)
    for columns, group in by_columns.items():
        values: dict[str, Any] = {column: sa.bindparam(column) for column in columns if column != "id"}
        statement = sa.update(live).where(live.c.id == sa.bindparam("record_key")).values(**values)
        session.connection().execute(statement, [{**row, "record_key": row["id"]} for row in group])


def delete_rows(session: Session, name: str, ids: Collection[uuid.UUID]) -> None:
    live = table(name)
    for chunk in chunks(ordered(ids)):
        session.connection().execute(sa.delete(live).where(live.c.id.in_(list(chunk))))


def org_rows(session: Session) -> list[tuple[uuid.UUID, str, uuid.UUID | None, str]]:
    """(id, code, parent id, level) of every organisation unit."""
    query = sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.parent_id, OrgUnit.level)
    return [
        (org_id, code, parent, str(getattr(level, "value", level)))
        for org_id, code, parent, level in session.execute(query)
    ]


def case_orgs(session: Session, case_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """The organisation id of each live case."""
    cases = table("dispute_case")
    found: dict[uuid.UUID, uuid.UUID] = {}
    for chunk in chunks(ordered(case_ids)):
        query = sa.select(cases.c.id, cases.c.org_id).where(cases.c.id.in_(list(chunk)))
        found.update((record, org) for record, org in session.execute(query))
    return found
