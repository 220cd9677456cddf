"""The outside of a sync file: the preamble line and the age v1 envelope around the archive.

The **preamble** (``MDSYNC1 {"file_id":…,"from":…,"kind":…,"to":…}`` and a newline) is not protected by
anything: it serves only to route the file and word messages ("this file is for 某某镇"), and is compared with
the signed manifest once that is verified, so that an altered preamble is still noticed. It is read strictly:
the exact magic, canonical JSON with exactly those four fields, a bounded length.

After it comes an **age v1** file (``pyrage``; the ``age`` tool decrypts it too), encrypted to the recipient's
X25519 identity and to an optional escrow recipient. age authenticates the header and every 64 KiB chunk of the
payload, so a damaged or truncated file never decrypts; when decryption fails this module tells, where it can,
a truncated file (cut short), a damaged one (altered), and one not addressed to this desk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, NoReturn

import pyrage

from mediation_desk.domain import canonical
from mediation_desk.sync import strictjson
from mediation_desk.sync.errors import BadPreamble, Damaged, NotASyncFile, NotForThisDesk, SyncFileError, Truncated
from mediation_desk.sync.keys import AgeIdentity, age_recipient
from mediation_desk.sync.schema import ORG_CODE, Fields

MAGIC = b"MDSYNC1 "
AGE_MAGIC = b"age-encryption.org/v1\n"
KINDS = ("incremental", "full", "receipt")
MAX_PREAMBLE_BYTES = 1024
MAX_AGE_HEADER_BYTES = 16 * 1024
CHUNK = 64 * 1024  # age's payload chunk, each followed by a 16-byte tag
TAG = 16
NONCE = 16

OrgLabel = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Preamble:
    to: str
    sender: str  # "from" in the file
    file_id: str
    kind: str

    def line(self) -> bytes:
        body = {"to": self.to, "from": self.sender, "file_id": self.file_id, "kind": self.kind}
        return MAGIC + canonical.canonical_bytes(body) + b"\n"


def read_preamble(handle: IO[bytes], file_size: int) -> tuple[Preamble, bytes]:
    """The preamble at the start of ``handle`` and its exact bytes (the line and its newline)."""
    head = handle.read(min(file_size, MAX_PREAMBLE_BYTES))
    end = head.find(b"\n")
    if not head.startswith(MAGIC):
        _not_a_sync_file(head)
    if end < 0:
        if file_size <= MAX_PREAMBLE_BYTES:
            raise Truncated("文件不完整：首行就被截断了（可能在复制或传输时中断）")
        raise BadPreamble(f"文件首行超过 {MAX_PREAMBLE_BYTES} 字节，不是调解工作台的同步文件")
    line = head[: end + 1]
    handle.seek(len(line))
    try:
        value = strictjson.loads_canonical(line[len(MAGIC) : -1], what="文件首行", max_depth=1)
    except SyncFileError as error:
        raise BadPreamble(f"同步文件的首行已损坏：{error}") from None
    fields = Fields(value, what="文件首行", error=BadPreamble, keys=("to", "from", "file_id", "kind"))
    preamble = Preamble(
        to=fields.text("to", ORG_CODE),
        sender=fields.text("from", ORG_CODE),
        file_id=str(fields.uuid("file_id")),
        kind=fields.choice("kind", KINDS),
    )
    return preamble, line


def _not_a_sync_file(head: bytes) -> NoReturn:
    if not head:
        raise Truncated("文件是空的（0 字节）：可能在复制或传输时中断")
    if MAGIC.startswith(head):
        raise Truncated("文件不完整：只剩开头几个字节（可能在复制或传输时中断）")
    if head.startswith(AGE_MAGIC):
        raise NotASyncFile("这是一个 age 加密文件，但没有调解工作台同步文件的首行，不是本程序写出的同步文件")
    if head.startswith(b"PK\x03\x04"):
        raise NotASyncFile("这是一个 ZIP 压缩包，不是调解工作台的同步文件（同步文件是加密的）")
    raise NotASyncFile("不是调解工作台的同步文件（.mdsync）")


# ---------------------------------------------------------------------------------------------------------------
# The age envelope


def encrypt(source: IO[bytes], target: IO[bytes], recipients: Sequence[str]) -> None:
    """Encrypt ``source`` (from its current position) into ``target`` for every ``age1…`` recipient."""
    pyrage.encrypt_io(source, target, [age_recipient(text) for text in recipients])


class HashingReader:
    """A file read through: counts and hashes every byte that passes (the whole file's SHA-256 for step 5)."""

    def __init__(self, handle: IO[bytes], seed: bytes = b"") -> None:
        self.handle = handle
        self.hash = hashlib.sha256(seed)
        self.count = len(seed)

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.hash.update(data)
        self.count += len(data)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def drain(self) -> None:
        while self.read(CHUNK):
            pass


@dataclass(frozen=True, slots=True)
class EnvelopeShape:
    """What the age header says before decryption: its length, and the payload's (for telling failures apart)."""

    header_bytes: int
    payload_bytes: int


def peek_envelope(handle: IO[bytes], remaining: int) -> EnvelopeShape:
    """Measure the age header that starts at ``handle``'s position (restored afterwards)."""
    start = handle.tell()
    head = handle.read(min(remaining, MAX_AGE_HEADER_BYTES))
    handle.seek(start)
    if not head.startswith(AGE_MAGIC):
        if AGE_MAGIC.startswith(head):
            raise Truncated("文件不完整：加密部分刚开始就被截断了（可能在复制或传输时中断）")
        raise Damaged("文件的加密部分已损坏：不是 age 加密格式")
    mark = head.find(b"\n--- ")
    end = head.find(b"\n", mark + 1) if mark >= 0 else -1
    if end < 0:
        if remaining <= MAX_AGE_HEADER_BYTES:
            raise Truncated("文件不完整：加密文件头被截断了（可能在复制或传输时中断）")
        raise Damaged("文件的加密部分已损坏：文件头过长")
    return EnvelopeShape(end + 1, remaining - end - 1)


def decrypt(
    source: HashingReader,
    target: IO[bytes],
    identities: Sequence[AgeIdentity],
    *,
    shape: EnvelopeShape,
    preamble: Preamble,
    desk_org: str,
    org_label: OrgLabel,
) -> None:
    """Decrypt the envelope into ``target``; a failure says truncated, damaged or not addressed here."""
    if not identities:
        raise NotForThisDesk("本工作台没有可用的解密密钥（age 身份），无法打开同步文件")
    start = target.tell()
    try:
        pyrage.decrypt_io(source, target, [identity.native for identity in identities])
    except (pyrage.DecryptError, OSError, ValueError) as error:
        written = target.tell() - start
        raise _failure(str(error), written, shape, preamble, desk_org, org_label) from None


def _failure(
    reason: str, written: int, shape: EnvelopeShape, preamble: Preamble, desk_org: str, org_label: OrgLabel
) -> SyncFileError:
    if "Incomplete header" in reason:
        return Truncated("文件不完整：加密文件头被截断了（可能在复制或传输时中断）")
    if "No matching keys" in reason:
        if preamble.to != desk_org:
            return NotForThisDesk(
                f"此文件是发给{org_label(preamble.to)}的，不是发给本单位（{org_label(desk_org)}）的，无法解密；"
                f"请把它转交{org_label(preamble.to)}"
            )
        return Damaged(
            "无法用本工作台的密钥解密：文件的加密头已损坏，或文件是用本工作台没有保存的密钥加密的"
            "（例如恢复备份或换电脑之前的密钥）；请发件方重新导出"
        )
    if "Header" in reason or "Unknown age format" in reason:
        return Damaged("文件的加密头已损坏（校验失败）：文件在复制或传输中被改动了；请发件方重新发送")
    return _payload_failure(written, shape)


def _payload_failure(written: int, shape: EnvelopeShape) -> SyncFileError:
    body = shape.payload_bytes - NONCE
    if body <= 0:
        return Truncated("文件不完整：加密内容被截断了（可能在复制或传输时中断）")
    full, rest = divmod(body, CHUNK + TAG)
    last = full - 1 if rest == 0 else full
    failed = written // CHUNK
    if failed < last:
        return Damaged(
            f"文件内容已损坏：第 {failed + 1} 个数据块（共 {last + 1} 个）校验失败，文件在复制或传输中被改动了；"
            "请发件方重新发送"
        )
    return Truncated("文件不完整：末尾缺失或已损坏（可能在复制或传输时中断）；请发件方重新发送")
