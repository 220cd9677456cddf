"""Builders shared by the sync-file tests: synthetic desks with their keys, synthetic signed revisions, a file
written from one desk to another, and files assembled by hand (any ZIP, any manifest, signed with a desk's key
and encrypted with age) to be refused. Every name, code and row here is made up."""

from __future__ import annotations

import hashlib
import random
import re
import struct
import uuid
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pyrage

from mediation_desk.domain import canonical
from mediation_desk.domain import hlc as clock
from mediation_desk.domain.codes import OrgLevel
from mediation_desk.sync.archive import CERTIFICATES, MANIFEST, RECEIPTS, SIGNATURE, MemberDigest, revisions_name
from mediation_desk.sync.envelope import Preamble
from mediation_desk.sync.errors import SyncFileError
from mediation_desk.sync.fileformat import LocalDesk, Outgoing, WrittenFile, write_sync_file
from mediation_desk.sync.keys import MANIFEST_DOMAIN, REVISION_DOMAIN, AgeIdentity, DeviceKey, SigningKey
from mediation_desk.sync.lines import SignedRevision, sign_revision
from mediation_desk.sync.manifest import Counts, Manifest
from mediation_desk.sync.reader import SyncFile, VerifiedRevision, open_sync_file
from mediation_desk.sync.schema import b64
from mediation_desk.sync.trust import (
    Certificate,
    PinnedTrust,
    Receipt,
    TrustPolicy,
    certificates_json,
    issue_certificate,
)

SCHEMA = 4
WHEN = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
TABLES: dict[str, frozenset[str]] = {
    "dispute_case": frozenset({"id", "org_id", "facts", "place", "amount", "status", "risk_flags"}),
    "party": frozenset({"id", "case_id", "name", "role", "phone"}),
}


@dataclass(frozen=True)
class Desk:
    """A synthetic desk: its public key file's content and its private keys."""

    key: DeviceKey
    signer: SigningKey
    identity: AgeIdentity

    def local(self, *, extra_identities: tuple[AgeIdentity, ...] = ()) -> LocalDesk:
        return LocalDesk(self.key.org, frozenset({self.key.fingerprint}), (self.identity, *extra_identities))


def make_desk(org: str, name: str, role: OrgLevel, seed: int) -> Desk:
    signer = SigningKey.from_bytes(random.Random(seed).randbytes(32))
    identity = AgeIdentity.generate()
    device = uuid.UUID(int=random.Random(seed + 1).getrandbits(128), version=4)
    key = DeviceKey(org, name, device, role.value, signer.public_key, identity.recipient)
    return Desk(key, signer, identity)


@cache
def village() -> Desk:
    return make_desk("331122001001", "示例村人民调解委员会", OrgLevel.VILLAGE, 1)


@cache
def other_village() -> Desk:
    return make_desk("331122001002", "样本村人民调解委员会", OrgLevel.VILLAGE, 3)


@cache
def township() -> Desk:
    return make_desk("331122001", "示例街道", OrgLevel.TOWNSHIP, 5)


@cache
def other_township() -> Desk:
    return make_desk("331122002", "样本镇", OrgLevel.TOWNSHIP, 7)


@cache
def county() -> Desk:
    return make_desk("331122", "示例县", OrgLevel.COUNTY, 9)


def township_trust() -> PinnedTrust:
    """The township pins itself and its two villages."""
    return PinnedTrust([township().key, village().key, other_village().key])


def county_trust(*extra: Desk) -> PinnedTrust:
    """The county pins itself and its townships (and, for some tests, ``extra`` desks)."""
    return PinnedTrust([county().key, township().key, other_township().key, *(desk.key for desk in extra)])


@dataclass
class Rows:
    """Synthetic revisions of one device: cases and parties with made-up names and numbers."""

    desk: Desk
    seed: int = 0
    seq: int = 0
    tick: int = field(default_factory=lambda: clock.tick(0, WHEN))

    def revision(self, table: str = "dispute_case", **data: Any) -> SignedRevision:
        self.seq += 1
        self.tick += 1
        record = uuid.UUID(int=random.Random(self.seed * 1_000_003 + self.seq).getrandbits(128), version=4)
        row = {"id": str(record), **data}
        device = self.desk.key.device
        return sign_revision(
            self.desk.signer,
            origin_device=device,
            origin_seq=self.seq,
            table=table,
            record_id=record,
            vv={str(device): self.seq},
            hlc=self.tick,
            deleted=False,
            data=row,
        )

    def tombstone(self, of: SignedRevision) -> SignedRevision:
        """This device deletes the record of ``of``: a revision with no data, whose vector follows ``of``'s."""
        self.seq += 1
        self.tick += 1
        device = str(self.desk.key.device)
        return sign_revision(
            self.desk.signer,
            origin_device=self.desk.key.device,
            origin_seq=self.seq,
            table=of.table,
            record_id=of.record_id,
            vv={**of.vv, device: self.seq},
            hlc=self.tick,
            deleted=True,
            data={},
        )

    def many(self, count: int, *, facts_bytes: int = 60) -> Iterator[SignedRevision]:
        rng = random.Random(self.seed)
        for number in range(count):
            if number % 3 == 2:
                yield self.revision(
                    "party", case_id=str(uuid.UUID(int=number)), name="张三", role="applicant", phone=None
                )
            else:
                facts = "".join(rng.choice("邻里排水沟宅基地婚姻家庭债务合同") for _ in range(facts_bytes // 3))
                yield self.revision(facts=facts, place="东村", amount=rng.randrange(10**6), status="accepted")


def write(
    path: Path,
    revisions: Any = (),
    *,
    sender: Desk | None = None,
    recipient: Desk | None = None,
    certificates: tuple[Certificate, ...] = (),
    **options: Any,
) -> WrittenFile:
    sender = sender or village()
    recipient = recipient or township()
    outgoing = Outgoing(sender.key, sender.signer, recipient.key, options.pop("escrow", None))
    options.setdefault("created_hlc", clock.tick(0, WHEN))
    options.setdefault("now", WHEN)
    options.setdefault("scope", (sender.key.org,))
    options.setdefault("schema_version", SCHEMA)
    return write_sync_file(path, outgoing, revisions, certificates=certificates, **options)


def read(
    path: Path,
    *,
    desk: Desk | None = None,
    trust: TrustPolicy | None = None,
    local: LocalDesk | None = None,
    schema_version: int = SCHEMA,
    **options: Any,
) -> tuple[SyncFile, list[VerifiedRevision]]:
    """Open, verify and read every revision of ``path`` as ``desk`` (the township by default) would."""
    desk = desk or township()
    options.setdefault("tables", TABLES)
    with open_sync_file(
        path,
        desk=local or desk.local(),
        trust=trust or township_trust(),
        schema_version=schema_version,
        **options,
    ) as opened:
        return opened, list(opened.revisions())


def certify(subject: Desk, issuer: Desk) -> Certificate:
    return issue_certificate(subject.key, issuer.key, issuer.signer, WHEN.date())


# ---------------------------------------------------------------------------------------------------------------
# Files assembled by hand: any ZIP, any manifest, signed with a desk's key and encrypted to another with age

REVISIONS = revisions_name(1)
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sBBBBHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_ZIP64_END = struct.Struct("<4sQHHIIQQQQ")
_ZIP64_LOCATOR = struct.Struct("<4sIQI")
_DOS_DATE = (1 << 5) | 1  # 1980-01-01
_TABLE = re.compile(rb'"signature":"[^"]*","table":"([a-z][a-z0-9_]*)"')  # in a line's canonical order


@dataclass
class Entry:
    """One member of a hand-made ZIP. Every field a reader checks can be made to lie."""

    name: str | bytes
    data: bytes
    method: int = zipfile.ZIP_DEFLATED
    flags: int | None = None  # by default the UTF-8 flag for a non-ASCII name, else none
    crc: int | None = None
    size: int | None = None  # the unpacked size both headers declare
    local_size: int | None = None  # the local header's alone
    local_name: bytes | None = None
    offset: int | None = None  # where the central directory says the local header is
    extra: bytes = b""
    packed: bytes | None = None  # the member's bytes as stored (compressed), when not ``data`` compressed
    version: int = 20  # the ZIP version needed to extract it (2.0)
    before: bytes = b""  # bytes written before its local header, in no member

    def name_bytes(self) -> bytes:
        return self.name if isinstance(self.name, bytes) else self.name.encode("utf-8")

    def stored(self) -> bytes:
        if self.packed is not None:
            return self.packed
        if self.method != zipfile.ZIP_DEFLATED:
            return self.data
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return compressor.compress(self.data) + compressor.flush()


def build_zip(entries: Sequence[Entry], *, count: int | None = None, zip64: bool | None = None) -> bytes:
    """The ZIP of ``entries``, one after another, then the central directory and its end record (``count``
    entries, when told to lie; with a ZIP64 end record when there are more than 65,535, or when told)."""
    out = bytearray()
    directory = bytearray()
    for entry in entries:
        name, packed = entry.name_bytes(), entry.stored()
        crc = zlib.crc32(entry.data) if entry.crc is None else entry.crc
        size = len(entry.data) if entry.size is None else entry.size
        flags = (0x800 if not name.isascii() else 0) if entry.flags is None else entry.flags
        local_name = name if entry.local_name is None else entry.local_name
        local_size = size if entry.local_size is None else entry.local_size
        out += entry.before
        offset = len(out) if entry.offset is None else entry.offset
        out += _LOCAL.pack(
            b"PK\x03\x04", entry.version, flags, entry.method, 0, _DOS_DATE, crc, len(packed), local_size,
            len(local_name), len(entry.extra),
        )  # fmt: skip
        out += local_name + entry.extra + packed
        directory += _CENTRAL.pack(
            b"PK\x01\x02", 20, 3, entry.version, 0, flags, entry.method, 0, _DOS_DATE, crc, len(packed), size,
            len(name), len(entry.extra), 0, 0, 0, 0o600 << 16, offset,
        )  # fmt: skip
        directory += name + entry.extra
    start = len(out)
    out += directory
    total = len(entries) if count is None else count
    if zip64 or (zip64 is None and total > 0xFFFF):
        end64 = len(out)
        out += _ZIP64_END.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, total, total, len(directory), start)
        out += _ZIP64_LOCATOR.pack(b"PK\x06\x07", 0, end64, 1)
        total = 0xFFFF
    out += _END.pack(b"PK\x05\x06", 0, 0, total, total, len(directory), start, 0)
    return bytes(out)


def revision_lines(revisions: Iterable[SignedRevision]) -> bytes:
    return b"".join(revision.line() + b"\n" for revision in revisions)


def standard_members(
    revisions: Iterable[SignedRevision] = (),
    *,
    certificates: Iterable[Certificate] = (),
    receipts: Iterable[Receipt] = (),
) -> dict[str, bytes]:
    """The members a writer makes (but the manifest and its signature), in its order."""
    return {
        REVISIONS: revision_lines(revisions),
        CERTIFICATES: certificates_json(certificates),
        RECEIPTS: b"".join(receipt.line() + b"\n" for receipt in receipts),
    }


def manifest_for(
    members: Mapping[str, bytes],
    *,
    sender: Desk,
    recipient: Desk,
    file_id: uuid.UUID,
    kind: str = "incremental",
    wrong_hash: Collection[str] = (),
) -> dict[str, Any]:
    """The manifest a writer would sign for ``members`` (the hash of those in ``wrong_hash`` is another's)."""
    digests = []
    tables: dict[str, int] = {}
    for name, data in members.items():
        sha256 = hashlib.sha256(data + (b"x" if name in wrong_hash else b"")).hexdigest()
        digests.append(MemberDigest(name, len(data), sha256, data.count(b"\n")))
        for table in _TABLE.findall(data) if name.startswith("revisions-") else ():
            tables[table.decode()] = tables.get(table.decode(), 0) + 1
    revisions = sum(item.lines for item in digests if item.name.startswith("revisions-"))
    certificates = members.get(CERTIFICATES, b"").count(b'"format":"mediation-desk-certificate"')
    counts = Counts(revisions, certificates, members.get(RECEIPTS, b"").count(b"\n"), dict(sorted(tables.items())))
    manifest = Manifest(
        file_id=file_id,
        kind=kind,
        schema_version=SCHEMA,
        app_version="1.0.0",
        created_hlc=clock.tick(0, WHEN),
        created_wall=WHEN,
        sender_org=sender.key.org,
        sender_device=sender.key.device,
        sender_fingerprint=sender.key.fingerprint,
        recipient_org=recipient.key.org,
        recipient_fingerprint=recipient.key.fingerprint,
        scope=(sender.key.org,),
        counts=counts,
        members=tuple(digests),
    )
    return manifest.to_json()


@dataclass
class Forgery:
    """What a hand-made file holds, and how it lies: ``forge`` turns it into a file."""

    members: dict[str, bytes] = field(default_factory=standard_members)
    sender: Desk = field(default_factory=village)
    recipient: Desk = field(default_factory=township)
    signer: SigningKey | None = None  # the sender's own key unless told
    signer_key: bytes | None = None  # the public key written in manifest.sig, the signer's unless told
    kind: str = "incremental"
    file_id: uuid.UUID = field(default_factory=uuid.uuid4)
    edit: Callable[[dict[str, Any]], None] | None = None  # changes to the manifest before it is signed
    manifest: bytes | None = None  # the manifest's exact bytes, instead of the one made for the members
    wrong_hash: Collection[str] = ()
    method: int = zipfile.ZIP_DEFLATED
    transform: Callable[[list[Entry]], list[Entry]] | None = None  # changes to the entries before zipping
    build: Callable[[Sequence[Entry]], bytes] = build_zip
    preamble: bytes | None = None
    recipients: Sequence[str] | None = None  # the age recipients, the recipient's unless told

    def manifest_bytes(self) -> bytes:
        if self.manifest is not None:
            return self.manifest
        value = manifest_for(
            self.members,
            sender=self.sender,
            recipient=self.recipient,
            file_id=self.file_id,
            kind=self.kind,
            wrong_hash=self.wrong_hash,
        )
        if self.edit is not None:
            self.edit(value)
        return canonical.canonical_bytes(value)

    def entries(self) -> list[Entry]:
        manifest = self.manifest_bytes()
        signer = self.signer or self.sender.signer
        signature = (self.signer_key or signer.public_key) + signer.sign(MANIFEST_DOMAIN, manifest)
        entries = [Entry(name, data, self.method) for name, data in self.members.items()]
        entries += [Entry(MANIFEST, manifest, self.method), Entry(SIGNATURE, signature, self.method)]
        return self.transform(entries) if self.transform is not None else entries

    def preamble_line(self) -> bytes:
        if self.preamble is not None:
            return self.preamble
        return Preamble(self.recipient.key.org, self.sender.key.org, str(self.file_id), self.kind).line()


def forge(path: Path, forgery: Forgery | None = None, **fields: Any) -> Path:
    """Write the file ``forgery`` (or a ``Forgery(**fields)``) describes at ``path``."""
    forgery = forgery or Forgery(**fields)
    recipients = forgery.recipients or [forgery.recipient.key.age_recipient]
    return seal(path, forgery.build(forgery.entries()), preamble=forgery.preamble_line(), recipients=recipients)


def seal(path: Path, archive: bytes, *, preamble: bytes, recipients: Sequence[str]) -> Path:
    """``preamble`` and ``archive`` encrypted with age to ``recipients``, written at ``path``."""
    encrypted = pyrage.encrypt(archive, [pyrage.x25519.Recipient.from_str(text) for text in recipients])
    path.write_bytes(preamble + encrypted)
    return path


def split_file(path: Path) -> tuple[bytes, bytes]:
    """A sync file's preamble line and the age file after it."""
    data = path.read_bytes()
    end = data.index(b"\n") + 1
    return data[:end], data[end:]


def payload(path: Path, identity: AgeIdentity) -> bytes:
    """The archive inside a sync file, decrypted with ``identity``."""
    return bytes(pyrage.decrypt(split_file(path)[1], [identity.native]))


def signed_line(signer: SigningKey, body: Mapping[str, Any]) -> bytes:
    """A revision line for ``body`` exactly as given (not made canonical: no NFC), validly signed by ``signer``."""
    text = canonical.dumps_plain(dict(body)).encode("utf-8")
    signature = signer.sign(REVISION_DOMAIN, text)
    return canonical.dumps_plain({**body, "signature": b64(signature)}).encode("utf-8")


def refusal(path: Path, **options: Any) -> SyncFileError:
    """The ``SyncFileError`` that reading ``path`` raises (any other exception, or none, fails the test), after
    checking that its message is a complete Chinese sentence without Python's own words in it."""
    try:
        read(path, **options)
    except SyncFileError as error:
        assert_clear(error)
        return error
    raise AssertionError(f"{path.name} was accepted")


def assert_clear(error: SyncFileError) -> None:
    message = str(error)
    assert len(re.findall(r"[\u4e00-\u9fff]", message)) >= 4, message
    assert not re.search(r"Traceback|Error\b|Exception|\bb'|None|Expecting|Invalid|Unterminated", message), message
    assert error.code == type(error).code
