"""The ZIP inside a sync file, written plainly and read without ever extracting it to disk.

Only what this program writes is accepted: stored or deflated members with the names of the format (a fixed
whitelist, so no paths, no traversal, no look-alike spellings), each once; no encryption, no data descriptors,
no extra fields, no comments, no ZIP64; local headers that agree with the central directory (names, sizes,
checksums: no lying sizes) and that tile the file exactly, one after another, so that no two entries overlap and
nothing is hidden between them. Before the central directory is even parsed, the end record is read to cap the
number of members; every member's unpacked size is capped, alone, in total, and as a ratio of its packed size.
Members are then read as streams from their place in the archive (Python's ``zipfile`` only lists them): never
more than their declared size, their deflate stream ending exactly where their packed size ends (nothing hidden
inside a member either), their CRC checked; lines are bounded in length, and a member that holds another archive
is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from mediation_desk.sync.errors import BadArchive, BadMember, MalformedJson, ZipBomb
from mediation_desk.sync.limits import Limits

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
CERTIFICATES = "certs.json"
RECEIPTS = "receipts.jsonl"
REQUIRED = (MANIFEST, SIGNATURE, CERTIFICATES, RECEIPTS)
MEMBER_NAME = re.compile(r"manifest\.json|manifest\.sig|certs\.json|receipts\.jsonl|revisions-[0-9]{4}\.jsonl")
SIGNATURE_BYTES = 96  # the signer's 32-byte Ed25519 public key, then the 64-byte signature
READ_CHUNK = 64 * 1024
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # no member says when the file was made: the signed manifest does

_END = struct.Struct("<4sHHHHIIH")  # end of central directory record
_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # local file header
_ZIP64_LOCATOR = b"PK\x06\x07"
_NESTED = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
_ALLOWED_FLAGS = 0x0806  # deflate's option bits and UTF-8 names; never encryption (0x1) or descriptors (0x8)


def revisions_name(number: int) -> str:
    return f"revisions-{number:04d}.jsonl"


@dataclass(frozen=True, slots=True)
class MemberDigest:
    """A member's unpacked size, SHA-256 and number of lines, as the manifest lists them."""

    name: str
    size: int
    sha256: str
    lines: int


# ---------------------------------------------------------------------------------------------------------------
# Writing


class ArchiveWriter:
    """Members written one by one into ``handle``, each measured for the manifest as it is written."""

    def __init__(self, handle: IO[bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> None:
        if compression not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ValueError("sync files hold stored or deflated members only")
        self.compression = compression
        self.zip = zipfile.ZipFile(handle, "w", compression, allowZip64=False)
        self._current: MemberStream | None = None

    def open(self, name: str) -> MemberStream:
        if not MEMBER_NAME.fullmatch(name):
            raise ValueError(f"not a member of a sync file: {name}")
        info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
        info.compress_type = self.compression
        info.external_attr = 0o600 << 16
        self._current = MemberStream(name, self.zip.open(info, "w"))
        return self._current

    def add(self, name: str, data: bytes) -> MemberDigest:
        stream = self.open(name)
        stream.write(data)
        return stream.close()

    def close(self) -> None:
        self.zip.close()

    def abandon(self) -> None:
        """Finish a half-written archive that will be thrown away, while its file is still open (otherwise the
        garbage collector would try to, on a closed file)."""
        with contextlib.suppress(Exception):
            if self._current is not None and not self._current.handle.closed:
                self._current.handle.close()
        with contextlib.suppress(Exception):
            self.zip.close()


class MemberStream:
    def __init__(self, name: str, handle: IO[bytes]) -> None:
        self.name, self.handle = name, handle
        self.hash = hashlib.sha256()
        self.size = 0
        self.lines = 0

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.hash.update(data)
        self.size += len(data)
        self.lines += data.count(b"\n")

    def close(self) -> MemberDigest:
        self.handle.close()
        return MemberDigest(self.name, self.size, self.hash.hexdigest(), self.lines)


# ---------------------------------------------------------------------------------------------------------------
# Reading


class Archive:
    """A checked archive: ``members`` by name, read as streams (``digest``, ``lines``, ``read_small``)."""

    def __init__(self, handle: IO[bytes], size: int, limits: Limits) -> None:
        self.limits = limits
        directory_offset, count = _end_record(handle, size, limits)
        try:
            self.zip = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error):
            raise BadArchive("文件内的压缩包结构已损坏：目录无法读取") from None
        except NotImplementedError:  # a member needing a ZIP version beyond what Python reads
            raise BadArchive("文件内的压缩包使用了不支持的 ZIP 版本：不是本程序写出的") from None
        infos = self.zip.infolist()
        if len(infos) != count:
            raise BadArchive("文件内压缩包的目录与其结尾记录不一致")
        self.members = _check_entries(infos, limits)
        self._handle = handle
        self._data = _check_layout(handle, sorted(infos, key=lambda info: info.header_offset), directory_offset)

    @property
    def revision_members(self) -> list[str]:
        return sorted(name for name in self.members if name.startswith("revisions-"))

    def _chunks(self, name: str) -> Iterator[bytes]:
        """The unpacked bytes of ``name``, read from its place in the archive: never more than its declared size,
        and its stream must end exactly where its packed size says (nothing hidden after it), with its CRC."""
        info = self.members[name]
        position, packed_left, left = self._data[name], info.compress_size, info.file_size
        inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
        crc = 0
        while packed_left:
            self._handle.seek(position)
            raw = self._handle.read(min(READ_CHUNK, packed_left))
            if not raw:
                raise BadArchive(f"压缩包成员 {name} 不完整", member=name)
            position, packed_left = position + len(raw), packed_left - len(raw)
            data = raw if inflater is None else _inflate(inflater, raw, left, name)
            if len(data) > left:
                raise BadArchive(f"压缩包成员 {name} 解压后比声明的大", member=name)
            left -= len(data)
            crc = zlib.crc32(data, crc)
            if data:
                yield data
        if left or (inflater is not None and (not inflater.eof or inflater.unused_data)):
            raise BadArchive(f"压缩包成员 {name} 的压缩数据与声明的大小不符，或后面藏有多余的数据", member=name)
        if crc != info.CRC:
            raise BadArchive(f"压缩包成员 {name} 的校验值（CRC）不对：文件已损坏", member=name)

    def digest(self, name: str) -> MemberDigest:
        """Stream ``name`` once: its size, hash and number of lines; a nested archive is refused."""
        digest = hashlib.sha256()
        size = lines = 0
        for chunk in self._chunks(name):
            if size == 0 and chunk.startswith(_NESTED):
                raise ZipBomb(f"压缩包成员 {name} 里又套着一个压缩包，本程序写出的同步文件不会这样", member=name)
            digest.update(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")
        if size != self.members[name].file_size:
            raise BadArchive(f"压缩包成员 {name} 的实际大小与声明的不一致", member=name)
        return MemberDigest(name, size, digest.hexdigest(), lines)

    def lines(self, name: str) -> Iterator[tuple[int, bytes]]:
        """The lines of ``name`` (without their newlines), numbered from 1, none longer than the cap; the last
        one must end in a newline."""
        limit = self.limits.max_line_bytes
        number = 0
        rest = b""
        for chunk in self._chunks(name):
            parts = (rest + chunk).split(b"\n") if rest else chunk.split(b"\n")
            rest = parts.pop()
            for part in parts:
                number += 1
                if len(part) > limit:
                    raise MalformedJson(f"{name} 第 {number} 行超过 {limit // 1024} KB", member=name, line=number)
                yield number, part
            if len(rest) > limit:
                raise MalformedJson(f"{name} 第 {number + 1} 行超过 {limit // 1024} KB", member=name, line=number + 1)
        if rest:
            raise MalformedJson(f"{name} 的最后一行不完整（缺少换行）", member=name, line=number + 1)

    def read_small(self, name: str, cap: int) -> bytes:
        """The whole of a small member (the manifest, its signature, the certificates), at most ``cap`` bytes."""
        if self.members[name].file_size > cap:
            raise ZipBomb(f"压缩包成员 {name} 过大（超过 {cap // 1024} KB）", member=name)
        data = b"".join(self._chunks(name))
        if len(data) != self.members[name].file_size:
            raise BadArchive(f"压缩包成员 {name} 的实际大小与声明的不一致", member=name)
        return data

    def close(self) -> None:
        self.zip.close()


def _end_record(handle: IO[bytes], size: int, limits: Limits) -> tuple[int, int]:
    """The central directory's offset and member count, from the end record, before anything else is parsed."""
    if size < _END.size:
        raise BadArchive("文件内的压缩包不完整")
    handle.seek(size - _END.size)
    (signature, disk, directory_disk, here, total, directory_size, directory_offset, comment) = _END.unpack(
        handle.read(_END.size)
    )
    if signature != b"PK\x05\x06" or comment != 0 or disk != 0 or directory_disk != 0 or here != total:
        raise BadArchive("文件内的压缩包结构不对（结尾记录）：不是本程序写出的")
    if total > limits.max_members or total == 0xFFFF or _has_zip64_locator(handle, size):
        raise ZipBomb(f"文件内的压缩包成员过多（超过 {limits.max_members} 个）")
    if directory_offset + directory_size != size - _END.size or directory_size > total * 256:
        raise BadArchive("文件内的压缩包结构不对（目录位置）：含有多余或隐藏的数据")
    handle.seek(0)
    return directory_offset, total


def _has_zip64_locator(handle: IO[bytes], size: int) -> bool:
    if size < _END.size + 20:
        return False
    handle.seek(size - _END.size - 20)
    return handle.read(4) == _ZIP64_LOCATOR


def _member_cap(name: str, limits: Limits) -> int:
    caps = {
        MANIFEST: limits.max_manifest_bytes,
        SIGNATURE: SIGNATURE_BYTES,
        CERTIFICATES: limits.max_certs_bytes,
        RECEIPTS: limits.max_receipts_bytes,
    }
    return caps.get(name, limits.max_member_bytes)


def _check_entries(infos: list[zipfile.ZipInfo], limits: Limits) -> dict[str, zipfile.ZipInfo]:
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        shown = repr(name[:60]) if not name.isascii() or not name.isprintable() else name[:60]
        if info.orig_filename != name or not MEMBER_NAME.fullmatch(name):
            raise BadMember(f"压缩包中有不该有的成员 {shown}（同步文件只含固定名称的成员，不含路径）", member=name)
        if name in members:
            raise BadMember(f"压缩包中成员 {name} 出现了两次", member=name)
        _check_entry(info, limits)
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ZipBomb(f"文件内的压缩包解压后超过 {limits.max_total_bytes // (1024 * 1024)} MB")
        members[name] = info
    missing = [name for name in REQUIRED if name not in members]
    if missing:
        raise BadMember(f"压缩包缺少成员 {', '.join(missing)}")
    numbers = sorted(int(name[10:14]) for name in members if name.startswith("revisions-"))
    if numbers != list(range(1, len(numbers) + 1)):
        raise BadMember("压缩包中的修订记录成员编号不连续（应为 revisions-0001.jsonl 起依次编号）")
    return members


def _check_entry(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.filename
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise BadArchive(f"压缩包成员 {name} 使用了不支持的压缩方式", member=name)
    if info.flag_bits & ~_ALLOWED_FLAGS:
        raise BadArchive(f"压缩包成员 {name} 有加密或其他不支持的标志", member=name)
    if info.extra or info.comment:
        raise BadArchive(f"压缩包成员 {name} 带有附加字段或注释：不是本程序写出的", member=name)
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise BadArchive(f"压缩包成员 {name} 声明的大小前后矛盾", member=name)
    cap = _member_cap(name, limits)
    if info.file_size > cap:
        raise ZipBomb(f"压缩包成员 {name} 解压后过大（{info.file_size} 字节，上限 {cap} 字节）", member=name)
    large = info.file_size > limits.ratio_floor_bytes
    if large and info.file_size > max(info.compress_size, 1) * limits.max_ratio:
        raise ZipBomb(f"压缩包成员 {name} 的压缩比异常（超过 {limits.max_ratio} 倍），疑为压缩炸弹", member=name)


def _inflate(inflater: Any, raw: bytes, left: int, name: str) -> bytes:
    """Inflate ``raw``, stopping one byte past the ``left`` bytes the member may still hold."""
    if inflater.eof:
        raise BadArchive(f"压缩包成员 {name} 的压缩数据后面藏有多余的数据", member=name)
    try:
        return bytes(inflater.decompress(raw, left + 1))
    except zlib.error:
        raise BadArchive(f"压缩包成员 {name} 的压缩数据已损坏", member=name) from None


def _check_layout(handle: IO[bytes], infos: list[zipfile.ZipInfo], directory_offset: int) -> dict[str, int]:
    """Local headers agree with the directory and follow one another exactly up to the directory; where each
    member's data starts."""
    expected = 0
    starts: dict[str, int] = {}
    for info in infos:
        name = info.filename
        if info.header_offset != expected:
            raise BadArchive(f"压缩包成员 {name} 与其他成员重叠，或前面藏有多余的数据", member=name)
        handle.seek(info.header_offset)
        header = handle.read(_LOCAL.size)
        if len(header) != _LOCAL.size:
            raise BadArchive(f"压缩包成员 {name} 的本地文件头不完整", member=name)
        fields = _LOCAL.unpack(header)
        signature, _version, flags, method, _time, _date, crc, packed, unpacked, name_length, extra_length = fields
        local_name = handle.read(name_length)
        agrees = (flags, method, crc, packed, unpacked) == (
            info.flag_bits,
            info.compress_type,
            info.CRC,
            info.compress_size,
            info.file_size,
        )
        if signature != b"PK\x03\x04" or local_name != name.encode("ascii") or extra_length or not agrees:
            raise BadArchive(f"压缩包成员 {name} 的本地文件头与目录不一致（大小、校验值或名称）", member=name)
        starts[name] = info.header_offset + _LOCAL.size + name_length
        expected = starts[name] + info.compress_size
    if expected != directory_offset:
        raise BadArchive("压缩包的最后一个成员与目录之间有多余或缺失的数据")
    handle.seek(0)
    return starts
