"""Engines and sessions: SQLite with WAL and foreign keys, or PostgreSQL through the same models."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from mediation_desk.security import binding
from mediation_desk.store import hooks, search_index, settling, stats_summary

BUSY_TIMEOUT_MS = 5000

# Execution option for a unit of work that will write. On SQLite it begins with BEGIN IMMEDIATE, taking the write
# lock first: a transaction that has already read and then tries to write gets SQLITE_BUSY at once, without waiting
# for the busy timeout (SQLite's deadlock avoidance), and every service reads before it writes. Other databases
# ignore the option.
WRITE_TRANSACTION = {"sqlite_begin": "IMMEDIATE"}
_BEGIN_MODES = frozenset({"", "DEFERRED", "IMMEDIATE", "EXCLUSIVE"})


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA secure_delete=ON")  # what a change replaces (a number before encryption) is zeroed
    cursor.close()


ANALYSIS_LIMIT = 400  # rows of each index that ``PRAGMA optimize`` samples: milliseconds even at 1,000,000 cases


def _sqlite_optimize(dbapi_connection: Any, _record: Any) -> None:
    """``PRAGMA optimize`` as each connection closes (SQLite's advice for short-lived connections): it runs a
    sampled ``ANALYZE`` of the tables this connection queried whose planner statistics are missing or stale (grown
    25-fold since), so the statistics follow large writes (a ledger import, a sync merge, the demo county) without
    scanning a million rows. A read-only or busy file is left as it is."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    try:
        dbapi_connection.execute("PRAGMA busy_timeout=0")  # another writer holds the file: skip, do not wait
        dbapi_connection.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        dbapi_connection.execute("PRAGMA optimize")
    except sqlite3.Error:
        pass  # statistics are an optimisation: never a reason for closing to fail


def _sqlite_begin(connection: sa.Connection) -> None:
    mode = str(connection.get_execution_options().get("sqlite_begin", "")).upper()
    if mode not in _BEGIN_MODES:
        raise ValueError(f"unknown SQLite transaction mode {mode!r}")
    connection.exec_driver_sql(f"BEGIN {mode}".rstrip())


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def create_engine(url: str) -> sa.Engine:
    """An engine for a SQLite file or a PostgreSQL database (``postgresql+psycopg://…``)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "close", _sqlite_optimize)
        # pysqlite's own transaction handling would skip BEGIN before some statements; let SQLAlchemy emit it
        # (SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL" for pysqlite).
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "connect", lambda dbapi_conn, _rec: setattr(dbapi_conn, "isolation_level", None))
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    # the statistics summary and the case search index are settled at every commit that wrote
    settling.install(engine, stats_summary.settle_if_ready, search_index.settle_if_ready)
    return binding.attach(engine)  # the desk's data key, found when first needed (security.binding)


def make_sessionmaker(engine: sa.Engine) -> sessionmaker[Session]:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    hooks.install(factory)
    return factory
