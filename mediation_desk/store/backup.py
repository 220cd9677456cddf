"""Backups of the SQLite file: consistent (SQLite's online backup API), atomic (temporary name, fsync, rename)."""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mediation_desk.domain.errors import DomainError
from mediation_desk.store.datadir import DataDir

_NAME = re.compile(r"^backup-(?P<stamp>\d{8}-\d{6}(?:-\d{6})?)-(?P<reason>[a-z0-9-]+)\.sqlite3$")
KEEP = {"daily": 7, "pre-migration": 5, "pre-restore": 5, "manual": 1000}


class BackupError(DomainError):
    pass


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def fsync_dir(path: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory for fsync; rename is durable enough there
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_database(source: Path, target: Path) -> None:
    """Copy a live SQLite database consistently to ``target``, atomically."""
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with tmp.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    fsync_dir(target.parent)


def create_backup(data_dir: DataDir, reason: str = "manual") -> BackupInfo:
    if not data_dir.database.exists():
        raise BackupError("没有可备份的数据库")
    data_dir.backups.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    target = data_dir.backups / f"backup-{stamp}-{reason}.sqlite3"
    try:
        copy_database(data_dir.database, target)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"备份失败：{error}") from None
    rotate(data_dir, reason)
    return BackupInfo(target, now, reason, target.stat().st_size)


def list_backups(data_dir: DataDir) -> list[BackupInfo]:
    """Backups, newest first."""
    found: list[BackupInfo] = []
    if not data_dir.backups.is_dir():
        return found
    for path in data_dir.backups.iterdir():
        match = _NAME.match(path.name)
        if not match:
            continue
        stamp = match["stamp"]
        fmt = "%Y%m%d-%H%M%S-%f" if stamp.count("-") == 2 else "%Y%m%d-%H%M%S"
        created = datetime.strptime(stamp, fmt).replace(tzinfo=UTC)
        found.append(BackupInfo(path, created, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda info: info.created, reverse=True)


def rotate(data_dir: DataDir, reason: str) -> None:
    keep = KEEP.get(reason, 1000)
    same = [info for info in list_backups(data_dir) if info.reason == reason]
    for info in same[keep:]:
        info.path.unlink(missing_ok=True)


def find_backup(data_dir: DataDir, name: str) -> BackupInfo:
    for info in list_backups(data_dir):
        if name in (info.name, str(info.path)):
            return info
    candidate = Path(name)
    if candidate.is_file():
        return BackupInfo(
            candidate,
            datetime.fromtimestamp(candidate.stat().st_mtime, UTC),
            "file",
            candidate.stat().st_size,
        )
    raise BackupError(f"找不到备份 {name}；用 backup list 查看现有备份")


def check_sqlite_file(path: Path) -> None:
    """Refuse anything that is not an intact SQLite database of this program."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise BackupError(f"{path.name} 不是有效的数据库文件") from None
    if not result or result[0] != "ok":
        raise BackupError(f"{path.name} 已损坏，不能用于恢复")
    if "dispute_case" not in tables or "alembic_version" not in tables:
        raise BackupError(f"{path.name} 不是调解工作台的数据库")


def restore_backup(data_dir: DataDir, info: BackupInfo) -> BackupInfo:
    """Replace the database with a backup; the current database is backed up first. Returns that safety copy."""
    check_sqlite_file(info.path)
    safety = create_backup(data_dir, "pre-restore")
    staged = data_dir.database.with_name(data_dir.database.name + ".restore")
    copy_database(info.path, staged)
    for suffix in ("-wal", "-shm"):
        Path(str(data_dir.database) + suffix).unlink(missing_ok=True)
    os.replace(staged, data_dir.database)
    fsync_dir(data_dir.root)
    return safety
