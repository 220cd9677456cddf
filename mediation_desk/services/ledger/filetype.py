"""What a file really is, from its first bytes: a ledger named ``.csv`` that is a workbook, or ``.xlsx`` that is text,
an old ``.xls``, a PDF or a picture, each gets a message that says so and what to do, rather than a decoding
error about the wrong thing."""

from __future__ import annotations

import struct
import zipfile
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.ledger.limits import MAX_ZIP_DIRECTORY_BYTES, MAX_ZIP_MEMBERS

SNIFF_BYTES = 8192


class Kind(Enum):
    ZIP = "zip"
    OLE = "ole"  # the compound-file format of .xls, .doc, and of workbooks saved with a password
    UTF16 = "utf16"
    TEXT = "text"
    BINARY = "binary"


# Formats that are certainly not a ledger, by their signature, with their names for the message.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF 文件"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"BM", "BMP 图片"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"Rar!", "RAR 压缩文件"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩文件"),
    (b"{\\rtf", "RTF 文档"),
)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(head: bytes) -> tuple[Kind, str]:
    """The kind of content ``head`` (a file's first bytes) starts, and a name for it (for a known non-ledger)."""
    if head.startswith(_ZIP):
        return Kind.ZIP, ""
    if head.startswith(_OLE):
        return Kind.OLE, ""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Kind.UTF16, ""
    for signature, name in _SIGNATURES:
        if head.startswith(signature) and (signature != b"BM" or _binary(head)):
            return Kind.BINARY, name
    if _binary(head):
        return (Kind.UTF16, "") if _looks_utf16(head) else (Kind.BINARY, "")
    return Kind.TEXT, ""


def _binary(head: bytes) -> bool:
    """NUL bytes never occur in a text ledger; other control bytes (but tab, line breaks, form feed, ESC) hardly."""
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 0x20 and byte not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
    return controls > max(4, len(head) // 100)


def _looks_utf16(head: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark: in one of the two positions many NUL bytes (the high bytes of
    ASCII), in the other hardly any, and no control bytes but line breaks and tabs."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    for high, low in ((even, odd), (odd, even)):
        controls = sum(1 for byte in low if byte < 0x20 and byte not in (0x09, 0x0A, 0x0D))
        if high.count(0) > 0.4 * len(high) and low.count(0) < 0.1 * len(low) and controls < 0.25 * len(low):
            return True
    return False


def read_head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(SNIFF_BYTES)


_CSV_ADVICE = "请在 Excel 或 WPS 中“另存为 → CSV UTF-8（逗号分隔）”后再导入"
_OLD_EXCEL = "请在 Excel 或 WPS 中打开，另存为 .xlsx 工作簿（如设置了打开密码，请先取消密码）后再导入"


def refuse_for_csv(path: Path, kind: Kind, name: str) -> None:
    """Raise the message for a ``.csv`` file whose content is something else; return when it is text."""
    if kind is Kind.ZIP:
        what = zip_content(path)
        if what == "workbook":
            raise ValidationError(
                f"{path.name} 实际上是 Excel 工作簿（.xlsx），只是扩展名为 .csv：请把扩展名改为 .xlsx 后再导入"
            )
        raise ValidationError(f"{path.name} 实际上是{what}，不是 CSV 文本文件；台账只能是 .xlsx 工作簿或 CSV 文件")
    if kind is Kind.OLE:
        raise ValidationError(
            f"{path.name} 实际上是旧版 Excel（.xls）或加密的 Office 文件，不是 CSV 文本文件；{_OLD_EXCEL}"
        )
    if kind is Kind.UTF16:
        raise ValidationError(f"{path.name} 是 UTF-16 编码，台账 CSV 必须是 UTF-8 编码；{_CSV_ADVICE}")
    if kind is Kind.BINARY:
        what = name or "二进制文件"
        raise ValidationError(f"{path.name} 实际上是{what}，不是 CSV 文本文件；请选择台账的 .csv 或 .xlsx 文件")


def refuse_for_xlsx(path: Path, kind: Kind, name: str) -> None:
    """Raise the message for an ``.xlsx`` file whose content is not a workbook's zip; return when it is a zip."""
    if kind is Kind.ZIP:
        return
    if kind is Kind.OLE:
        raise ValidationError(
            f"{path.name} 不是有效的 Excel（.xlsx）文件，而是旧版 Excel（.xls）文件或设置了打开密码的工作簿；"
            + _OLD_EXCEL
        )
    if kind in (Kind.TEXT, Kind.UTF16):
        raise ValidationError(
            f"{path.name} 不是有效的 Excel（.xlsx）文件，而是文本文件（可能是改了扩展名的 CSV）："
            "如是 CSV 台账，请把扩展名改为 .csv"
        )
    raise ValidationError(f"{path.name} 不是有效的 Excel（.xlsx）文件：它是{name or '二进制文件'}，或文件已损坏")


def zip_content(path: Path) -> str:
    """``"workbook"`` for an .xlsx, else what the archive is, in words for a message."""
    try:
        check_zip_directory(path)
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (ValidationError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "已损坏的 ZIP 压缩文件"
    if "xl/workbook.xml" in names or any(name.endswith("/workbook.xml") for name in names):
        return "workbook"
    if "word/document.xml" in names:
        return "Word 文档（.docx）"
    if "ppt/presentation.xml" in names:
        return "PowerPoint 演示文稿（.pptx）"
    if "content.xml" in names:
        return "OpenDocument 文件（.ods/.odt）"
    return "ZIP 压缩文件"


_EOCD = b"PK\x05\x06"
_EOCD_FORMAT = "<4s4H2LH"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD_FORMAT = "<4sQ2H2L4Q"


def check_zip_directory(path: Path) -> None:
    """The archive's directory read from its end record, before ``zipfile`` builds one object per member: at most
    ``MAX_ZIP_MEMBERS`` members in at most ``MAX_ZIP_DIRECTORY_BYTES``. ``ValidationError`` when it is larger or
    there is no end record (not a zip, or a truncated one)."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        tail_size = min(size, 22 + 65535)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < struct.calcsize(_EOCD_FORMAT):
            raise ValidationError(f"{path.name} 不是完整的 ZIP 文件（找不到目录），文件可能已损坏或没有下载完整")
        fields = struct.unpack_from(_EOCD_FORMAT, tail, at)
        members, directory = fields[4], fields[5]
        if members == 0xFFFF or directory == 0xFFFFFFFF:
            members, directory = _zip64_directory(handle, size - tail_size + at, path.name)
    if members > MAX_ZIP_MEMBERS or directory > MAX_ZIP_DIRECTORY_BYTES:
        raise ValidationError(
            f"{path.name} 中的文件过多（{members} 个），不像是 Excel 台账；台账工作簿最多可含 {MAX_ZIP_MEMBERS} 个部件"
        )


def _zip64_directory(handle: BinaryIO, eocd_at: int, name: str) -> tuple[int, int]:
    """Members and directory size from the ZIP64 end record that the locator before the end record points to."""
    broken = ValidationError(f"{name} 不是完整的 ZIP 文件（目录已损坏）")
    if eocd_at < 20:
        raise broken
    handle.seek(eocd_at - 20)
    locator = handle.read(20)
    if not locator.startswith(_ZIP64_LOCATOR):
        raise broken
    (offset,) = struct.unpack_from("<Q", locator, 8)
    handle.seek(offset)
    record = handle.read(struct.calcsize(_ZIP64_EOCD_FORMAT))
    if len(record) < struct.calcsize(_ZIP64_EOCD_FORMAT) or not record.startswith(b"PK\x06\x06"):
        raise broken
    fields = struct.unpack(_ZIP64_EOCD_FORMAT, record)
    return fields[7], fields[8]
