"""The ``.mdsync`` file, format version 1 (SYNC.md "File format"): written whole, read fail-closed.

``write_sync_file`` streams the revisions into a ZIP (``revisions-0001.jsonl`` … split at a size, then
``certs.json``, ``receipts.jsonl``, the signed manifest), encrypts it with age to the recipient (and an optional
escrow recipient) behind the preamble line, and places the file atomically: a temporary name beside the target,
flushed, then renamed (``store.files``), so a pulled USB stick leaves no valid-looking half file. The unencrypted
archive is built in memory, spilling to an anonymous temporary file in the system's (or the caller's) temporary
folder, never beside the sync file.

``open_sync_file`` reads one in SYNC.md's order and refuses it at the first doubt (``SyncFileError`` with a code
and a Chinese message; the reader module has the steps). Memory stays bounded whatever the file's size: the
decrypted archive is spooled the same way, and revisions are streamed line by line from it.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from mediation_desk import __version__
from mediation_desk.domain.errors import ValidationError
from mediation_desk.store.files import atomic_open
from mediation_desk.sync import envelope
from mediation_desk.sync.archive import (
    CERTIFICATES,
    MANIFEST,
    RECEIPTS,
    SIGNATURE,
    ArchiveWriter,
    MemberDigest,
    revisions_name,
)
from mediation_desk.sync.keys import MANIFEST_DOMAIN, DeviceKey, SigningKey, parse_recipient
from mediation_desk.sync.limits import DEFAULT_LIMITS, MIB, Limits
from mediation_desk.sync.lines import SignedRevision
from mediation_desk.sync.manifest import Counts, Manifest
from mediation_desk.sync.reader import LocalDesk, SyncFile, VerifiedRevision, open_sync_file
from mediation_desk.sync.schema import TABLE_NAME
from mediation_desk.sync.strictjson import INT_LIMIT
from mediation_desk.sync.trust import Certificate, Receipt, certificates_json

__all__ = [
    "LocalDesk",
    "Outgoing",
    "SyncFile",
    "VerifiedRevision",
    "WrittenFile",
    "open_sync_file",
    "write_sync_file",
]

SPLIT_BYTES = 64 * MIB  # a revisions member is closed once it reaches this size
MAX_REVISION_MEMBERS = DEFAULT_LIMITS.max_members - 4


@dataclass(frozen=True, slots=True)
class Outgoing:
    """Who sends a file to whom: the sender's key file and private key, the recipient's key file."""

    sender: DeviceKey
    signer: SigningKey
    recipient: DeviceKey
    escrow: str | None = None  # an extra age recipient (``age1…``), e.g. one held by the county for recovery

    def __post_init__(self) -> None:
        if self.signer.public_key != self.sender.signing_key:
            raise ValueError("the signer's key is not the sender's")
        parse_recipient(self.recipient.age_recipient)  # ValueError now rather than once the archive is built
        if self.escrow is not None:
            parse_recipient(self.escrow)


@dataclass(frozen=True, slots=True)
class WrittenFile:
    path: Path
    file_id: uuid.UUID
    sha256: str  # of the whole file, as the recipient sees it
    size: int
    manifest: Manifest


class _HashingWriter:
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.hash = hashlib.sha256()
        self.count = 0

    def write(self, data: bytes) -> int:
        self.handle.write(data)
        self.hash.update(data)
        self.count += len(data)
        return len(data)

    def flush(self) -> None:
        self.handle.flush()


def write_sync_file(
    target: Path,
    outgoing: Outgoing,
    revisions: Iterable[SignedRevision],
    *,
    schema_version: int,
    created_hlc: int,
    kind: str = "incremental",
    scope: Sequence[str] = (),
    certificates: Sequence[Certificate] = (),
    receipts: Sequence[Receipt] = (),
    now: datetime | None = None,
    file_id: uuid.UUID | None = None,
    split_bytes: int = SPLIT_BYTES,
    compression: int = zipfile.ZIP_DEFLATED,
    temp_dir: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> WrittenFile:
    """Write a sync file to ``target`` (replaced whole, or left as it was when anything fails).

    Each revision must be one that a reader accepts (a tombstone without data, a row whose ``id`` is its record's,
    its own device's entry in its vector equal to its number, a line within ``limits.max_line_bytes``): a
    ``ValueError`` or ``ValidationError`` otherwise, and nothing is written. A ``receipt`` file holds no
    revisions. The unencrypted archive stays in memory up to ``limits.spool_bytes``.
    """
    if kind not in envelope.KINDS:
        raise ValueError(f"unknown kind of sync file: {kind}")
    file_id = file_id or uuid.uuid4()
    header = _Header(file_id, kind, tuple(scope), schema_version, created_hlc, now or datetime.now(UTC))
    options = _Options(split_bytes, compression, limits.max_line_bytes)
    with tempfile.SpooledTemporaryFile(
        max_size=limits.spool_bytes, dir=None if temp_dir is None else str(temp_dir)
    ) as spool:
        manifest = _write_archive(spool, outgoing, revisions, header, certificates, receipts, options)
        spool.seek(0)
        preamble = envelope.Preamble(outgoing.recipient.org, outgoing.sender.org, str(file_id), kind)
        recipients = [outgoing.recipient.age_recipient, *([outgoing.escrow] if outgoing.escrow else [])]
        with atomic_open(target) as handle:
            out = _HashingWriter(handle)
            out.write(preamble.line())
            envelope.encrypt(spool, out, recipients)  # type: ignore[arg-type]
    return WrittenFile(Path(target), file_id, out.hash.hexdigest(), out.count, manifest)


@dataclass(frozen=True, slots=True)
class _Header:
    file_id: uuid.UUID
    kind: str
    scope: tuple[str, ...]
    schema_version: int
    created_hlc: int
    now: datetime


@dataclass(frozen=True, slots=True)
class _Options:
    split_bytes: int
    compression: int
    max_line_bytes: int


def _write_archive(
    spool: Any,
    outgoing: Outgoing,
    revisions: Iterable[SignedRevision],
    header: _Header,
    certificates: Sequence[Certificate],
    receipts: Sequence[Receipt],
    options: _Options,
) -> Manifest:
    writer = ArchiveWriter(spool, compression=options.compression)
    try:
        return _fill_archive(writer, outgoing, revisions, header, certificates, receipts, options)
    except BaseException:
        writer.abandon()
        raise


def _fill_archive(
    writer: ArchiveWriter,
    outgoing: Outgoing,
    revisions: Iterable[SignedRevision],
    header: _Header,
    certificates: Sequence[Certificate],
    receipts: Sequence[Receipt],
    options: _Options,
) -> Manifest:
    members, tables = _write_revisions(writer, revisions, options)
    if header.kind == "receipt" and tables:
        raise ValueError("a receipt file holds no revisions")
    members.append(writer.add(CERTIFICATES, certificates_json(certificates)))
    members.append(writer.add(RECEIPTS, b"".join(receipt.line() + b"\n" for receipt in receipts)))
    manifest = Manifest(
        file_id=header.file_id,
        kind=header.kind,
        schema_version=header.schema_version,
        app_version=__version__,
        created_hlc=header.created_hlc,
        created_wall=header.now,
        sender_org=outgoing.sender.org,
        sender_device=outgoing.sender.device,
        sender_fingerprint=outgoing.sender.fingerprint,
        recipient_org=outgoing.recipient.org,
        recipient_fingerprint=outgoing.recipient.fingerprint,
        scope=header.scope,
        counts=Counts(sum(tables.values()), len(certificates), len(receipts), dict(sorted(tables.items()))),
        members=tuple(members),
    )
    data = manifest.to_bytes()
    writer.add(MANIFEST, data)
    writer.add(SIGNATURE, outgoing.signer.public_key + outgoing.signer.sign(MANIFEST_DOMAIN, data))
    writer.close()
    return manifest


def _write_revisions(
    writer: ArchiveWriter, revisions: Iterable[SignedRevision], options: _Options
) -> tuple[list[MemberDigest], dict[str, int]]:
    members: list[MemberDigest] = []
    tables: dict[str, int] = {}
    stream = writer.open(revisions_name(1))
    for revision in revisions:
        line = revision.line() + b"\n"
        _check_outgoing(revision, line, options.max_line_bytes)
        if stream.size and stream.size + len(line) > options.split_bytes:
            members.append(stream.close())
            if len(members) >= MAX_REVISION_MEMBERS:
                raise ValueError("too many revisions members: raise split_bytes")
            stream = writer.open(revisions_name(len(members) + 1))
        stream.write(line)
        tables[revision.table] = tables.get(revision.table, 0) + 1
    members.append(stream.close())
    return members, tables


def _check_outgoing(revision: SignedRevision, line: bytes, limit: int) -> None:
    """Refuse what every reader would refuse, before it is written: a file is never half importable."""
    # The line's own newline is not counted, as the reader counts it.
    if len(line) - 1 > limit:
        raise ValidationError(
            f"记录 {revision.table}/{revision.record_id} 过大（超过 {limit // 1024} KB），无法写入同步文件"
        )
    if not TABLE_NAME.fullmatch(revision.table):
        raise ValueError(f"not a table name: {revision.table!r}")
    if revision.deleted and revision.data:
        raise ValueError("a tombstone carries no data")
    if not revision.deleted and revision.data.get("id") != str(revision.record_id):
        raise ValueError("a row's id is its record's")
    if revision.vv.get(str(revision.origin_device)) != revision.origin_seq or not 1 <= revision.origin_seq < INT_LIMIT:
        raise ValueError("a revision's vector holds its own device's number")
    if not 0 <= revision.hlc < INT_LIMIT:
        raise ValueError("a revision's clock reading is a non-negative 64-bit integer")


def read_all(path: Path, **options: Any) -> tuple[SyncFile, list[VerifiedRevision]]:
    """Open, verify and read a whole (small) file at once: for tests and tools, not for a county's imports."""
    with open_sync_file(path, **options) as opened:
        return opened, list(opened.revisions())
