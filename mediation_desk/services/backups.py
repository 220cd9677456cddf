"""Backup and restore of a desk, shared by the GUI and the CLI.

A restore replaces the database with a backup, after a safety backup of the current one ("pre-restore"); it then
opens the restored file, which runs any pending migration, and gives the desk a new device identity with its
revision counter at zero (SYNC.md: a restored backup gets a new device id, so that no revision number is ever
issued twice under one device id). It needs the data folder to itself: close any desk open on the folder (the
GUI closes its own before calling :func:`restore` and reopens afterwards).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from mediation_desk.domain.errors import DomainError
from mediation_desk.domain.permissions import Permission, check
from mediation_desk.services.desk import Actor, Desk
from mediation_desk.store import migrate
from mediation_desk.store.backup import (
    BackupError,
    BackupInfo,
    check_sqlite_file,
    copy_database,
    create_backup,
    find_backup,
    list_backups,
    restore_backup,
)
from mediation_desk.store.database import Database
from mediation_desk.store.datadir import DataDir, InstanceLock
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
    data_dir = DataDir(root)
    data_dir.require()
    return create_backup(data_dir, "manual")


def daily_if_due(desk: Desk) -> BackupInfo | None:
    """The automatic daily backup (rotating: the last seven are kept), when a day has passed since the last one."""
    return desk.database.daily_backup_if_due()


def backups(root: Path) -> list[BackupInfo]:
    """The backups of the desk in ``root``, newest first."""
    data_dir = DataDir(root)
    data_dir.require()
    return list_backups(data_dir)


def _check(actor: Actor | None) -> None:
    if actor is not None:
        check(actor.role, Permission.MANAGE_BACKUPS)


def _refuse_too_new(path: Path) -> None:
    """Refuse a backup written by a newer program before anything is replaced."""
    engine = sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
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


def _put_back(data_dir: DataDir, safety: BackupInfo) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(data_dir.database) + suffix).unlink(missing_ok=True)
    copy_database(safety.path, data_dir.database)


def restore(root: Path, name: str, actor: Actor | None = None) -> RestoreReport:
    """Restore the backup ``name`` (a name from :func:`backups`, or a path to a backup file) into ``root``.

    Raises ``DataFolderError`` when another desk holds the folder, ``BackupError`` for a missing, damaged or
    foreign file, ``DatabaseTooNew`` for a backup made by a newer program; in each case nothing is changed.
    If the restored database cannot be opened, the previous database is put back.
    """
    _check(actor)
    data_dir = DataDir(root)
    data_dir.require()
    lock = InstanceLock(data_dir)
    lock.acquire()
    try:
        info = find_backup(data_dir, name)
        check_sqlite_file(info.path)
        _refuse_too_new(info.path)
        safety = restore_backup(data_dir, info)
        try:
            database = Database.open(data_dir)  # runs pending migrations (backing the file up first)
            try:
                device_id, previous = _new_identity(database, info.name, actor)
            finally:
                database.close()
        except DomainError:
            _put_back(data_dir, safety)
            raise
        except Exception as error:
            _put_back(data_dir, safety)
            raise BackupError(f"恢复后的数据库无法打开，已换回恢复前的数据库：{error}") from None
        except BaseException:
            _put_back(data_dir, safety)
            raise
    finally:
        lock.release()
    return RestoreReport(info, safety, device_id, previous)
