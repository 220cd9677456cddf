"""Files written whole or not at all.

Every file the program writes for the user (backups, exports, printed forms, sync files) is first written under a
temporary name in the same folder, flushed to the disk (``fsync``), then renamed over its final name, and the
folder itself is flushed so that the rename survives a power cut. A reader therefore sees either the old file or
the complete new one, never a half-written file; an interrupted write leaves at most a hidden ``.NAME.*.tmp`` file
beside the target, which the next write of the same kind may clear away (:func:`remove_stale_temporaries`).

On Windows a folder cannot be opened for ``fsync``; there the rename (``MoveFileEx`` with replace) is what makes
the new file appear whole.
"""

from __future__ import annotations

import errno
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

__all__ = [
    "TEMP_SUFFIX",
    "atomic_open",
    "atomic_path",
    "atomic_text",
    "atomic_write",
    "fsync_dir",
    "fsync_file",
    "remove_stale_temporaries",
    "temporary_name",
]

TEMP_SUFFIX = ".tmp"
STALE_AFTER_S = 12 * 3600  # a temporary file this old belongs to no running write


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename or a new file in it) to the disk."""
    if os.name == "nt":  # Windows cannot open a folder for fsync; its rename is durable enough
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a file's content to the disk."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def temporary_name(target: Path) -> Path:
    """A fresh hidden name beside ``target``: ``.NAME.<random>.tmp``."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")


def _new_temporary(target: Path, mode: int) -> Path:
    for _attempt in range(16):
        candidate = temporary_name(target)
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
        except FileExistsError:
            continue
        os.close(fd)
        return candidate
    raise FileExistsError(f"no free temporary name beside {target}")


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):  # a database written there may have left its side files
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _place(temporary: Path, target: Path, *, replace: bool) -> None:
    if replace:
        os.replace(temporary, target)
        return
    if os.name == "nt":
        os.rename(temporary, target)  # Windows' rename never replaces: FileExistsError when the target exists
        return
    try:
        os.link(temporary, target)  # fails with FileExistsError rather than replace
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links (FAT, exFAT on a USB stick)
        if target.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        os.rename(temporary, target)
        return
    temporary.unlink()


@contextmanager
def atomic_path(target: Path, *, mode: int = 0o666, replace: bool = True) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to (by any means: SQLite, openpyxl, ReportLab); when the block
    ends normally it is flushed and renamed over ``target``. On an error it is removed and ``target`` is as before.

    The file exists (empty) when the block starts; ``mode`` is filtered by the umask, as for ``open``. With
    ``replace=False`` an existing ``target`` is never replaced: ``FileExistsError`` instead.
    """
    target = Path(target)
    temporary = _new_temporary(target, mode)
    try:
        yield temporary
        fsync_file(temporary)
        _place(temporary, target, replace=replace)
    except BaseException:
        _remove(temporary)
        raise
    fsync_dir(target.parent)


@contextmanager
def atomic_open(target: Path) -> Iterator[BinaryIO]:
    """``open(target, "wb")``, all or nothing: the file appears under its name only when the block ends normally."""
    with atomic_path(target) as temporary, temporary.open("wb") as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


@contextmanager
def atomic_text(target: Path, *, encoding: str = "utf-8", newline: str | None = "") -> Iterator[TextIO]:
    """``open(target, "w")`` for text, all or nothing (UTF-8 and no newline translation unless told)."""
    with atomic_path(target) as temporary, temporary.open("w", encoding=encoding, newline=newline) as handle:
        yield handle
        handle.flush()
        os.fsync(handle.fileno())


def atomic_write(target: Path, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``target`` whole or not at all (text is encoded with ``encoding``)."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    with atomic_open(target) as handle:
        handle.write(payload)


def remove_stale_temporaries(folder: Path, prefix: str = "", *, older_than_s: float = STALE_AFTER_S) -> int:
    """Remove what interrupted writes left in ``folder`` (``.NAME.*.tmp`` and their side files, for names that
    start with ``prefix``) when older than ``older_than_s`` seconds (0: all of them, for a caller that holds the
    folder's lock). Returns how many files were removed."""
    removed = 0
    if not folder.is_dir():
        return removed
    now = time.time()
    for path in folder.iterdir():
        base = path.name
        for suffix in ("-journal", "-wal", "-shm"):
            base = base.removesuffix(suffix)
        if not (base.startswith(f".{prefix}") and base.endswith(TEMP_SUFFIX)):
            continue
        try:
            if now - path.stat().st_mtime < older_than_s:
                continue
            path.unlink()
        except OSError:
            continue
        removed += 1
    return removed
