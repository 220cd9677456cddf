"""Opening a desk's database: create or open, back up if a migration is pending, migrate, refuse newer ones.

Before anything is written the file is looked at read-only: a file that is not a desk's database (another
program's SQLite file, an empty file, not SQLite at all) is refused and left exactly as it is; a desk's database
that has lost its migration table is reported as damaged. A new database is made under a temporary name, with
this program's application id and the whole schema, and only then given its name, so a desk is never
half-created. A desk that cannot be written (a read-only folder or file) is opened read-only: reading works,
migrations, the application-id mark and backups are skipped or refused with the reason.

SQLite's own complaints about damage ("database disk image is malformed") and about a read-only file become
``DatabaseDamaged`` (with the way to recover) and ``DataFolderReadOnly``, wherever a query meets them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Session, sessionmaker

from mediation_desk.security import binding
from mediation_desk.store import backup, migrate, server
from mediation_desk.store.backup import APPLICATION_ID, FileKind
from mediation_desk.store.datadir import DataDir, DataFolderError, InstanceLock, read_only_error
from mediation_desk.store.engine import create_engine, make_sessionmaker, sqlite_url
from mediation_desk.store.files import atomic_path, atomic_write, fsync_dir, remove_stale_temporaries

# SQLite's messages for a file that is damaged (SQLITE_CORRUPT, SQLITE_NOTADB) and for one it may not write
_DAMAGED = ("malformed", "file is not a database", "database disk image", "database corrupt")
_READ_ONLY = ("readonly database", "read-only database")


@dataclass(frozen=True, slots=True)
class Access:
    """How a desk's database file can be opened."""

    read_only: str | None = None  # why it cannot be written (a read-only folder or file), or None
    immutable: bool = False  # read-only folder and no write-ahead log: SQLite may not make its -shm file
    needs_mark: bool = False  # made before the application id: the id is written at open when it can be

    def url(self, path: Path) -> str:
        return backup.read_only_url(path, immutable=self.immutable) if self.read_only else sqlite_url(path)


def inspect(data_dir: DataDir) -> Access:
    """Look at the database file without writing to it; refuse what is not an intact desk's database."""
    path = data_dir.database
    problem = backup.file_problem(path)
    if problem is not None:
        raise backup.not_a_desk(path, problem, data_dir)
    reason = data_dir.read_only_reason()
    folder_read_only = not os.access(data_dir.root, os.W_OK)
    immutable = folder_read_only and not data_dir.side_file("-wal").exists()
    existed = backup.side_files(data_dir)
    try:
        connection = backup.connect_read_only(path, immutable=immutable)
        try:
            facts = backup.read_facts(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        if reason is not None and "unable to open" in str(error):
            raise read_only_error(reason, "且数据库的日志文件无法读取，不能打开") from None
        raise backup.damaged_error(data_dir, str(error)) from None
    found = backup.desk_problem(facts)
    if found is not None:
        kind, text = found
        if kind is FileKind.FOREIGN:
            backup.forget_side_files(data_dir, existed)
            raise backup.not_a_desk(path, text)
        raise backup.damaged_error(data_dir, text)
    return Access(reason, immutable, facts.application_id != APPLICATION_ID)


def _create(data_dir: DataDir) -> None:
    """A new database with the application id and the whole schema, given its name only when complete."""
    remove_stale_temporaries(data_dir.root, data_dir.database.name)
    with atomic_path(data_dir.database, replace=False) as staged:
        engine = create_engine(sqlite_url(staged))
        try:
            with engine.begin() as connection:
                connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            migrate.upgrade(engine)
        finally:
            engine.dispose()
        backup.settle(staged)


def _translate_errors(engine: sa.Engine, data_dir: DataDir) -> None:
    """SQLite's damage and read-only errors become one clear ``DomainError`` wherever a query meets them."""

    def handle(context: ExceptionContext) -> None:
        original = context.original_exception
        if not isinstance(original, sqlite3.DatabaseError):
            return
        text = str(original).lower()
        if any(mark in text for mark in _DAMAGED):
            raise backup.damaged_error(data_dir, str(original))
        if any(mark in text for mark in _READ_ONLY):
            reason = data_dir.read_only_reason() or f"数据库文件 {data_dir.database} 不能写入"
            raise read_only_error(reason, "不能保存")

    event.listen(engine, "handle_error", handle)


def _mark(engine: sa.Engine) -> None:
    """Give a desk made before the application id its id; a busy database is marked at a later open."""
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
    except sa.exc.OperationalError as error:
        if "locked" not in str(error.orig).lower() and "busy" not in str(error.orig).lower():
            raise


class Database:
    """An engine and its session factory, at the current schema."""

    def __init__(self, engine: sa.Engine, data_dir: DataDir | None = None, access: Access | None = None) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self.access = access or Access()
        self.sessions: sessionmaker[Session] = make_sessionmaker(engine)

    @property
    def read_only(self) -> bool:
        return self.access.read_only is not None

    @classmethod
    def open(cls, data_dir: DataDir, *, create: bool = False) -> Database:
        """Open (or, with ``create``, make) the desk in ``data_dir`` and bring its schema to head."""
        if data_dir.database_url is not None:
            return cls._open_server(data_dir, data_dir.database_url, create=create)
        if create:
            data_dir.create()
            if not data_dir.exists():
                data_dir.require_writable("不能在其中建立工作台")
                with contextlib.suppress(FileExistsError):  # made meanwhile elsewhere: looked at below
                    _create(data_dir)
        else:
            data_dir.require()
        access = inspect(data_dir)
        engine = create_engine(access.url(data_dir.database))
        _translate_errors(engine, data_dir)
        try:
            binding.resolve(engine)  # the data key first: a desk whose key is missing is refused before any write
            cls._bring_to_head(engine, data_dir, access)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, data_dir, access)

    @classmethod
    def _open_server(cls, data_dir: DataDir, url: str, *, create: bool) -> Database:
        """The desk of ``data_dir`` on a database server: the folder keeps the lock, the logs and the server's
        address (without its password); the server keeps the data. No file backups: the server has its own."""
        if create:
            data_dir.create()
            data_dir.require_writable("不能在其中建立工作台")
            atomic_write(data_dir.url_file, server.without_password(url) + "\n")
        elif not data_dir.root.is_dir():
            data_dir.require()
        engine = create_engine(url)
        try:
            binding.resolve(engine)
            migrate.migration_state(engine)
            migrate.upgrade(engine)
        except sa.exc.OperationalError as error:
            engine.dispose()
            raise DataFolderError(f"无法连接数据库服务器 {server.shown(url)}：{_first_line(error)}") from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, data_dir)

    @staticmethod
    def _bring_to_head(engine: sa.Engine, data_dir: DataDir, access: Access) -> None:
        state = migrate.migration_state(engine)
        if state.pending and access.read_only:
            raise read_only_error(access.read_only, "而数据库需要先升级到本程序的版本（升级要写入），不能打开")
        if state.pending and state.current is not None:
            backup.create_backup(data_dir, "pre-migration")
        if state.pending:
            migrate.upgrade(engine)
        if access.needs_mark and not access.read_only:
            _mark(engine)

    @classmethod
    def open_file(cls, path: Path) -> Database:
        """A desk's database file outside its data folder (a restore being prepared beside the database), brought
        to head and marked with the application id. No pre-migration backup: the file it was copied from stays."""
        engine = create_engine(sqlite_url(path))
        try:
            binding.resolve(engine)
            migrate.migration_state(engine)
            migrate.upgrade(engine)
            with engine.begin() as connection:
                connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    @classmethod
    def open_url(cls, url: str) -> Database:
        """A database by URL (PostgreSQL for aggregation), migrated to head."""
        engine = create_engine(url)
        binding.resolve(engine)
        migrate.migration_state(engine)
        migrate.upgrade(engine)
        return cls(engine)

    def quick_check(self) -> list[str]:
        """SQLite's ``PRAGMA quick_check`` of this desk's file: the problems found (none: intact). Other
        databases (PostgreSQL) look after their own pages: none."""
        if self.data_dir is None or self.engine.dialect.name != "sqlite":
            return []
        try:
            connection = backup.connect_read_only(self.data_dir.database, immutable=self.access.immutable)
        except sqlite3.DatabaseError as error:
            return [str(error)]
        try:
            return backup.quick_check(connection)
        finally:
            connection.close()

    @property
    def on_server(self) -> bool:
        """Whether this desk's data is on a database server (PostgreSQL), not in the folder's SQLite file."""
        return self.engine.dialect.name != "sqlite"

    def daily_backup_if_due(self, now: datetime | None = None) -> backup.BackupInfo | None:
        if self.data_dir is None or self.read_only or self.on_server:
            return None
        now = now or datetime.now(UTC)
        found = backup.list_backups(self.data_dir)
        latest = [info for info in found if info.reason == "daily"]
        if latest and now - latest[0].created < timedelta(days=1):
            return None
        recent = latest and now - latest[0].created < timedelta(days=backup.UNCHANGED_GAP_DAYS)
        if recent and backup.unchanged_since(self.data_dir, found[0]):
            return None  # nothing to copy: a large desk that did not change does not copy gigabytes a day
        return backup.create_backup(self.data_dir, "daily")

    def close(self) -> None:
        self.engine.dispose()


# ---------------------------------------------------------------------------------------------------------------
# A whole desk built aside (the demo county): made in a hidden folder beside its place, moved in when complete

STAGING = ".staging-"
ABANDONED_AFTER_S = 60.0  # a staging folder whose lock is free and that has not changed for this long is left over


def _staging_prefix(target: Path) -> str:
    return f".{target.name}{STAGING}"


def new_staging_folder(target: Path) -> Path:
    """A new hidden folder beside ``target`` to build a desk in, after clearing away what interrupted builds left
    (folders whose desk lock is free: their process is gone)."""
    target = Path(target).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    for candidate in target.parent.glob(_staging_prefix(target) + "*"):
        if candidate.is_dir() and _abandoned(candidate):
            shutil.rmtree(candidate, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))


def _abandoned(folder: Path) -> bool:
    try:
        if time.time() - folder.stat().st_mtime < ABANDONED_AFTER_S:
            return False
        lock = InstanceLock(DataDir(folder))
        lock.acquire()
    except (OSError, DataFolderError):
        return False
    lock.release()
    return True


def discard_staging(folder: Path) -> None:
    """Remove a staging folder (after a failed build, or what is left of it after a move)."""
    shutil.rmtree(folder, ignore_errors=True)


def move_into_place(staging: Path, target: Path) -> None:
    """Give the desk built in ``staging`` its place at ``target`` (absent, empty, or holding no database).

    An absent or empty ``target`` is replaced by the folder in one rename. Into a folder that already holds other
    things, the database file moves first, in one rename (until then the folder is as it was), then whatever else
    is not there yet.
    """
    built = DataDir(staging)
    backup.settle(built.database)
    if _rename_whole(staging, target):
        fsync_dir(target.parent)
        return
    place = DataDir(target)
    if place.exists():
        raise DataFolderError(f"数据文件夹 {target} 中已经有工作台数据库；新建的工作台未放入")
    os.replace(built.database, place.database)
    fsync_dir(target)
    for entry in staging.iterdir():
        destination = target / entry.name
        if not destination.exists() and entry.name != built.lock_file.name:
            os.replace(entry, destination)


def _rename_whole(staging: Path, target: Path) -> bool:
    if target.is_dir() and any(target.iterdir()):
        return False
    try:
        if target.is_dir() and os.name == "nt":  # Windows renames onto no existing folder, not even an empty one
            target.rmdir()
        os.rename(staging, target)  # POSIX: replaces an empty folder in one step
    except OSError:
        if target.is_dir() and any(target.iterdir()):
            return False  # filled meanwhile: moved in entry by entry
        raise
    return True


def _first_line(error: sa.exc.DBAPIError) -> str:
    return (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]
