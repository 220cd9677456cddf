"""The data folder: the SQLite file, attachments, backups and logs, and the lock that keeps it to one desk."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from filelock import FileLock, Timeout

from mediation_desk.domain.errors import DomainError

APP_NAME = "MediationDesk"
ENV_VAR = "MEDIATION_DESK_DATA"
DB_NAME = "mediation-desk.sqlite3"


class DataFolderError(DomainError):
    """The data folder is missing, unusable or in use by another running desk."""


def default_data_dir() -> Path:
    """``--data-dir`` wins over ``MEDIATION_DESK_DATA``, which wins over the per-user folder from platformdirs."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / DB_NAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def lock_file(self) -> Path:
        return self.root / ".mediation-desk.lock"

    def exists(self) -> bool:
        return self.database.exists()

    def create(self) -> None:
        """Make the folder and its subfolders; a clear error when the place is not writable."""
        try:
            for path in (self.root, self.backups, self.attachments, self.logs):
                path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DataFolderError(f"无法创建数据文件夹 {self.root}：{error.strerror}") from None

    def require(self) -> None:
        """Raise a clear error when the folder or its database is missing."""
        if not self.root.is_dir():
            raise DataFolderError(f"数据文件夹 {self.root} 不存在；请先运行 init 或 demo 建立工作台")
        if not self.database.exists():
            raise DataFolderError(f"数据文件夹 {self.root} 中没有工作台数据库；请先运行 init 或 demo")


class InstanceLock:
    """One running desk per data folder. The lock is released when the process ends, even on a crash."""

    def __init__(self, data_dir: DataDir) -> None:
        self._lock = FileLock(str(data_dir.lock_file), timeout=0)
        self._root = data_dir.root

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise DataFolderError(f"另一个调解工作台正在使用数据文件夹 {self._root}；请先关闭它再试") from None

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
