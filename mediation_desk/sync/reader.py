"""Reading a sync file, fail closed, in the order of SYNC.md's import pipeline (steps 1 to 6, no database).

1. The size is capped before a byte is read; the preamble is parsed strictly and used only for messages.
2. The age envelope is decrypted with this desk's identities (current and retained) into a spooled temporary
   file (memory, then an anonymous file in the temporary folder, never beside the sync file); a failure says
   truncated, damaged or not addressed here, where it can.
3. The archive is checked without extracting anything (``archive``): names, duplicates, counts, sizes, ratios,
   layout.
4. ``manifest.sig`` is verified over the exact bytes of ``manifest.json`` before anything else is parsed; the
   signer must be trusted (pinned, or certified by a pinned township); then the manifest is parsed, its versions
   must be readable, its sender must be the signer, its recipient this desk, and the preamble must agree with it.
5. Every member is streamed once and must have the size, SHA-256 and line count the manifest lists; the
   certificates and receipts are parsed and verified. The file's own SHA-256 and id are there for the caller
   to tell a file already imported.
6. ``SyncFile.revisions`` streams the revisions: strict canonical JSON, a schema per revision, and each one's
   origin signature, from a device the file may speak for.

Anything wrong raises a ``SyncFileError``; the caller merges inside one transaction and rolls back on it.
"""

from __future__ import annotations

import tempfile
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from mediation_desk.sync import envelope, strictjson
from mediation_desk.sync.archive import CERTIFICATES, MANIFEST, RECEIPTS, SIGNATURE, SIGNATURE_BYTES, Archive
from mediation_desk.sync.errors import (
    BadManifest,
    BadMember,
    BadSignature,
    Damaged,
    FileTooLarge,
    NotForThisDesk,
    PreambleMismatch,
    SyncFileError,
    UnknownSender,
    Unreadable,
)
from mediation_desk.sync.keys import MANIFEST_DOMAIN, AgeIdentity, fingerprint, spoken_fingerprint, verify
from mediation_desk.sync.limits import DEFAULT_LIMITS, Limits
from mediation_desk.sync.lines import (
    SignedRevision,
    TableColumns,
    bad_signature,
    check_signature,
    known_origin,
    parse_line,
)
from mediation_desk.sync.manifest import Manifest, read_manifest
from mediation_desk.sync.trust import (
    Certificate,
    FileTrust,
    Receipt,
    TrustedDevice,
    TrustPolicy,
    check_receipt,
    read_certificates,
    read_receipt,
)
from mediation_desk.sync.verifying import Check, Workers


def _code(org: str) -> str:
    return org


@dataclass(frozen=True, slots=True)
class LocalDesk:
    """This desk, as a reader of files addressed to it."""

    org: str
    fingerprints: frozenset[str]  # its signing keys' fingerprints: the current one and any retained
    identities: Sequence[AgeIdentity]  # its age identities: the current one and any retained
    org_label: Callable[[str], str] = _code  # an organisation's name for messages ("某某镇（331122001）")


@dataclass(frozen=True, slots=True)
class VerifiedRevision:
    revision: SignedRevision
    origin: TrustedDevice  # the device that signed it, pinned here or certified in the file


@dataclass(slots=True)
class SyncFile:
    """A sync file that passed every check up to its revisions, which ``revisions`` streams and checks."""

    path: Path
    size: int
    sha256: str
    preamble: envelope.Preamble
    manifest: Manifest
    sender: TrustedDevice
    certificates: list[Certificate]
    receipts: list[Receipt]
    _archive: Archive
    _trust: FileTrust
    _tables: TableColumns | None
    _limits: Limits

    @property
    def file_id(self) -> uuid.UUID:
        return self.manifest.file_id

    def revisions(self, workers: Workers | None = None) -> Iterator[VerifiedRevision]:
        """Every revision in file order, each verified; a bad one raises (and the caller rolls back).

        With ``workers`` the signatures are checked by helper processes, a few chunks ahead of what has been
        handed out; the first bad line in file order is still the one reported, whatever kind of fault it has.
        """
        counts: dict[str, int] = {}
        lines = (
            (member, number, raw)
            for member in self._archive.revision_members
            for number, raw in self._archive.lines(member)
        )
        if workers is None or not workers.enabled:
            for member, number, raw in lines:
                revision, signed = parse_line(
                    raw, member=member, line=number, tables=self._tables, max_depth=self._limits.max_depth
                )
                origin = check_signature(revision, signed, self._trust, member=member, line=number)
                counts[revision.table] = counts.get(revision.table, 0) + 1
                yield VerifiedRevision(revision, origin)
        else:
            yield from self._checked_ahead(lines, workers, counts)
        if counts != dict(self.manifest.counts.tables):
            raise BadManifest("清单中各表的修订记录数与文件内容不符", member=MANIFEST)

    def _checked_ahead(
        self, lines: Iterator[tuple[str, int, bytes]], workers: Workers, counts: dict[str, int]
    ) -> Iterator[VerifiedRevision]:
        pending: deque[_Chunk] = deque()
        while True:
            chunk = self._parse_chunk(lines, counts)
            if chunk.parsed or chunk.fault is not None:
                chunk.answers = workers.submit([checks for _item, _where, checks in chunk.parsed])
                pending.append(chunk)
            if chunk.fault is not None or len(chunk.parsed) < CHUNK:
                break  # a fault (the lines before it are checked first) or the end
            while len(pending) > AHEAD:
                yield from _verified(pending.popleft())
        while pending:
            yield from _verified(pending.popleft())

    def _parse_chunk(self, lines: Iterator[tuple[str, int, bytes]], counts: dict[str, int]) -> _Chunk:
        """Up to ``CHUNK`` lines parsed, their senders known (not yet their signatures), or the first fault."""
        chunk = _Chunk()
        while len(chunk.parsed) < CHUNK:
            try:
                item = next(lines, None)
                if item is None:
                    break
                member, number, raw = item
                revision, signed = parse_line(
                    raw, member=member, line=number, tables=self._tables, max_depth=self._limits.max_depth
                )
                origin = known_origin(revision, self._trust, member=member, line=number)
            except SyncFileError as error:
                chunk.fault = error
                break
            counts[revision.table] = counts.get(revision.table, 0) + 1
            check = (origin.key.signing_key, signed, revision.signature)
            chunk.parsed.append((VerifiedRevision(revision, origin), (member, number), check))
        return chunk


CHUNK = 1000  # lines whose signatures are checked together
AHEAD = 3  # chunks being checked beyond the one handed out


@dataclass(slots=True)
class _Chunk:
    parsed: list[tuple[VerifiedRevision, tuple[str, int], Check]] = field(default_factory=list)
    fault: SyncFileError | None = None  # what the line after the parsed ones is wrong with
    answers: Callable[[], list[bool]] | None = None


def _verified(chunk: _Chunk) -> Iterator[VerifiedRevision]:
    """A chunk's revisions once their signatures are good; the first bad one, else the chunk's fault, raises."""
    answers = chunk.answers() if chunk.answers is not None else []
    for (item, (member, number), _check), good in zip(chunk.parsed, answers, strict=True):
        if not good:
            raise bad_signature(item.origin, member=member, line=number)
        yield item
    if chunk.fault is not None:
        raise chunk.fault


@contextmanager
def open_sync_file(
    path: Path,
    *,
    desk: LocalDesk,
    trust: TrustPolicy,
    schema_version: int,
    tables: TableColumns | None = None,
    limits: Limits = DEFAULT_LIMITS,
    temp_dir: Path | None = None,
) -> Iterator[SyncFile]:
    """Open ``path`` and check it up to its revisions (steps 1 to 5); ``SyncFileError`` at the first doubt.

    ``tables`` maps each table a revision may name to its columns (the store's schema); without it any table
    name is accepted. ``temp_dir`` is where the decrypted archive may spill (the system's temporary folder by
    default); the file is anonymous and gone when the block ends.
    """
    path = Path(path)
    with ExitStack() as stack:
        size = _size(path, limits)
        handle = stack.enter_context(_open(path))
        spool = stack.enter_context(
            tempfile.SpooledTemporaryFile(max_size=limits.spool_bytes, dir=None if temp_dir is None else str(temp_dir))
        )
        preamble, sha256 = _decrypt(handle, size, spool, desk)
        archive = Archive(spool, spool.tell(), limits)
        stack.callback(archive.close)
        yield _verify(path, size, sha256, preamble, archive, desk, trust, schema_version, tables, limits)


def _size(path: Path, limits: Limits) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise Unreadable(f"找不到文件 {path}") from None
    except OSError as error:
        raise Unreadable(f"无法读取文件 {path}（{error.strerror or type(error).__name__}）") from None
    if path.is_dir():
        raise Unreadable(f"{path} 是文件夹，不是同步文件")
    if size > limits.max_file_bytes:
        raise FileTooLarge(
            f"文件过大（{size // (1024 * 1024)} MB，上限 {limits.max_file_bytes // (1024 * 1024)} MB），"
            "不是调解工作台能导入的同步文件"
        )
    return size


@contextmanager
def _open(path: Path) -> Iterator[IO[bytes]]:
    try:
        handle = path.open("rb")
    except OSError as error:
        raise Unreadable(f"无法读取文件 {path}（{error.strerror or type(error).__name__}）") from None
    with handle:
        yield handle


def _decrypt(handle: IO[bytes], size: int, spool: IO[bytes], desk: LocalDesk) -> tuple[envelope.Preamble, str]:
    """Steps 1 and 2: the preamble, then the envelope into ``spool``; the whole file's SHA-256."""
    preamble, line = envelope.read_preamble(handle, size)
    shape = envelope.peek_envelope(handle, size - len(line))
    source = envelope.HashingReader(handle, seed=line)
    envelope.decrypt(
        source, spool, desk.identities, shape=shape, preamble=preamble, desk_org=desk.org, org_label=desk.org_label
    )
    source.drain()
    if source.count != size:
        raise Damaged("文件在读取过程中被改动了（大小变化）；请等复制完成后再导入")
    return preamble, source.hash.hexdigest()


def _verify(
    path: Path,
    size: int,
    sha256: str,
    preamble: envelope.Preamble,
    archive: Archive,
    desk: LocalDesk,
    trust: TrustPolicy,
    schema_version: int,
    tables: TableColumns | None,
    limits: Limits,
) -> SyncFile:
    """Steps 4 and 5, on the checked archive."""
    manifest_bytes, signer_key = _signed_manifest(archive, limits)
    certificates: list[Certificate] | None = None
    file_trust = FileTrust(trust)
    sender = file_trust.by_key(signer_key)
    if sender is None:  # not pinned here: perhaps certified by a pinned township, in this file's certificates
        certificates = _certificates(archive, limits)
        file_trust = FileTrust(trust, certificates)
        sender = file_trust.by_key(signer_key)
    if sender is None:
        raise UnknownSender(
            f"发件方（文件首行自称{desk.org_label(preamble.sender)}）的密钥不受本工作台信任："
            f"指纹 {spoken_fingerprint(fingerprint(signer_key))}；请先核对指纹并导入对方的公钥文件（keys trust）"
        )
    manifest = read_manifest(
        manifest_bytes, schema_version=schema_version, max_depth=limits.max_depth, max_members=limits.max_members
    )
    _check_parties(manifest, signer_key, sender, preamble, desk)
    _check_members(archive, manifest)
    if certificates is None:
        certificates = _certificates(archive, limits)
        file_trust = FileTrust(trust, certificates)
    if len(certificates) != manifest.counts.certificates:
        raise BadManifest("清单中的证书数与 certs.json 不符", member=MANIFEST)
    receipts = _receipts(archive, sender, desk, limits)
    if len(receipts) != manifest.counts.receipts:
        raise BadManifest("清单中的回执数与 receipts.jsonl 不符", member=MANIFEST)
    return SyncFile(
        path, size, sha256, preamble, manifest, sender, certificates, receipts, archive, file_trust, tables, limits
    )


def _signed_manifest(archive: Archive, limits: Limits) -> tuple[bytes, bytes]:
    """The manifest's exact bytes and the key that validly signed them (not yet known to be trusted)."""
    signature = archive.read_small(SIGNATURE, SIGNATURE_BYTES)
    manifest_bytes = archive.read_small(MANIFEST, limits.max_manifest_bytes)
    if len(signature) != SIGNATURE_BYTES:
        raise BadSignature("清单签名（manifest.sig）格式不对：文件已损坏或被改动", member=SIGNATURE)
    key, value = signature[:32], signature[32:]
    if not verify(key, MANIFEST_DOMAIN, manifest_bytes, value):
        raise BadSignature("清单签名无效：文件内容被改动过，或不是签名设备写出的", member=SIGNATURE)
    return manifest_bytes, key


def _check_parties(
    manifest: Manifest, key: bytes, sender: TrustedDevice, preamble: envelope.Preamble, desk: LocalDesk
) -> None:
    known = sender.key
    if (manifest.sender_fingerprint, manifest.sender_device, manifest.sender_org) != (
        fingerprint(key),
        known.device,
        known.org,
    ):
        raise BadManifest(f"清单中的发件方与签名不符：签名属于{known.org_name}的设备 {known.device}", member=MANIFEST)
    if manifest.recipient_org != desk.org or manifest.recipient_fingerprint not in desk.fingerprints:
        raise NotForThisDesk(
            f"此文件是{known.org_name}发给{desk.org_label(manifest.recipient_org)}"
            f"（收件方密钥指纹 {spoken_fingerprint(manifest.recipient_fingerprint)[:19]}…）的，不是发给本工作台的"
        )
    claimed = (preamble.to, preamble.sender, preamble.file_id, preamble.kind)
    signed = (manifest.recipient_org, manifest.sender_org, str(manifest.file_id), manifest.kind)
    if claimed != signed:
        raise PreambleMismatch("文件首行与签名的清单不一致：文件首行被改动过")


def _check_members(archive: Archive, manifest: Manifest) -> None:
    listed = {item.name for item in manifest.members}
    present = set(archive.members) - {MANIFEST, SIGNATURE}
    if listed != present:
        extra = sorted(present - listed) or sorted(listed - present)
        raise BadMember(f"压缩包的成员与清单不符（{', '.join(extra[:3])}）：文件被改动过", member=extra[0])
    for item in manifest.members:
        found = archive.digest(item.name)
        if found != item:
            raise BadMember(f"成员 {item.name} 的内容与清单不符（大小或校验值）：文件被改动过", member=item.name)
    lines = sum(item.lines for item in manifest.members if item.name.startswith("revisions-"))
    if lines != manifest.counts.revisions:
        raise BadManifest("清单中的修订记录数与文件内容不符", member=MANIFEST)
    if manifest.kind == "receipt" and lines:
        raise BadManifest("回执文件不应带有修订记录", member=MANIFEST)


def _certificates(archive: Archive, limits: Limits) -> list[Certificate]:
    data = archive.read_small(CERTIFICATES, limits.max_certs_bytes)
    value = strictjson.loads_canonical(data, what="证书列表", max_depth=limits.max_depth, member=CERTIFICATES)
    return read_certificates(value, member=CERTIFICATES)


def _receipts(archive: Archive, sender: TrustedDevice, desk: LocalDesk, limits: Limits) -> list[Receipt]:
    if archive.members[RECEIPTS].file_size > limits.max_receipts_bytes:
        raise BadMember("回执（receipts.jsonl）过大", member=RECEIPTS)
    receipts = []
    for number, raw in archive.lines(RECEIPTS):
        value = strictjson.loads_canonical(raw, what="回执", max_depth=limits.max_depth, member=RECEIPTS, line=number)
        receipt = read_receipt(value, member=RECEIPTS, line=number)
        check_receipt(receipt, sender, desk.org, member=RECEIPTS, line=number)
        receipts.append(receipt)
    return receipts


__all__ = ["LocalDesk", "SyncFile", "VerifiedRevision", "open_sync_file"]
