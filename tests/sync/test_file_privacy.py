"""Nothing decrypted is written next to a sync file, and nothing half-written is left behind (SYNC.md "Privacy",
"Interruption").

Writing and reading leave the sync file's folder holding the file and nothing else; the unencrypted archive lives
in memory, then in an anonymous file of the temporary folder (``TMPDIR``, watched here), gone when done. A write
that fails midway leaves no file at the target (or the old one untouched) and no temporary file beside it.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pyrage
import pytest

from mediation_desk.sync.errors import SyncFileError
from mediation_desk.sync.fileformat import open_sync_file
from mediation_desk.sync.limits import Limits
from mediation_desk.sync.lines import SignedRevision
from tests.sync import fileformat_support as fs

SMALL_SPOOL = Limits(spool_bytes=1024)  # the archive leaves memory for the temporary folder at once


@pytest.fixture
def watched_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, for this test: a fresh empty folder whose content the test can check."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    assert tempfile.gettempdir() == str(folder)
    return folder


def _open_files_under(folder: Path) -> list[str]:
    """The files this process has open under ``folder`` (Linux: anonymous files show as ``folder/#123 (deleted)``)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


HAS_PROC = Path("/proc/self/fd").is_dir()


def test_reading_leaves_nothing_beside_the_file_nor_in_the_temporary_folder(tmp_path: Path, watched_tmp: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    written = fs.write(stick / "2026-03.mdsync", fs.Rows(fs.village()).many(200, facts_bytes=300))
    assert sorted(path.name for path in stick.iterdir()) == ["2026-03.mdsync"]
    with open_sync_file(
        written.path,
        desk=fs.township().local(),
        trust=fs.township_trust(),
        schema_version=fs.SCHEMA,
        limits=SMALL_SPOOL,
    ) as opened:
        count = sum(1 for _ in opened.revisions())
        assert list(watched_tmp.iterdir()) == []  # anonymous, even while open
        if HAS_PROC:  # the decrypted archive did go to the temporary folder (not memory, not the stick)
            assert _open_files_under(watched_tmp)
            assert _open_files_under(stick) == [str(written.path)]  # the sync file itself, read
        assert sorted(path.name for path in stick.iterdir()) == ["2026-03.mdsync"]
    assert count == 200
    assert list(watched_tmp.iterdir()) == []
    assert sorted(path.name for path in stick.iterdir()) == ["2026-03.mdsync"]
    if HAS_PROC:
        assert _open_files_under(watched_tmp) == []


def test_a_refused_file_leaves_nothing_in_the_temporary_folder(tmp_path: Path, watched_tmp: Path) -> None:
    written = fs.write(tmp_path / "a.mdsync", fs.Rows(fs.village()).many(200, facts_bytes=300))
    data = bytearray(written.path.read_bytes())
    data[-100] ^= 0x40
    written.path.write_bytes(bytes(data))
    with pytest.raises(SyncFileError):
        fs.read(written.path, limits=SMALL_SPOOL)
    assert list(watched_tmp.iterdir()) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.mdsync", "system-tmp"]
    if HAS_PROC:
        assert _open_files_under(watched_tmp) == []


def test_writing_leaves_only_the_file_and_spools_to_the_temporary_folder(tmp_path: Path, watched_tmp: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    seen: dict[str, object] = {}

    def revisions() -> Iterator[SignedRevision]:
        yield from fs.Rows(fs.village()).many(300, facts_bytes=300)
        seen["stick"] = sorted(path.name for path in stick.iterdir())
        seen["tmp"] = list(watched_tmp.iterdir())
        seen["open"] = _open_files_under(watched_tmp) if HAS_PROC else ["(no /proc)"]

    fs.write(stick / "out.mdsync", revisions(), limits=SMALL_SPOOL)
    assert seen == {"stick": [], "tmp": [], "open": seen["open"]}
    assert seen["open"]  # the archive being written was in the temporary folder, anonymous
    assert sorted(path.name for path in stick.iterdir()) == ["out.mdsync"]
    assert list(watched_tmp.iterdir()) == []
    assert len(fs.read(stick / "out.mdsync")[1]) == 300


def test_a_given_temporary_folder_is_used_instead(tmp_path: Path, watched_tmp: Path) -> None:
    private = tmp_path / "private-tmp"
    private.mkdir()
    written = fs.write(tmp_path / "out.mdsync", fs.Rows(fs.village()).many(50), temp_dir=private, limits=SMALL_SPOOL)
    _opened, read = fs.read(written.path, temp_dir=private, limits=SMALL_SPOOL)
    assert len(read) == 50
    assert list(private.iterdir()) == list(watched_tmp.iterdir()) == []


class _Interrupted(Exception):
    pass


def _failing_after(count: int) -> Iterator[SignedRevision]:
    yield from fs.Rows(fs.village()).many(count, facts_bytes=300)
    raise _Interrupted


def test_a_write_that_fails_midway_leaves_no_file_and_no_temporary(tmp_path: Path, watched_tmp: Path) -> None:
    with pytest.raises(_Interrupted):
        fs.write(tmp_path / "out.mdsync", _failing_after(150), limits=SMALL_SPOOL)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["system-tmp"]
    assert list(watched_tmp.iterdir()) == []


def test_a_write_that_fails_midway_leaves_the_previous_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out.mdsync"
    before = fs.write(target, fs.Rows(fs.village()).many(5)).path.read_bytes()
    with pytest.raises(_Interrupted):
        fs.write(target, _failing_after(40))
    assert target.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == ["out.mdsync"]
    assert len(fs.read(target)[1]) == 5


def test_a_write_that_fails_while_encrypting_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up while the encrypted file is being written beside the target."""
    target = tmp_path / "out.mdsync"
    seen: list[list[str]] = []

    def disk_full(source: IO[bytes], out: IO[bytes], recipients: object) -> None:
        out.write(b"age-encryption.org/v1\n" + bytes(5000))
        seen.append(sorted(path.name for path in tmp_path.iterdir()))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pyrage, "encrypt_io", disk_full)
    with pytest.raises(OSError, match="No space"):
        fs.write(target, fs.Rows(fs.village()).many(5))
    assert len(seen) == 1
    assert len(seen[0]) == 1
    assert seen[0][0].startswith(".out.mdsync.")  # the hidden temporary name, then removed
    assert seen[0][0].endswith(".tmp")
    assert list(tmp_path.iterdir()) == []


def test_a_bad_escrow_recipient_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="age"):
        fs.write(tmp_path / "out.mdsync", fs.Rows(fs.village()).many(5), escrow="age1notarecipient")
    assert list(tmp_path.iterdir()) == []
