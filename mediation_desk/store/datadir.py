"""The data folder: the SQLite file, attachments, backups and logs, and the lock that keeps it to one desk.

A county or a province may keep its (merged) database on a PostgreSQL server instead of the SQLite file: the
server's URL is given with ``--database-url`` or ``MEDIATION_DESK_DATABASE_URL`` (``use_database_url``), and the
folder set up with it remembers it, without its password, in ``database-url.txt``, so later commands on that
folder find the server by themselves. The folder still holds the lock, the logs and the attachments.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from mediation_desk.domain.errors import DomainError

APP_NAME = "MediationDesk"
ENV_VAR = "MEDIATION_DESK_DATA"
DB_NAME = "mediation-desk.sqlite3"
URL_ENV_VAR = "MEDIATION_DESK_DATABASE_URL"
URL_FILE = "database-url.txt"
SERVER_SCHEMES = ("postgresql",)  # postgresql+psycopg://user@host:port/database

_URL: ContextVar[str | None] = ContextVar("database_url", default=None)


def use_database_url(url: str | None) -> None:
    """The database server to use for every data folder opened from now on (``--database-url``), or ``None``:
    the folder's own choice (its ``database-url.txt``, else its SQLite file)."""
    if url is not None:
        check_server_url(url)
    _URL.set(url)


def check_server_url(url: str) -> str:
    """``url`` when it names a supported server database; a clear error otherwise."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme.split("+", 1)[0] not in SERVER_SCHEMES:
        raise DataFolderError(
            f"数据库地址“{scheme or url[:20]}…”不受支持：应为 postgresql+psycopg://用户@主机:端口/数据库"
        )
    return url


class DataFolderError(DomainError):
    """The data folder is missing, unusable or in use by another running desk."""


class DataFolderReadOnly(DataFolderError):
    """The data folder or its database file cannot be written: reading works, saving does not."""


class NotADeskDatabase(DataFolderError):
    """The database file belongs to no desk (another program's SQLite file, an empty file, not SQLite at all); it
    is left exactly as it is."""


class DatabaseDamaged(DataFolderError):
    """The desk's database fails SQLite's checks (or has lost its migration table): the message says how to
    recover it from the last good backup."""


def default_data_dir() -> Path:
    """``--data-dir`` wins over ``MEDIATION_DESK_DATA``, which wins over the per-user folder from platformdirs."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs  # only when no folder is given

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

    @property
    def url_file(self) -> Path:
        return self.root / URL_FILE

    @property
    def database_url(self) -> str | None:
        """The server database this desk keeps its data in (``None``: the SQLite file in the folder)."""
        given = _URL.get() or os.environ.get(URL_ENV_VAR, "").strip() or None
        if given is not None:
            return check_server_url(given)
        try:
            return check_server_url(self.url_file.read_text(encoding="utf-8").strip())
        except FileNotFoundError:
            return None

    def exists(self) -> bool:
        if self.database_url is not None:
            from mediation_desk.store.server import holds_desk  # imported when needed: a server is the rare case

            return holds_desk(self.database_url)
        return self.database.exists()

    def side_file(self, suffix: str) -> Path:
        """The database's ``-wal``, ``-shm`` or ``-journal`` file."""
        return self.database.with_name(self.database.name + suffix)

    def read_only_reason(self) -> str | None:
        """Why this desk cannot be written (a read-only folder or database file), or ``None`` when it can."""
        if self.root.is_dir() and not os.access(self.root, os.W_OK):
            return f"数据文件夹 {self.root} 是只读的"
        for path in (self.database, self.side_file("-wal"), self.side_file("-shm")):
            if path.exists() and not os.access(path, os.W_OK):
                return f"数据库文件 {path} 是只读的"
        return None

    def require_writable(self, what: str = "本操作需要写入") -> None:
        """Raise ``DataFolderReadOnly`` when the desk cannot be written; ``what`` says what needed to write."""
        reason = self.read_only_reason()
        if reason is not None:
            raise read_only_error(reason, what)

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
        if not self.exists():
            where = "数据库服务器上" if self.database_url is not None else f"数据文件夹 {self.root} 中"
            raise DataFolderError(f"{where}没有工作台数据库；请先运行 init 或 demo")


def read_only_error(reason: str, what: str) -> DataFolderReadOnly:
    """``reason`` (which folder or file is read-only) and ``what`` could not be done, in one line."""
    return DataFolderReadOnly(
        f"{reason}，{what}，未作任何改动；只读时仍可查看（cases、stats）。"
        "请把数据文件夹放到可写的位置，或取消只读属性后再试"
    )


class InstanceLock:
    """One running desk per data folder. The lock is released when the process ends, even on a crash."""

    def __init__(self, data_dir: DataDir) -> None:
        from filelock import FileLock  # loaded with the first lock, not with the GUI's first-run test

        self._lock = FileLock(str(data_dir.lock_file), timeout=0)
        self._data_dir = data_dir
        self._root = data_dir.root

    def acquire(self) -> None:
        """Take the folder for writing: a desk that cannot be written is refused here, with the reason."""
        from filelock import Timeout

        self._data_dir.require_writable("不能在其中保存或导入")
        try:
            self._lock.acquire()
        except Timeout:
            raise DataFolderError(f"另一个调解工作台正在使用数据文件夹 {self._root}；请先关闭它再试") from None
        except OSError as error:
            self._data_dir.require_writable("不能在其中保存或导入")
            raise DataFolderError(f"无法在数据文件夹 {self._root} 中建立锁文件：{error.strerror or error}") from None

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
