"""Backup and restore of a desk, shared by the GUI and the CLI.

A restore replaces the database with a backup, after a safety backup of the current one ("pre-restore"). The
restored file is prepared beside the database first: the backup's content, migrated to this program's schema and
given a new device identity with its revision counter at zero (SYNC.md: a restored backup gets a new device id,
so that no revision number is ever issued twice under one device id), then checked (``PRAGMA quick_check``,
schema revision); only then does it take the database's place, in one rename.

It needs the data folder to itself: close any desk open on the folder (the GUI closes its own before calling
:func:`restore` and reopens afterwards).
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.permissions import Permission, check
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.store import backup, migrate
from mediation_desk.store.backup import BackupError, BackupInfo, create_backup, find_backup, list_backups
from mediation_desk.store.database import Database
from mediation_desk.store.datadir import DatabaseDamaged, DataDir, InstanceLock
from mediation_desk.store.files import atomic_path, remove_stale_temporaries
from mediation_desk.store.models import AuditEvent, DeviceState
from mediation_desk.store.types import utcnow

__all__ = ["BackupInfo", "RestoreReport", "backups", "create", "restore"]


@dataclass(frozen=True, slots=True)
class RestoreReport:
    restored: BackupInfo  # the backup that is now the database
    safety: BackupInfo  # the copy of the database as it was just before the restore
    device_id: uuid.UUID  # this desk's new device identity
    previous_device_id: uuid.UUID | None  # the identity recorded in the backup


def create(root: Path, actor: Actor | None = None) -> BackupInfo:
    """A manual backup of the desk in ``root`` (consistent even while the desk is in use)."""
    _check(actor)
    data_dir = _file_desk(root, "备份")
    return create_backup(data_dir, "manual")


def daily_if_due(desk: Desk) -> BackupInfo | None:
    """The automatic daily backup, when a day has passed since the last one and the desk has changed since the
    newest backup (or a week has passed); the last seven are kept, within a size budget (``store.backup.rotate``)."""
    return desk.database.daily_backup_if_due()


def backups(root: Path) -> list[BackupInfo]:
    """The backups of the desk in ``root``, newest first."""
    data_dir = _file_desk(root, "备份")
    return list_backups(data_dir)


def _file_desk(root: Path, what: str) -> DataDir:
    """The data folder of a desk whose database is the folder's SQLite file; a desk on a database server is
    backed up and restored with the server's own tools, and says so."""
    data_dir = DataDir(root)
    if data_dir.database_url is not None:
        raise DomainError(
            f"此工作台的数据库在数据库服务器上，不能在此{what}；请用数据库服务器的工具（如 pg_dump、pg_restore）{what}"
        )
    data_dir.require()
    return data_dir


def _check(actor: Actor | None, permission: Permission = Permission.MANAGE_BACKUPS) -> None:
    if actor is not None:
        check(actor.role, permission)


def _refuse_too_new(path: Path) -> None:
    """Refuse a backup written by a newer program before anything is replaced."""
    engine = sa.create_engine(backup.read_only_url(path))
    try:
        migrate.migration_state(engine)
    finally:
        engine.dispose()


def _new_identity(database: Database, backup_name: str, actor: Actor | None) -> tuple[uuid.UUID, uuid.UUID | None]:
    with database.sessions() as session:
        state = session.get(DeviceState, 1)
        previous = state.device_id if state is not None else None
        new_id = uuid.uuid4()
        if state is None:
            session.add(DeviceState(id=1, device_id=new_id, last_seq=0))
        else:
            state.device_id, state.last_seq = new_id, 0
        session.add(
            AuditEvent(
                at=utcnow(),
                actor=actor.name if actor else "system",
                operation="backups.restore",
                details={
                    "backup": backup_name,
                    "device_id": [str(previous) if previous else None, str(new_id)],
                },
            )
        )
        session.commit()
    return new_id, previous


def _safety_copy(data_dir: DataDir) -> BackupInfo:
    """The current database, kept before it is replaced: a verified backup, or, when it is damaged or not a desk's
    database at all, a byte-for-byte copy, so that a restore never loses what was there."""
    try:
        backup.check_sqlite_file(data_dir.database)
    except BackupError:
        return backup.raw_copy(data_dir, "pre-restore")
    try:
        return create_backup(data_dir, "pre-restore")
    except DatabaseDamaged:
        return backup.raw_copy(data_dir, "pre-restore")


def _prepare(staged: Path, info: BackupInfo, actor: Actor | None) -> tuple[uuid.UUID, uuid.UUID | None]:
    """Make ``staged`` the restored database, complete before it takes the database's place: the backup's
    content, migrated to this program's schema, with a new device identity; then checked like a backup."""
    backup.copy_database(info.path, staged)
    database = Database.open_file(staged)
    try:
        identity = _new_identity(database, info.name, actor)
    finally:
        database.close()
    backup.settle(staged)
    facts = backup.check_sqlite_file(staged)
    if facts.revision != migrate.head_revision():
        raise BackupError("恢复后的数据库版本不对，未作任何改动")
    return identity


def _put_back(data_dir: DataDir, safety: BackupInfo) -> None:
    with atomic_path(data_dir.database) as staged:
        with safety.path.open("rb") as source, staged.open("wb") as target:
            shutil.copyfileobj(source, target, 1024 * 1024)
        backup.release_wal(data_dir)


def _reopen(data_dir: DataDir, safety: BackupInfo) -> None:
    """Open the restored desk once (as every command will); if it cannot be, put the previous database back."""
    try:
        Database.open(data_dir).close()
    except DomainError:
        _put_back(data_dir, safety)
        raise
    except Exception as error:
        _put_back(data_dir, safety)
        raise BackupError(f"恢复后的数据库无法打开，已换回恢复前的数据库：{error}") from None


def restore(root: Path, name: str, actor: Actor | None = None) -> RestoreReport:
    """Restore the backup ``name`` (a name from :func:`backups`, or a path to a backup file) into ``root``.

    Raises ``DataFolderError`` when another desk holds the folder, ``BackupError`` for a missing, damaged or
    foreign file, ``DatabaseTooNew`` for a backup made by a newer program; in each case nothing is changed.
    The restored database is prepared beside the current one and takes its place in one rename: a restore that
    is interrupted leaves either the previous database or the restored one, never a mixture. The current
    database may itself be damaged (the reason to restore): it is then kept as a byte-for-byte copy.
    """
    _check(actor, Permission.RESTORE_BACKUP)
    data_dir = _file_desk(root, "恢复")
    lock = InstanceLock(data_dir)
    lock.acquire()
    try:
        info = find_backup(data_dir, name)
        backup.check_sqlite_file(info.path)
        _refuse_too_new(info.path)
        remove_stale_temporaries(data_dir.root, data_dir.database.name, older_than_s=0)  # we hold the lock
        safety = _safety_copy(data_dir)
        with atomic_path(data_dir.database) as staged:
            device_id, previous = _prepare(staged, info, actor)
            backup.release_wal(data_dir)  # the old file's log must never meet the new file
        _reopen(data_dir, safety)
    finally:
        lock.release()
    return RestoreReport(info, safety, device_id, previous)
