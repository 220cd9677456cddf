"""The case search index: each case's text bigrams and party-name pinyin (``domain.search_tokens``), kept exact at
every commit of a change to the texts it is made of.

Tables (migration 0007): ``search_text`` holds each case's tokens as last settled; ``search_dirty`` the cases
changed since; on SQLite with FTS5, ``search_fts`` indexes ``search_text`` (external content, kept in step by
triggers on ``search_text``). Triggers on ``dispute_case`` (number, title, facts) and ``party`` (name, case)
put every changed case into ``search_dirty``, whatever wrote it: an ORM flush, the bulk writer, a sync merge, a
raw connection.

At every commit of a connection that wrote (``store.settling``: an engine's ``commit`` event, before the database
commits, beside the statistics summary's), ``settle`` takes the dirty cases in batches of ``BATCH`` (a bulk
insert of a million cases leaves a million dirty ids: memory stays bounded): one SELECT of the batch's texts and
one of its parties' names, the tokens computed in Python, the batch's old rows deleted and the fresh ones
inserted with one ``executemany``, the batch's dirty ids removed. A reader uses the index for the cases not in
``search_dirty`` only (``dirty_count`` tells whether there are any), so a change written some way that never
commits through an engine of ours still gives exact results until the next commit settles it.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from mediation_desk.domain import search_tokens
from mediation_desk.store.models import DisputeCase, Party, search_dirty, search_text

BATCH = 5_000
FTS_TABLE = "search_fts"

_READY: weakref.WeakSet[sa.Engine] = weakref.WeakSet()  # engines whose database has the index tables
_FTS: weakref.WeakKeyDictionary[sa.Engine, bool] = weakref.WeakKeyDictionary()  # engine → has ``search_fts``
_FORCE_NO_FTS: set[int] = set()  # ids of engines told to read without FTS5 (``without_fts``: tests, Windows)

Connectable = sa.Connection | Session


def _connection(target: Connectable) -> sa.Connection:
    return target.connection() if isinstance(target, Session) else target


def has_index(connection: sa.Connection) -> bool:
    """Whether the database has the index tables (migration 0007); remembered per engine once it has."""
    engine = connection.engine
    if engine in _READY:
        return True
    if sa.inspect(connection).has_table(search_dirty.name):
        _READY.add(engine)
        return True
    return False


def has_fts(connection: sa.Connection) -> bool:
    """Whether the search can use ``search_fts`` (SQLite with FTS5 when migrated; never on PostgreSQL)."""
    engine = connection.engine
    if id(engine) in _FORCE_NO_FTS or connection.dialect.name != "sqlite":
        return False
    known = _FTS.get(engine)
    if known is None:
        found = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
        ).first()
        known = _FTS[engine] = found is not None
    return known


def without_fts(engine: sa.Engine, off: bool = True) -> None:
    """Read this engine's index without FTS5 (as on a build without it): the plain tables and ``LIKE``."""
    if off:
        _FORCE_NO_FTS.add(id(engine))
    else:
        _FORCE_NO_FTS.discard(id(engine))


# ---------------------------------------------------------------------------------------------------------------
# tokens


@lru_cache(maxsize=200_000)
def _name_pinyin(name: str) -> tuple[str, ...]:
    return tuple(search_tokens.pinyin_tokens(name))


def case_tokens(number: str | None, title: str | None, facts: str | None, names: list[str]) -> tuple[str, str]:
    """A case's ``body`` and ``pinyin`` columns."""
    body = search_tokens.text_tokens([number, title, facts, *names])
    pinyin: dict[str, None] = {}
    for name in names:
        pinyin.update(dict.fromkeys(_name_pinyin(name)))
    return body, " ".join(pinyin)


# ---------------------------------------------------------------------------------------------------------------
# settling


def _key(connection: sa.Connection, column: Any) -> Any:
    """A case id column as the driver gives it back, unconverted (text on SQLite, UUIDs on PostgreSQL)."""
    return sa.type_coerce(column, sa.String) if connection.dialect.name == "sqlite" else column


def _batches(connection: sa.Connection) -> Iterator[list[Any]]:
    """The dirty ids in key order, ``BATCH`` at a time (read afresh each time: the caller deletes each batch)."""
    key = _key(connection, search_dirty.c.case_id)
    last: Any = None
    while True:
        query = sa.select(key).order_by(search_dirty.c.case_id).limit(BATCH)
        if last is not None:
            query = query.where(key > last)
        batch = list(connection.scalars(query))
        if not batch:
            return
        yield batch
        last = batch[-1]


def _range(connection: sa.Connection, column: Any, batch: list[Any]) -> sa.ColumnElement[bool]:
    key = _key(connection, column)
    return sa.and_(key >= batch[0], key <= batch[-1])


def _settle_batch(connection: sa.Connection, batch: list[Any]) -> None:
    in_batch = _range(connection, search_dirty.c.case_id, batch)
    dirty = sa.select(search_dirty.c.case_id).where(in_batch)
    case_key = _key(connection, DisputeCase.id)
    texts = connection.execute(
        sa.select(case_key, DisputeCase.number, DisputeCase.title, DisputeCase.facts).where(DisputeCase.id.in_(dirty))
    ).all()
    names: dict[Any, list[str]] = {}
    party_key = _key(connection, Party.case_id)
    for case_id, name in connection.execute(
        sa.select(party_key, Party.name).where(Party.case_id.in_(dirty)).order_by(Party.case_id, Party.position)
    ):
        names.setdefault(case_id, []).append(name)
    connection.execute(sa.delete(search_text).where(search_text.c.case_id.in_(dirty)))
    rows = []
    for case_id, number, title, facts in texts:
        body, pinyin = case_tokens(number, title, facts, names.get(case_id, []))
        rows.append({"case_id": case_id, "body": body, "pinyin": pinyin})
    if rows:
        insert = sa.insert(search_text).values(
            case_id=sa.bindparam("case_id", type_=sa.String if connection.dialect.name == "sqlite" else sa.Uuid),
            body=sa.bindparam("body"),
            pinyin=sa.bindparam("pinyin"),
        )
        connection.execute(insert, rows)
    connection.execute(sa.delete(search_dirty).where(in_batch))


def settle(target: Connectable) -> int:
    """Bring the index up to date with the dirty cases, in the caller's transaction; how many there were."""
    connection = _connection(target)
    pending = dirty_count(connection)
    if not pending:
        return 0
    for batch in _batches(connection):
        _settle_batch(connection, batch)
    return pending


def rebuild(target: Connectable) -> None:
    """Index every case afresh (a repair: the triggers and ``settle`` keep the index)."""
    connection = _connection(target)
    connection.execute(sa.delete(search_dirty))
    connection.execute(sa.insert(search_dirty).from_select(["case_id"], sa.select(DisputeCase.id)))
    settle(connection)
    if has_fts(connection):
        connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")


# ---------------------------------------------------------------------------------------------------------------
# at every commit


def settle_if_ready(connection: sa.Connection) -> None:
    """What ``store.settling`` runs at every commit that wrote: ``settle`` once the tables exist."""
    if has_index(connection):
        settle(connection)


# ---------------------------------------------------------------------------------------------------------------
# reading


def dirty_count(target: Connectable) -> int:
    connection = _connection(target)
    return int(connection.scalar(sa.select(sa.func.count()).select_from(search_dirty)) or 0)


def usable(session: Session) -> bool:
    """Whether the index is current: the tables exist and no change waits to be settled."""
    connection = session.connection()
    if not has_index(connection):
        return False
    return connection.scalar(sa.select(sa.literal(1)).select_from(search_dirty).limit(1)) is None


def dirty_names(session: Session) -> Iterator[tuple[str, str]]:
    """The case keys and party names of the dirty cases (what the index does not answer for yet)."""
    connection = session.connection()
    key = _key(connection, Party.case_id)
    query = sa.select(key, Party.name).where(Party.case_id.in_(sa.select(search_dirty.c.case_id)))
    for case_id, name in connection.execute(query):
        yield str(case_id), str(name)


def stored_rows(target: Connectable) -> dict[str, tuple[str, str]]:
    """``search_text`` as stored: case key → (body, pinyin). For the exactness tests."""
    connection = _connection(target)
    key = _key(connection, search_text.c.case_id)
    query = sa.select(key, search_text.c.body, search_text.c.pinyin)
    return {str(row[0]): (row[1], row[2]) for row in connection.execute(query)}
