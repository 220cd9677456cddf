"""Backups of the SQLite file, and the checks a file passes before the program vouches for it.

A backup is consistent (SQLite's online backup API, while the desk is in use), made only of an intact database
(``PRAGMA quick_check`` first: a damaged database is refused, not copied), atomic (``store.files``: a temporary
name, fsync, rename) and verified before it gets its name (opened read-only, checked again, its schema revision
and application id compared with the source's).

A desk's database carries :data:`APPLICATION_ID` in its header (``PRAGMA application_id``). A file is a desk's
database when it is SQLite and carries that id, or, for desks made before the id, has the program's tables and
its migration table; anything else is another program's file and is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

import sqlalchemy as sa

from mediation_desk.domain.errors import DomainError
from mediation_desk.store.datadir import DatabaseDamaged, DataDir, NotADeskDatabase, read_only_error
from mediation_desk.store.files import atomic_open, atomic_path, fsync_dir, remove_stale_temporaries

APPLICATION_ID = 0x4D44736B  # "MDsk": this program's mark in the SQLite header (offset 68)
SQLITE_MAGIC = b"SQLite format 3\x00"
DESK_TABLES = frozenset({"org_unit", "dispute_case", "audit_event", "app_user", "setting"})
PROGRAM = "mediation-desk"
CHECK_LIMIT = 10  # quick_check stops after this many problems: one is enough to refuse
_NAME = re.compile(r"^backup-(?P<stamp>\d{8}-\d{6}(?:-\d{6})?)-(?P<reason>[a-z0-9-]+)\.sqlite3$")
KEEP = {"daily": 7, "pre-migration": 5, "pre-restore": 5, "manual": 1000}
DAILY_BUDGET_MIN = 1 << 30  # the daily backups may always take 1 GiB together...
DAILY_BUDGET_FACTOR = 3  # ...or three times the database, whichever is more; the oldest go first beyond that
UNCHANGED_GAP_DAYS = 7  # an unchanged database is still backed up once a week (a change no stamp would show)
CANDIDATES = 20  # how many of the newest backups are tried when looking for the last good one

__all__ = [
    "APPLICATION_ID",
    "BackupError",
    "BackupInfo",
    "FileFacts",
    "FileKind",
    "check_sqlite_file",
    "connect_read_only",
    "content_stamp",
    "copy_database",
    "create_backup",
    "damaged_error",
    "damaged_message",
    "desk_problem",
    "file_problem",
    "find_backup",
    "forget_side_files",
    "fsync_dir",
    "last_good_backup",
    "list_backups",
    "not_a_desk",
    "quick_check",
    "raw_copy",
    "read_facts",
    "read_only_url",
    "release_wal",
    "restore_command",
    "rotate",
    "settle",
    "side_files",
    "summary",
]


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


# ---------------------------------------------------------------------------------------------------------------
# Looking at a SQLite file without writing to it


def file_uri(path: Path, *, immutable: bool = False) -> str:
    """A read-only SQLite URI for ``path`` (percent-encoded, so any folder name works).

    ``immutable`` tells SQLite that nothing changes the file, so it needs no ``-shm`` file: the way to read a WAL
    database in a folder that cannot be written (SQLite docs, "Read-Only Databases" in wal.html).
    """
    uri = "file:" + urllib.request.pathname2url(str(Path(path).absolute()))
    return uri + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def read_only_url(path: Path, *, immutable: bool = False) -> str:
    """The SQLAlchemy URL of ``path`` opened read-only (see :func:`file_uri`)."""
    uri = file_uri(path, immutable=immutable)
    base, _, query = uri.partition("?")
    params = dict(part.split("=", 1) for part in query.split("&"))
    url = sa.engine.URL.create("sqlite+pysqlite", database=base, query={**params, "uri": "true"})
    return url.render_as_string(hide_password=False)


def connect_read_only(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    return sqlite3.connect(file_uri(path, immutable=immutable), uri=True)


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a SQLite database at all (an empty file, another format), or ``None``."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        return f"无法读取：{error.strerror or error}"
    if not header:
        return "空文件，0 字节"
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return "不是 SQLite 格式的文件"
    return None


def quick_check(connection: sqlite3.Connection) -> list[str]:
    """SQLite's ``PRAGMA quick_check``: the problems it finds (none when the file is intact)."""
    try:
        rows = connection.execute(f"PRAGMA quick_check({CHECK_LIMIT})").fetchall()
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [str(row[0]) for row in rows if row[0] != "ok"]


@dataclass(frozen=True, slots=True)
class FileFacts:
    application_id: int
    tables: frozenset[str]
    revision: str | None  # the schema revision in ``alembic_version``


def read_facts(connection: sqlite3.Connection) -> FileFacts:
    """The application id, the tables and the schema revision (raises ``sqlite3.DatabaseError``)."""
    application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    tables = frozenset(str(row[0]) for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'"))
    revision = None
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row else None
    return FileFacts(application_id, tables, revision)


class FileKind(Enum):
    FOREIGN = "foreign"  # another program's database
    DAMAGED = "damaged"  # a desk's database that has lost part of itself


def desk_problem(facts: FileFacts) -> tuple[FileKind, str] | None:
    """Whether these facts describe a desk's database; if not, whose file it is or what it lacks."""
    ours = bool(facts.tables & DESK_TABLES)
    if facts.application_id not in (0, APPLICATION_ID):
        return FileKind.FOREIGN, f"属于另一个程序（application_id 0x{facts.application_id & 0xFFFFFFFF:08X}）"
    if facts.application_id == 0 and not ours:
        return FileKind.FOREIGN, "其中没有工作台的数据表"
    if not ours:
        return FileKind.DAMAGED, "缺少工作台的数据表"
    if facts.revision is None:
        return FileKind.DAMAGED, "缺少数据库版本表 alembic_version"
    return None


def check_sqlite_file(path: Path) -> FileFacts:
    """Refuse (``BackupError``) anything that is not an intact database of this program; its facts otherwise."""
    problem = file_problem(path)
    if problem is not None:
        raise BackupError(f"{path.name} 不是有效的数据库文件（{problem}）")
    try:
        connection = connect_read_only(path)
        try:
            problems = quick_check(connection)
            facts = None if problems else read_facts(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        raise BackupError(f"{path.name} 不是有效的数据库文件") from None
    if facts is None:
        raise BackupError(f"{path.name} 已损坏，不能用于恢复（{summary(problems[0])}）")
    found = desk_problem(facts)
    if found is not None:
        kind, text = found
        if kind is FileKind.FOREIGN:
            raise BackupError(f"{path.name} 不是调解工作台的数据库（{text}）")
        raise BackupError(f"{path.name} 已损坏，不能用于恢复（{text}）")
    return facts


def settle(path: Path) -> None:
    """Fold a closed database's write-ahead log back into the file, so that the file alone is the database."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()  # the last connection removes the -wal and -shm files


# ---------------------------------------------------------------------------------------------------------------
# Damage and the way to recover


def summary(text: str, limit: int = 120) -> str:
    """SQLite's complaint on one line (without quick_check's "*** in database main ***" heading), shortened."""
    line = " ".join(text.replace("*** in database main ***", " ").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def last_good_backup(data_dir: DataDir) -> BackupInfo | None:
    """The newest backup that passes the same checks as a restore (of the newest ``CANDIDATES``)."""
    for info in list_backups(data_dir)[:CANDIDATES]:
        try:
            check_sqlite_file(info.path)
        except BackupError:
            continue
        return info
    return None


def restore_command(data_dir: DataDir, info: BackupInfo) -> str:
    folder = str(data_dir.root)
    if any(char.isspace() for char in folder):
        folder = f'"{folder}"'
    return f"{PROGRAM} --data-dir {folder} backup restore {info.name}"


def damaged_error(data_dir: DataDir, detail: str) -> DatabaseDamaged:
    """The error for a damaged database: one line, what SQLite found and how to recover."""
    return DatabaseDamaged(damaged_message(data_dir, detail, last_good_backup(data_dir)))


def damaged_message(data_dir: DataDir, detail: str, good: BackupInfo | None) -> str:
    """One line: the database is damaged (``detail``: what SQLite found), and how to recover from ``good``."""
    if good is None:
        return (
            f"数据库 {data_dir.database} 已损坏（{summary(detail)}），本操作未执行，且没有完好的备份可用于恢复；"
            f"请先把整个数据文件夹 {data_dir.root} 复制保存，不要再写入，并联系技术支持"
        )
    return (
        f"数据库 {data_dir.database} 已损坏（{summary(detail)}），本操作未执行。恢复方法：关闭调解工作台，"
        f"用最近一次完好的备份 {good.name} 恢复：{restore_command(data_dir, good)}"
        "（恢复前会先保存当前数据库的副本）"
    )


# ---------------------------------------------------------------------------------------------------------------
# Making backups


def _verify_copy(path: Path, source: FileFacts) -> None:
    connection = connect_read_only(path)
    try:
        problems = quick_check(connection)
        facts = None if problems else read_facts(connection)
    finally:
        connection.close()
    if facts is None:
        raise BackupError(f"备份写入后校验失败（{summary(problems[0])}），未保存此备份")
    if (facts.revision, facts.application_id) != (source.revision, source.application_id):
        raise BackupError("备份写入后校验失败（数据库版本与原数据库不一致），未保存此备份")


def copy_database(source: Path, target: Path, *, immutable: bool = False) -> None:
    """Copy a live SQLite database consistently to ``target``, atomically, and verify the copy before it gets
    its name (the copy uses the rollback journal: one self-contained file)."""
    with atomic_path(target) as temporary:
        src = connect_read_only(source, immutable=immutable)
        try:
            dst = sqlite3.connect(temporary)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
            facts = read_facts(src)
        finally:
            src.close()
        _verify_copy(temporary, facts)


def not_a_desk(path: Path, detail: str, data_dir: DataDir | None = None) -> NotADeskDatabase:
    """The error for a file that is not a desk's database (``detail``: what it is instead). With ``data_dir``
    (a file that is not SQLite at all, in a folder with backups): how to restore, should it have been a desk's."""
    message = f"{path} 不是调解工作台的数据库（{detail}）；文件未作任何改动。请用 --data-dir 指定工作台的数据文件夹"
    good = last_good_backup(data_dir) if data_dir is not None else None
    if data_dir is not None and good is not None:
        message += f"；如果它本是工作台的数据库，说明它已损坏，可用备份恢复：{restore_command(data_dir, good)}"
    return NotADeskDatabase(message)


def side_files(data_dir: DataDir) -> set[str]:
    """Which of the database's ``-wal`` and ``-shm`` files exist now."""
    return {suffix for suffix in ("-wal", "-shm") if data_dir.side_file(suffix).exists()}


def forget_side_files(data_dir: DataDir, existed: set[str]) -> None:
    """Remove the empty ``-wal`` and ``-shm`` files that looking at another program's WAL database made beside it
    (a read-only connection cannot remove them itself); the file itself was never written."""
    wal, shm = data_dir.side_file("-wal"), data_dir.side_file("-shm")
    if existed or (wal.exists() and wal.stat().st_size > 0):
        return
    for side in (wal, shm):
        side.unlink(missing_ok=True)


def _check_source(data_dir: DataDir) -> None:
    """The database to back up is a desk's, and intact."""
    problem = file_problem(data_dir.database)
    if problem is not None:
        raise not_a_desk(data_dir.database, problem, data_dir)
    existed = side_files(data_dir)
    try:
        connection = connect_read_only(data_dir.database)
        try:
            problems = quick_check(connection)
            facts = None if problems else read_facts(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        problems, facts = [str(error)], None
    if facts is None:
        raise damaged_error(data_dir, problems[0])
    found = desk_problem(facts)
    if found is not None:
        kind, text = found
        if kind is FileKind.FOREIGN:
            forget_side_files(data_dir, existed)
            raise not_a_desk(data_dir.database, text)
        raise damaged_error(data_dir, text)


def _backup_target(data_dir: DataDir, reason: str) -> tuple[Path, datetime]:
    """The name of a new backup, in a backups folder that can be written (a clear refusal otherwise)."""
    if not data_dir.database.exists():
        raise BackupError("没有可备份的数据库")
    with contextlib.suppress(OSError):  # reported just below, with the reason
        data_dir.backups.mkdir(parents=True, exist_ok=True)
    if not data_dir.backups.is_dir() or not os.access(data_dir.backups, os.W_OK):
        raise read_only_error(f"数据文件夹 {data_dir.root} 是只读的", "不能在其中备份")
    remove_stale_temporaries(data_dir.backups, "backup-")
    now = datetime.now(UTC)
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    return data_dir.backups / f"backup-{stamp}-{reason}.sqlite3", now


def create_backup(data_dir: DataDir, reason: str = "manual") -> BackupInfo:
    """A verified backup of the desk's database; a damaged database is refused (``DatabaseDamaged``)."""
    target, now = _backup_target(data_dir, reason)
    _check_source(data_dir)
    try:
        copy_database(data_dir.database, target)
    except (OSError, sqlite3.Error) as error:
        raise BackupError(f"备份失败：{error}") from None
    rotate(data_dir, reason)
    return BackupInfo(target, now, reason, target.stat().st_size)


def raw_copy(data_dir: DataDir, reason: str) -> BackupInfo:
    """A byte-for-byte copy of the database file as it is (for one that is damaged or not a desk's database, which
    the backup API would not vouch for), so that replacing it loses nothing."""
    target, now = _backup_target(data_dir, reason)
    try:
        with data_dir.database.open("rb") as source, atomic_open(target) as copy:
            shutil.copyfileobj(source, copy, 1024 * 1024)
    except OSError as error:
        raise BackupError(f"备份失败：{error.strerror or error}") from None
    rotate(data_dir, reason)
    return BackupInfo(target, now, reason, target.stat().st_size)


def release_wal(data_dir: DataDir) -> None:
    """Before the database file is replaced: fold its write-ahead log into it, then remove the log, so that no log
    of the old file is ever read against the new one. A file SQLite cannot open keeps its log removed all the same
    (a raw copy was taken first)."""
    with contextlib.suppress(sqlite3.Error):
        settle(data_dir.database)
    for suffix in ("-wal", "-shm"):
        data_dir.side_file(suffix).unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------------------------
# Listing


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
    """Keep the newest ``KEEP[reason]`` backups of a reason; daily ones also within their size budget (a large
    desk keeps fewer days rather than many gigabytes), though never fewer than the newest."""
    keep = KEEP.get(reason, 1000)
    same = [info for info in list_backups(data_dir) if info.reason == reason]
    for info in same[keep:]:
        info.path.unlink(missing_ok=True)
    if reason != "daily" or not same:
        return
    size = data_dir.database.stat().st_size if data_dir.database.exists() else 0
    budget = max(DAILY_BUDGET_MIN, DAILY_BUDGET_FACTOR * size)
    total = 0
    for index, info in enumerate(same[:keep]):
        total += info.size
        if index > 0 and total > budget:
            info.path.unlink(missing_ok=True)


def content_stamp(path: Path) -> tuple[object, ...] | None:
    """What changes whenever the desk's content does: the schema revision, the last change in the audit trail (one
    row per transaction that changed anything), the last revision, the sync files taken in, the settings. ``None``
    when the file cannot be read."""
    queries = (  # (the table a query needs, the query)
        ("alembic_version", "SELECT max(version_num) FROM alembic_version"),  # (a copy renumbers schema_version)
        ("audit_event", "SELECT max(id) FROM audit_event"),
        ("revision", "SELECT max(rowid) FROM revision"),
        ("sync_import", "SELECT count(*) FROM sync_import"),
        ("setting", "SELECT group_concat(key || '=' || value, ';') FROM (SELECT * FROM setting ORDER BY key)"),
    )
    try:
        connection = connect_read_only(path)
        try:
            tables = read_facts(connection).tables
            return tuple(
                connection.execute(query).fetchone()[0] if table in tables else None for table, query in queries
            )
        finally:
            connection.close()
    except sqlite3.Error:
        return None


def unchanged_since(data_dir: DataDir, info: BackupInfo) -> bool:
    """Whether the database holds what the backup ``info`` holds, as far as :func:`content_stamp` tells."""
    live = content_stamp(data_dir.database)
    return live is not None and live == content_stamp(info.path)


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
