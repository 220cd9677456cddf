"""Reading an ``.xlsx`` ledger: the archive checked before openpyxl parses anything, then the sheets' values.

Before openpyxl (``inspect``)
    The archive's directory (``filetype.check_zip_directory``), every member's declared size and compression
    ratio and the total (``limits``), no encrypted member, no XML part with a document type declaration (so no
    entity can expand); then the workbook's sheets, their names, states and parts, read from ``workbook.xml`` and
    its relationships as openpyxl reads them.

Each sheet to read (``scan``)
    One streaming pass over the sheet's XML (expat): its declared ``<dimension>`` against the limits (refused
    before any cell is read), where its content really ends (a styled empty cell is not content; a dimension can be
    wrong or missing, so it is never trusted for the extent), rows and cells out of order (which openpyxl would
    silently drop or overwrite), and the formulas saved without a result: openpyxl's ``data_only`` mode gives
    ``None`` for those, the same as for an empty cell, so they are found here, by their ``<f>`` without a ``<v>``.

The values (``read_workbook``)
    openpyxl in read-only, ``data_only`` mode, bounded by the extent the scan found, with the workbook's date
    system (1900 or 1904) for date cells and kept for plain date numbers. Formula cells without a result become
    ``Unreadable``; every row is kept without its trailing blank cells, blank rows dropped.
"""

from __future__ import annotations

import functools
import posixpath
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO
from xml.parsers import expat

from mediation_desk.domain.errors import DomainError, ValidationError
from mediation_desk.services.ledger.cells import CellValue, Unreadable, blank, cell
from mediation_desk.services.ledger.filetype import check_zip_directory
from mediation_desk.services.ledger.limits import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_DECLARED_COLUMNS,
    MAX_PART_BYTES,
    MAX_RATIO,
    MAX_ROWS,
    MAX_SHARED_STRINGS_BYTES,
    MAX_SHEET_XML_BYTES,
    MAX_SHEETS,
    MAX_TOTAL_XML_BYTES,
    RATIO_FROM_BYTES,
    megabytes,
)
from mediation_desk.services.ledger.report import LedgerError, LedgerInvalid

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_REL = REL_NS + "/worksheet"
OFFICE_DOCUMENT_REL = REL_NS + "/officeDocument"

CHUNK = 64 * 1024
HEAD_BYTES = 64 * 1024  # a part's document type declaration, if any, comes before its root element
UNSIZED_SHEET_BYTES = 16 * 1024 * 1024  # openpyxl reads a sheet without <dimension> in full to size it

NumberedRow = tuple[int, list[CellValue]]

# What reading a damaged archive raises: a bad directory or CRC, a broken deflate stream, a member cut short.
ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    ValueError,
    NotImplementedError,
    OSError,
)


def _corrupt(name: str, detail: str = "") -> ValidationError:
    more = f"（{detail}）" if detail else ""
    return ValidationError(
        f"{name} 已损坏或不是有效的 Excel（.xlsx）工作簿{more}；请在 Excel 或 WPS 中打开并重新保存后再导入"
    )


# ---------------------------------------------------------------------------------------------------------------
# The archive


@dataclass(frozen=True, slots=True)
class SheetEntry:
    """A sheet as the workbook lists it: its name, ``visible``/``hidden``/``veryHidden``, its part, and whether it
    is a worksheet (a chart sheet or dialog sheet has no cells)."""

    name: str
    state: str
    part: str | None
    worksheet: bool


_BINARY_PARTS = (".bin", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emf", ".wmf", ".tif", ".tiff")


def _member_limit(name: str) -> int:
    """Sheets may be large, and so may pictures (never decompressed in read-only mode); every other part is small."""
    lowered = name.lower()
    if "sharedstrings" in lowered:
        return MAX_SHARED_STRINGS_BYTES
    if "worksheets/" in lowered or lowered.endswith(_BINARY_PARTS):
        return MAX_SHEET_XML_BYTES
    return MAX_PART_BYTES


def check_members(archive: zipfile.ZipFile, name: str) -> None:
    """Every member's declared size, its ratio and the total, from the directory; no encrypted member."""
    total = 0
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise ValidationError(f"{name} 设置了密码（已加密）；请在 Excel 或 WPS 中取消密码并另存后再导入")
        limit = _member_limit(info.filename)
        if info.file_size > limit:
            raise ValidationError(
                f"{name} 中的部件 {info.filename} 解压后有 {megabytes(info.file_size)}，超过上限 {megabytes(limit)}："
                "台账过大，请分成几个工作簿导入"
            )
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ValidationError(f"{name} 的压缩比异常（{info.filename}），不像是 Excel 保存的工作簿，未导入")
        total += info.file_size
    if total > MAX_TOTAL_XML_BYTES:
        raise ValidationError(
            f"{name} 解压后共有 {megabytes(total)}，超过上限 {megabytes(MAX_TOTAL_XML_BYTES)}：请分成几个工作簿导入"
        )


class _Refused(Exception):
    """Raised inside an expat handler to stop the parse; carries the message to give."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.message)
        self.error = error


class _Stop(Exception):
    """Raised inside an expat handler when the part has been read far enough."""


def _parser(name: str) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse_doctype(*_args: object) -> None:
        raise _Refused(ValidationError(f"{name} 的 XML 部件含有文档类型声明（DTD），Excel 不会这样保存，未导入"))

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    return parser


def _feed(parser: expat.XMLParserType, stream: IO[bytes], name: str, limit: int | None = None) -> None:
    """Feed ``stream`` to ``parser`` in chunks (at most ``limit`` bytes); ``_Stop`` from a handler ends it early."""
    read = 0
    try:
        while limit is None or read < limit:
            chunk = stream.read(CHUNK)
            if not chunk:
                parser.Parse(b"", True)
                return
            read += len(chunk)
            parser.Parse(chunk, False)
    except _Stop:
        return
    except _Refused as refused:
        raise refused.error from None
    except expat.ExpatError as error:
        raise _corrupt(name, f"XML 格式错误：{expat.ErrorString(error.code)}") from None


def _stop(_tag: str, _attrs: dict[str, str]) -> None:
    raise _Stop


def check_no_doctype(archive: zipfile.ZipFile, name: str) -> None:
    """No part declares a document type (the only way to define entities): each is read up to its root element,
    whatever its name says (openpyxl follows the relationships, not the extensions). A part that is not XML is left
    to openpyxl, which refuses it if it needs it."""
    for info in archive.infolist():
        if info.filename.lower().endswith(_BINARY_PARTS) or info.is_dir():
            continue
        parser = _parser(name)
        parser.StartElementHandler = _stop
        with archive.open(info) as stream:
            try:
                _feed(parser, stream, name, HEAD_BYTES)
            except ValidationError as error:
                if "DTD" in error.message:
                    raise


def _xml(archive: zipfile.ZipFile, part: str, name: str) -> ET.Element | None:
    """A small part (already checked for size and document types) as a tree; ``None`` when it is missing."""
    try:
        return ET.fromstring(archive.read(part))
    except KeyError:
        return None
    except ET.ParseError:
        raise _corrupt(name, f"{part} 不是有效的 XML") from None


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _relationships(archive: zipfile.ZipFile, part: str, name: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, resolved target)."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    tree = _xml(archive, rels, name)
    found: dict[str, tuple[str, str]] = {}
    for rel in [] if tree is None else tree.iter(f"{{{PACKAGE_REL_NS}}}Relationship"):
        found[rel.get("Id", "")] = (rel.get("Type", ""), _target(part, rel.get("Target", "")))
    return found


def workbook_sheets(archive: zipfile.ZipFile, name: str) -> list[SheetEntry]:
    """The workbook's sheets in order, as ``workbook.xml`` and its relationships give them."""
    office = [target for kind, target in _relationships(archive, "", name).values() if kind == OFFICE_DOCUMENT_REL]
    workbook_part = office[0] if office else "xl/workbook.xml"
    tree = _xml(archive, workbook_part, name)
    if tree is None:
        raise _corrupt(name, "缺少 workbook.xml")
    if tree.tag.startswith(f"{{{STRICT_NS}}}"):
        raise ValidationError(
            f"{name} 是“Strict Open XML”格式的工作簿，无法读取；请在 Excel 中另存为“Excel 工作簿（*.xlsx）”后再导入"
        )
    rels = _relationships(archive, workbook_part, name)
    entries: list[SheetEntry] = []
    for sheet in tree.iter(f"{{{MAIN_NS}}}sheet"):
        kind, part = rels.get(sheet.get(f"{{{REL_NS}}}id", ""), ("", ""))
        present = part in archive.NameToInfo
        entries.append(
            SheetEntry(
                sheet.get("name", ""), sheet.get("state", "visible"), part or None, kind == WORKSHEET_REL and present
            )
        )
    if len(entries) > MAX_SHEETS:
        raise ValidationError(f"{name} 有 {len(entries)} 张工作表，超过上限 {MAX_SHEETS} 张")
    return entries


# ---------------------------------------------------------------------------------------------------------------
# One sheet's XML

_COORDINATE = re.compile(r"([A-Z]{1,3})([0-9]+)")


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _range(ref: str) -> tuple[int, int] | None:
    """The last row and column of a range such as ``A1:XFD1048576`` (or one cell); ``None`` when it is not one."""
    last = ref.rsplit(":", maxsplit=1)[-1].replace("$", "").upper()
    match = _COORDINATE.fullmatch(last)
    if not match:
        return None
    return int(match[2]), _column_index(match[1])


@dataclass(slots=True)
class Shape:
    """What the scan found: the last row and column holding content, and the formulas without a result."""

    rows: int = 0
    columns: int = 0
    uncached: set[tuple[int, int]] = field(default_factory=set)
    declared: tuple[int, int] | None = None


_C, _F, _V, _IS = (f"{MAIN_NS} {local}" for local in ("c", "f", "v", "is"))
_ROW, _DIMENSION, _SHEET_DATA, _WORKSHEET = (
    f"{MAIN_NS} {local}" for local in ("row", "dimension", "sheetData", "worksheet")
)


class _SheetScan:
    """The expat handlers of one sheet's scan (see the module docstring). Tags are compared whole (namespace and
    name), and text is listened to only inside a ``<v>``: the scan stays a fraction of openpyxl's own read."""

    def __init__(self, parser: expat.XMLParserType, file_name: str, sheet: str, *, full: bool) -> None:
        self.parser = parser
        self.file_name, self.sheet, self.full = file_name, sheet, full
        self.shape = Shape()
        self.row = self.column = 0
        self.in_cell = False
        self.kind = ""
        self.formula = self.value = self.value_text = self.inline = False
        parser.StartElementHandler = self.root
        parser.EndElementHandler = self.end

    def refuse(self, message: str) -> _Refused:
        return _Refused(ValidationError(f"{self.file_name} 的工作表“{self.sheet}”{message}"))

    def root(self, tag: str, _attrs: dict[str, str]) -> None:
        if tag != _WORKSHEET:
            raise self.refuse("不是普通的工作表（可能是 Strict Open XML 格式）；请另存为“Excel 工作簿（*.xlsx）”")
        self.parser.StartElementHandler = self.start

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == _C:
            self._start_cell(attrs)
        elif self.in_cell:
            if tag == _V:
                self.value = True
                self.parser.CharacterDataHandler = self.text
            elif tag == _F:
                self.formula = True
            elif tag == _IS:
                self.inline = True
        elif tag == _ROW:
            self._start_row(attrs)
        elif tag == _DIMENSION:
            self._dimension(attrs.get("ref", ""))
        elif tag == _SHEET_DATA and not self.full:
            raise _Stop

    def _dimension(self, ref: str) -> None:
        declared = _range(ref)
        self.shape.declared = declared
        if declared is None:
            return
        rows, columns = declared
        if rows > MAX_ROWS or columns > MAX_DECLARED_COLUMNS:
            raise self.refuse(
                f"的使用范围为 {ref}（{rows} 行、{columns} 列），"
                f"超过台账的上限（{MAX_ROWS} 行、{MAX_DECLARED_COLUMNS} 列）："
                "表格的末尾可能有设置了格式的空单元格。请在 Excel 或 WPS 中删除多余的行和列并保存，"
                "或把台账复制到新的工作簿后再导入"
            )

    def _start_row(self, attrs: dict[str, str]) -> None:
        written = attrs.get("r")
        number = self.row + 1 if written is None else _integer(written)
        if number is None or number <= self.row:
            raise _Refused(_corrupt(self.file_name, f"工作表“{self.sheet}”的行号错乱（{written}）"))
        self.row, self.column = number, 0

    def _start_cell(self, attrs: dict[str, str]) -> None:
        written = attrs.get("r")
        column = self.column + 1 if written is None else _cell_column(written)
        if column <= self.column:
            raise _Refused(_corrupt(self.file_name, f"工作表“{self.sheet}”的单元格错乱（{written}）"))
        self.column = column
        self.in_cell = True
        self.kind = attrs.get("t", "n")
        self.formula = self.value = self.value_text = self.inline = False

    def text(self, data: str) -> None:
        if data:
            self.value_text = True

    def end(self, tag: str) -> None:
        if tag == _V:
            self.parser.CharacterDataHandler = None
        elif tag == _C:
            self.in_cell = False
            self._end_cell()

    def _end_cell(self) -> None:
        if not (self.value_text or self.inline or self.formula):
            return  # a styled empty cell
        row, column, shape = self.row, self.column, self.shape
        if row > MAX_ROWS or column > MAX_COLUMNS:
            coordinate = f"{column_letter(column)}{row}"
            if row > MAX_ROWS:
                raise self.refuse(
                    f"第 {row} 行（{coordinate}）有内容，超过台账的上限 {MAX_ROWS} 行；请分成几个工作簿导入"
                )
            raise self.refuse(f"的单元格 {coordinate} 有内容，超过台账的上限 {MAX_COLUMNS} 列")
        shape.rows = max(shape.rows, row)
        shape.columns = max(shape.columns, column)
        if self.formula and not self.value_text and not (self.value and self.kind == "str"):
            shape.uncached.add((row, column))


@functools.lru_cache(maxsize=4096)
def _letters_index(letters: str) -> int:
    return _column_index(letters) if _LETTERS.fullmatch(letters) else 0


_LETTERS = re.compile(r"[A-Z]{1,3}")


def _cell_column(coordinate: str) -> int:
    """The column of a cell reference such as ``AB12`` (0 when it is not one)."""
    letters = coordinate.rstrip("0123456789")
    if len(letters) == len(coordinate) or not coordinate[len(letters) :].isascii():
        return 0
    return _letters_index(letters.upper())


def _integer(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() and value > 0 else None


def scan_sheet(archive: zipfile.ZipFile, entry: SheetEntry, file_name: str, *, full: bool) -> Shape:
    """Scan a worksheet's part: only up to its cells (``full=False``: its declared range), or all of it."""
    assert entry.part is not None
    parser = _parser(file_name)
    scan = _SheetScan(parser, file_name, entry.name, full=full)
    with archive.open(entry.part) as stream:
        _feed(parser, stream, file_name)
    if not full and scan.shape.declared is None and archive.getinfo(entry.part).file_size > UNSIZED_SHEET_BYTES:
        raise ValidationError(
            f"{file_name} 的工作表“{entry.name}”很大，却没有记录尺寸（dimension），不像是 Excel 保存的工作簿；"
            "请在 Excel 或 WPS 中打开并重新保存后再导入"
        )
    return scan.shape


# ---------------------------------------------------------------------------------------------------------------
# Values


@dataclass(slots=True)
class WorkbookSheet:
    """A sheet read from the workbook: its entry and its non-blank rows (``None`` when it was not read)."""

    entry: SheetEntry
    rows: list[NumberedRow] | None = None


@dataclass(slots=True)
class Workbook:
    sheets: list[WorkbookSheet]
    epoch: datetime


def _row(values: tuple[object, ...], number: int, uncached: set[tuple[int, int]], sheet: str) -> list[CellValue]:
    cells = [cell(value) for value in values]
    for index, value in enumerate(cells):
        if (number, index + 1) in uncached:
            cells[index] = Unreadable(
                f"单元格 {column_letter(index + 1)}{number} 是公式，但文件中没有保存它的计算结果"
                "（文件可能由其他程序生成，没有在 Excel 中打开保存过）；请在 Excel 或 WPS 中打开、保存后再导入"
            )
        elif isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise LedgerInvalid(
                [LedgerError(number, column_letter(index + 1), f"单元格过长（最多 {MAX_CELL_CHARS} 字）", sheet)]
            )
    end = len(cells)
    while end and blank(cells[end - 1]):
        end -= 1
    return cells[:end]


def _values(worksheet: object, shape: Shape, sheet: str) -> list[NumberedRow]:
    if not shape.rows:
        return []
    rows: list[NumberedRow] = []
    iterate = worksheet.iter_rows  # type: ignore[attr-defined]
    values = iterate(min_row=1, max_row=shape.rows, min_col=1, max_col=shape.columns, values_only=True)
    for number, row_values in enumerate(values, start=1):
        cells = _row(row_values, number, shape.uncached, sheet)
        if cells:
            rows.append((number, cells))
    return rows


def inspect(path: Path) -> list[SheetEntry]:
    """The archive's checks (the module docstring) and the workbook's sheets; nothing is decompressed in full."""
    check_zip_directory(path)
    try:
        with zipfile.ZipFile(path) as archive:
            check_members(archive, path.name)
            check_no_doctype(archive, path.name)
            return workbook_sheets(archive, path.name)
    except ARCHIVE_ERRORS as error:
        raise _corrupt(path.name, type(error).__name__) from None


def read_workbook(path: Path, entries: list[SheetEntry], wanted: set[str]) -> Workbook:
    """The rows of the sheets named in ``wanted`` (scanned first, see the module docstring); the others are sized
    only (their declared range is read, as openpyxl will)."""
    shapes: dict[str, Shape] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for entry in entries:
                if entry.worksheet:
                    shape = scan_sheet(archive, entry, path.name, full=entry.name in wanted)
                    if entry.name in wanted:
                        shapes[entry.name] = shape
    except ARCHIVE_ERRORS as error:
        raise _corrupt(path.name, type(error).__name__) from None
    return _load(path, entries, shapes)


def _load(path: Path, entries: list[SheetEntry], shapes: dict[str, Shape]) -> Workbook:
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
            try:
                sheets = [
                    WorkbookSheet(entry, _values(workbook[entry.name], shapes[entry.name], entry.name))
                    if entry.name in shapes
                    else WorkbookSheet(entry)
                    for entry in entries
                ]
                return Workbook(sheets, workbook.epoch)
            finally:
                workbook.close()
    except DomainError:
        raise
    except Exception as error:  # a damaged file can fail anywhere inside openpyxl: say so plainly
        raise _corrupt(path.name, type(error).__name__) from None
