"""Reading a ledger file into rows of cells: ``.xlsx`` (the first worksheet) or UTF-8 ``.csv`` (BOM optional; comma-
or tab-separated), with the header row found among the first rows and blank rows dropped."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.ledger.cells import CellValue, blank, cell, text
from mediation_desk.services.ledger.columns import match_header

HEADER_SEARCH_ROWS = 10

NumberedRow = tuple[int, list[CellValue]]


@dataclass(slots=True)
class Sheet:
    """A ledger as read from the file: its header row and its non-blank data rows."""

    header_row: int
    headers: list[str]
    rows: list[NumberedRow]


def read_sheet(path: Path) -> Sheet:
    """Read ``.xlsx`` or UTF-8 ``.csv`` into rows; raise ``ValidationError`` when the file cannot be read."""
    if not path.exists():
        raise ValidationError(f"找不到文件 {path}")
    if not path.is_file():
        raise ValidationError(f"{path} 不是文件")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = read_xlsx(path)
    elif suffix == ".csv":
        raw = read_csv(path)
    elif suffix in (".xls", ".et", ".ods"):
        raise ValidationError(
            f"无法读取 {path.name}：请在 Excel 或 WPS 中另存为 .xlsx 工作簿或“CSV UTF-8（逗号分隔）”文件后再导入"
        )
    else:
        raise ValidationError(f"{path.name} 不是台账文件：只能导入 .xlsx 或 .csv 文件")
    return find_header(raw, path.name)


def read_xlsx(path: Path) -> list[NumberedRow]:
    """Every row of the first worksheet, numbered from 1."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise ValidationError(f"{path.name} 不是有效的 Excel（.xlsx）文件，或文件已损坏") from None
    try:
        if not workbook.worksheets:
            raise ValidationError(f"{path.name} 中没有工作表")
        sheet = workbook.worksheets[0]
        return [
            (number, [cell(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


_CSV_ADVICE = "请在 Excel 或 WPS 中“另存为 → CSV UTF-8（逗号分隔）”后再导入"


def read_csv(path: Path) -> list[NumberedRow]:
    """Every row of a UTF-8 CSV file (with or without BOM), numbered from 1; tab-separated when the first line is."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(f"{path.name} 是 UTF-16 编码，台账 CSV 必须是 UTF-8 编码；{_CSV_ADVICE}")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path.name} 不是 UTF-8 编码（可能是 GBK/ANSI）；台账 CSV 必须是 UTF-8 编码，{_CSV_ADVICE}"
        ) from None
    first = next((line for line in content.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        return [(number, list[CellValue](row)) for number, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise ValidationError(f"{path.name} 不是有效的 CSV 文件：{error}") from None


def find_header(raw: list[NumberedRow], name: str) -> Sheet:
    """The header is the first row naming at least two known columns among the first ten non-blank rows (so a
    title row above it is allowed); without one, the first non-blank row."""
    rows = [(number, cells) for number, cells in raw if not all(blank(value) for value in cells)]
    if not rows:
        raise ValidationError(f"{name} 是空文件：没有表头，也没有案件")
    header_at = 0
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = sum(1 for value in cells if isinstance(value, str) and match_header(value))
        if known >= 2:
            header_at = index
            break
    header_row, header_cells = rows[header_at]
    headers = ["" if blank(value) else text(value) for value in header_cells]
    return Sheet(header_row, headers, rows[header_at + 1 :])
