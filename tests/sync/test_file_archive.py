"""The archive inside a sync file is checked before anything is unpacked (SYNC.md import steps 1 and 3, "Parsing").

Each archive here is built by hand (``fileformat_support.build_zip``), signed with the village's key when it
matters and encrypted to the township, so that the only thing wrong with it is the thing under test: a file over
the size cap, zip bombs (a huge ratio, lying sizes, overlapping entries, a nested archive, 100,000 members), and
member names that are paths, look-alikes, duplicates or unknown. Every refusal is a ``SyncFileError``.
"""

from __future__ import annotations

import io
import time
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest

from mediation_desk.sync.archive import CERTIFICATES, MANIFEST, RECEIPTS, SIGNATURE
from mediation_desk.sync.errors import BadArchive, BadMember, FileTooLarge, SyncFileError, ZipBomb
from mediation_desk.sync.limits import KIB, Limits
from tests.sync import fileformat_support as fs

REVISIONS = fs.REVISIONS


def _members(count: int = 3) -> dict[str, bytes]:
    return fs.standard_members(fs.Rows(fs.village()).many(count))


def _forge(tmp_path: Path, **fields: object) -> Path:
    return fs.forge(tmp_path / "forged.mdsync", fs.Forgery(**fields))  # type: ignore[arg-type]


def _with_entry(entry: fs.Entry, at: int | None = None) -> object:
    def add(entries: list[fs.Entry]) -> list[fs.Entry]:
        index = len(entries) if at is None else at
        return [*entries[:index], entry, *entries[index:]]

    return add


def test_a_hand_built_archive_is_read_like_a_written_one(tmp_path: Path) -> None:
    """The builder makes what the reader accepts; every test below changes one thing."""
    for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        _opened, read = fs.read(_forge(tmp_path, members=_members(), method=method))
        assert len(read) == 3


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written = fs.write(tmp_path / "big.mdsync", fs.Rows(fs.village()).many(50))
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    error = fs.refusal(written.path, limits=Limits(max_file_bytes=written.size - 1))
    assert isinstance(error, FileTooLarge)
    assert "文件过大" in str(error)
    assert opened == []
    assert len(fs.read(written.path, limits=Limits(max_file_bytes=written.size))[1]) == 50


def test_a_member_with_a_huge_compression_ratio_is_a_zip_bomb(tmp_path: Path) -> None:
    members = {**_members(), REVISIONS: b"\n" * (4 * 1024 * 1024)}
    error = fs.refusal(_forge(tmp_path, members=members))
    assert isinstance(error, ZipBomb)
    assert "压缩比异常" in str(error)
    assert error.member == REVISIONS


def test_a_member_unpacking_beyond_its_cap_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    members = {**_members(), REVISIONS: fs.revision_lines(fs.Rows(fs.village()).many(100))}
    limits = Limits(max_member_bytes=8 * KIB)
    assert isinstance(fs.refusal(_forge(tmp_path, members=members), limits=limits), ZipBomb)
    limits = Limits(max_total_bytes=8 * KIB)
    assert isinstance(fs.refusal(_forge(tmp_path, members=members), limits=limits), ZipBomb)


def _lie(name: str, **changes: object) -> object:
    def transform(entries: list[fs.Entry]) -> list[fs.Entry]:
        for entry in entries:
            if entry.name == name:
                for key, value in changes.items():
                    setattr(entry, key, value)
        return entries

    return transform


@pytest.mark.parametrize(
    ("changes", "error_type"),
    [
        ({"local_size": 10}, BadArchive),  # the local header and the central directory disagree
        ({"size": 10, "local_size": 10}, BadArchive),  # both say less than the stream unpacks to: bad CRC
        ({"size": 10, "local_size": 10, "crc": None}, BadArchive),
        ({"size": 50_000_000, "local_size": 50_000_000}, ZipBomb),  # both say far more: over the ratio
        ({"crc": 1234}, BadArchive),
        ({"local_name": b"revisions-0009.jsonl"}, BadArchive),
        ({"method": zipfile.ZIP_BZIP2}, BadArchive),
        ({"method": 99}, BadArchive),  # a compression method that does not exist
        ({"version": 200}, BadArchive),  # needs ZIP 20.0 to extract
        ({"flags": 0x1}, BadArchive),  # encrypted
        ({"flags": 0x8}, BadArchive),  # a data descriptor after the data
        ({"extra": b"\x55\x54\x05\x00\x01\x00\x00\x00\x00"}, BadArchive),
    ],
)
def test_lying_headers_are_refused(tmp_path: Path, changes: dict[str, object], error_type: type) -> None:
    members = _members(20)
    if changes.get("crc", 0) is None:  # the CRC of what the lying size lets be read: caught by the manifest
        changes["crc"] = zlib.crc32(members[REVISIONS][:10])
    error = fs.refusal(_forge(tmp_path, members=members, transform=_lie(REVISIONS, **changes)))
    assert isinstance(error, error_type), error
    assert isinstance(error, BadArchive | ZipBomb | BadMember)


def test_a_stored_member_whose_sizes_differ_is_refused(tmp_path: Path) -> None:
    forged = _forge(tmp_path, members=_members(), method=zipfile.ZIP_STORED, transform=_lie(CERTIFICATES, size=5))
    assert isinstance(fs.refusal(forged), BadArchive)


def test_overlapping_entries_are_refused(tmp_path: Path) -> None:
    """Two directory entries on one local header: the classic way to unpack one stream many times."""
    members = _members()

    def overlap(entries: list[fs.Entry]) -> list[fs.Entry]:
        copy = fs.Entry("revisions-0002.jsonl", members[REVISIONS], offset=0)
        return [*entries, copy]

    error = fs.refusal(
        _forge(tmp_path, members={**members, "revisions-0002.jsonl": members[REVISIONS]}, transform=overlap)
    )
    assert isinstance(error, BadArchive | BadMember)
    assert isinstance(fs.refusal(_forge(tmp_path, members=members, transform=_lie(CERTIFICATES, offset=0))), BadArchive)


def _hide(method: int) -> object:
    def transform(entries: list[fs.Entry]) -> list[fs.Entry]:
        entries[0].packed = entries[0].stored() + b"hidden"
        if method == zipfile.ZIP_STORED:
            entries[0].size = len(entries[0].data)  # the stored size still says the real length
        return entries

    return transform


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_data_hidden_after_a_members_stream_is_refused(tmp_path: Path, method: int) -> None:
    error = fs.refusal(_forge(tmp_path, members=_members(), method=method, transform=_hide(method)))
    assert isinstance(error, BadArchive)
    assert error.member == REVISIONS


@pytest.mark.parametrize("index", [0, 1, -1])
def test_data_hidden_before_or_between_members_is_refused(tmp_path: Path, index: int) -> None:
    def gap(entries: list[fs.Entry]) -> list[fs.Entry]:
        entries[index].before = b"PK\x03\x04 hidden, in no member"
        return entries

    error = fs.refusal(_forge(tmp_path, members=_members(), transform=gap))
    assert isinstance(error, BadArchive)
    assert "藏有多余的数据" in str(error)


def test_a_nested_archive_is_refused(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as nested:
        nested.writestr("revisions-0001.jsonl", b"{}\n" * 1000)
    members = {**_members(), REVISIONS: inner.getvalue()}
    error = fs.refusal(_forge(tmp_path, members=members))
    assert isinstance(error, ZipBomb)
    assert "又套着一个压缩包" in str(error)
    gzip = {**_members(), CERTIFICATES: b"\x1f\x8b\x08\x00" + bytes(40)}
    assert isinstance(fs.refusal(_forge(tmp_path, members=gzip)), ZipBomb)


def _many(count: int) -> list[fs.Entry]:
    return [
        fs.Entry(f"revisions-{number % 10_000:04d}.jsonl", b"", method=zipfile.ZIP_STORED) for number in range(count)
    ]


@pytest.mark.parametrize(
    ("build", "error_type"),
    [
        (fs.build_zip, ZipBomb),  # the ZIP64 end record a real tool writes
        (lambda entries: fs.build_zip(entries, count=100_000 & 0xFFFF, zip64=False), ZipBomb),  # the count mod 2**16
        (lambda entries: fs.build_zip(entries, count=50, zip64=False), BadArchive),  # a small count: a huge directory
    ],
)
def test_a_hundred_thousand_members_are_refused_before_any_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build: object, error_type: type
) -> None:
    archive = build(_many(100_000))  # type: ignore[operator]
    path = fs.seal(
        tmp_path / "many.mdsync",
        archive,
        preamble=fs.Forgery().preamble_line(),
        recipients=[fs.township().key.age_recipient],
    )
    parsed: list[object] = []
    monkeypatch.setattr(zipfile, "ZipFile", lambda *args, **kwargs: parsed.append(args))
    started = time.perf_counter()
    error = fs.refusal(path)
    elapsed = time.perf_counter() - started
    assert isinstance(error, error_type)
    assert parsed == []  # the central directory was never parsed
    assert elapsed < 2.0
    if error_type is ZipBomb:
        assert "成员过多" in str(error)


def test_the_member_cap_holds_for_small_counts_too(tmp_path: Path) -> None:
    members = {**_members(), **{f"revisions-{number:04d}.jsonl": b"" for number in range(2, 12)}}
    assert isinstance(fs.refusal(_forge(tmp_path, members=members), limits=Limits(max_members=8)), ZipBomb)
    assert len(fs.read(_forge(tmp_path, members=members), limits=Limits(max_members=15))[1]) == 3


@pytest.mark.parametrize(
    "name",
    [
        "../revisions-0001.jsonl",
        "/revisions-0001.jsonl",
        "/etc/passwd",
        "sub/revisions-0002.jsonl",
        "revisions\\0002.jsonl",
        "..\\..\\manifest.json",
        "C:/manifest.json",
        "revisions-０００２.jsonl",  # fullwidth digits
        "manifest.jsοn",  # a Greek omicron
        "мanifest.json",  # a Cyrillic em
        "revisions-0002.jsonl\u200b",
        "REVISIONS-0002.JSONL",
        "revisions-2.jsonl",
        "notes.txt",
        "revisions-0002.jsonl.exe",
        "",
    ],
)
def test_a_member_name_not_on_the_whitelist_is_refused(tmp_path: Path, name: str) -> None:
    entry = fs.Entry(name, b"")
    error = fs.refusal(_forge(tmp_path, members=_members(), transform=_with_entry(entry)))
    assert isinstance(error, BadMember)
    assert "不该有的成员" in str(error)


def test_a_name_with_a_null_byte_is_refused(tmp_path: Path) -> None:
    entry = fs.Entry(b"revisions-0002.jsonl\x00../../x", b"")
    assert isinstance(fs.refusal(_forge(tmp_path, members=_members(), transform=_with_entry(entry))), BadMember)


@pytest.mark.parametrize("name", [MANIFEST, SIGNATURE, CERTIFICATES, RECEIPTS, REVISIONS])
def test_a_duplicated_member_is_refused(tmp_path: Path, name: str) -> None:
    members = _members()
    data = members.get(name, b"")

    def duplicate(entries: list[fs.Entry]) -> list[fs.Entry]:
        original = next(entry for entry in entries if entry.name == name)
        return [*entries, fs.Entry(name, original.data if name in (MANIFEST, SIGNATURE) else data)]

    error = fs.refusal(_forge(tmp_path, members=members, transform=duplicate))
    assert isinstance(error, BadMember)
    assert "出现了两次" in str(error)


@pytest.mark.parametrize("name", [MANIFEST, SIGNATURE, CERTIFICATES, RECEIPTS])
def test_a_missing_required_member_is_refused(tmp_path: Path, name: str) -> None:
    def drop(entries: list[fs.Entry]) -> list[fs.Entry]:
        return [entry for entry in entries if entry.name != name]

    error = fs.refusal(_forge(tmp_path, members=_members(), transform=drop))
    assert isinstance(error, BadMember)
    assert name in str(error)


def test_revision_members_must_be_numbered_from_one(tmp_path: Path) -> None:
    members = _members()
    renamed = {("revisions-0002.jsonl" if name == REVISIONS else name): data for name, data in members.items()}
    assert isinstance(fs.refusal(_forge(tmp_path, members=renamed)), BadMember)


@pytest.mark.parametrize(
    "archive",
    [
        b"",
        b"PK\x05\x06" + bytes(18),
        b"not a zip at all, but long enough to have an end record somewhere",
        fs.build_zip([fs.Entry(MANIFEST, b"{}")])[:-1],
        fs.build_zip([fs.Entry(MANIFEST, b"{}")]) + b"comment",
    ],
)
def test_something_that_is_not_an_archive_is_refused(tmp_path: Path, archive: bytes) -> None:
    path = fs.seal(
        tmp_path / "x.mdsync",
        archive,
        preamble=fs.Forgery().preamble_line(),
        recipients=[fs.township().key.age_recipient],
    )
    assert isinstance(fs.refusal(path), BadArchive | BadMember)


def test_an_archive_comment_or_a_prefix_is_refused(tmp_path: Path) -> None:
    good = fs.Forgery(members=_members())
    archive = fs.build_zip(good.entries())
    comment = archive[:-2] + b"\x04\x00evil"
    for data in (comment, b"prefix" + archive):
        path = fs.seal(
            tmp_path / "x.mdsync", data, preamble=good.preamble_line(), recipients=[fs.township().key.age_recipient]
        )
        assert isinstance(fs.refusal(path), BadArchive)


def test_python_zipfile_duplicates_are_refused_too(tmp_path: Path) -> None:
    """An archive made with Python's own ``zipfile`` (what a tinkerer would use), holding a member twice."""
    good = fs.Forgery(members=_members())
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")
        for entry in good.entries():
            archive.writestr(entry.name if isinstance(entry.name, str) else entry.name.decode(), entry.data)
        archive.writestr(REVISIONS, b"")
    path = fs.seal(
        tmp_path / "x.mdsync",
        buffer.getvalue(),
        preamble=good.preamble_line(),
        recipients=[fs.township().key.age_recipient],
    )
    error = fs.refusal(path)
    assert isinstance(error, SyncFileError)
    assert isinstance(error, BadMember | BadArchive)
