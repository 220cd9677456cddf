"""Reading a CSV ledger strictly: UTF-8 (BOM optional), comma- or tab-separated, every quote closed, and every row
as wide as the header, so that one broken quote can never swallow the rows after it into one cell.

The rows keep the numbers a spreadsheet shows (one per record: a quoted cell may span lines, and stays one row);
each row is kept without its trailing blank cells, with the number of cells it had, for the width check once the
header is known. Limits (``limits``) are checked as the file is read: its size before anything else, then the
rows, the columns and each cell's length.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mediation_desk.domain.errors import ValidationError
from mediation_desk.services.ledger.cells import CellValue, blank, error_value
from mediation_desk.services.ledger.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_LINE_CHARS, MAX_ROWS
from mediation_desk.services.ledger.report import WHOLE_ROW, LedgerError, LedgerInvalid

_ADVICE = "请在 Excel 或 WPS 中“另存为 → CSV UTF-8（逗号分隔）”后再导入"

NumberedRow = tuple[int, list[CellValue]]
SHARED_CHARS = 24


@dataclass(slots=True)
class CsvTable:
    """The non-blank rows of a CSV file, numbered from 1, and how many cells each row had in the file."""

    rows: list[NumberedRow] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)
    # short cells repeat down a ledger (codes, categories, dates, 是/否): one string for each, not one per row
    shared: dict[str, str] = field(default_factory=dict, repr=False)


def decode(data: bytes, name: str) -> str:
    """The text of a UTF-8 file (BOM optional); a clear message for UTF-16 and for GBK and other encodings."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(f"{name} 是 UTF-16 编码，台账 CSV 必须是 UTF-8 编码；{_ADVICE}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{name} 不是 UTF-8 编码（可能是 GBK/ANSI）；台账 CSV 必须是 UTF-8 编码，{_ADVICE}"
        ) from None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def lines(content: str) -> Iterator[str]:
    """The lines of ``content`` with their endings (LF, CRLF or CR), as ``io.StringIO(content, newline="")`` gives
    them, one at a time and without a copy of the whole text (a StringIO holds four bytes per character)."""
    for match in _LINE.finditer(content):
        yield match.group()


def parse_csv(content: str, name: str) -> CsvTable:
    """Every record of ``content``; ``LedgerInvalid`` naming the row for broken quoting, ``ValidationError`` for a
    file beyond the limits."""
    first = ""
    for line in lines(content):
        if len(line) > MAX_LINE_CHARS:
            raise ValidationError(f"{name} 中有一行长达 {len(line)} 个字符，超过上限；文件不像是台账，或已损坏")
        first = first or (line if line.strip() else "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(lines(content), delimiter=delimiter, strict=True)
    table = CsvTable()
    number = 0
    while True:
        starts_at = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return table
        except csv.Error as error:
            raise LedgerInvalid([_quoting_error(number + 1, starts_at, str(error))]) from None
        number += 1
        if number > MAX_ROWS:
            raise ValidationError(f"{name} 超过 {MAX_ROWS} 行；请把台账分成几个文件分别导入")
        _add(table, number, fields, name)


def _add(table: CsvTable, number: int, fields: list[str], name: str) -> None:
    end = len(fields)
    while end and not fields[end - 1].strip():
        end -= 1
    if not end:
        return
    if end > MAX_COLUMNS:
        raise ValidationError(f"{name} 第 {number} 行有 {end} 列，超过上限 {MAX_COLUMNS} 列")
    for index, value in enumerate(fields[:end]):
        if len(value) > MAX_CELL_CHARS:
            raise LedgerInvalid(
                [LedgerError(number, f"第 {index + 1} 列", f"单元格过长（{len(value)} 字，最多 {MAX_CELL_CHARS} 字）")]
            )
    shared = table.shared
    cells = [
        error_value(shared.setdefault(value, value) if len(value) <= SHARED_CHARS else value) for value in fields[:end]
    ]
    if all(blank(value) for value in cells):
        return
    table.rows.append((number, cells))
    table.widths[number] = len(fields)


def _quoting_error(number: int, line: int, detail: str) -> LedgerError:
    where = f"（从文件第 {line} 行开始）" if line != number else ""
    if "unexpected end of data" in detail:
        reason = (
            f'这一行{where}有一个引号（"）没有配对：从它开始直到文件末尾都被当作一个单元格；'
            '请检查该行的引号，单元格中的引号应写成两个（""）'
        )
    elif "expected after" in detail:
        reason = f"这一行{where}的引号后面缺少逗号：带引号的单元格在结束引号之后还有其他字符；请检查该行的引号"
    elif "field larger than field limit" in detail:
        reason = f"这一行{where}有超长的单元格（最多 {MAX_CELL_CHARS} 字），可能是引号没有配对"
    elif "NUL" in detail:
        reason = f"这一行{where}含有空字符（NUL），文件不是文本文件或已损坏"
    else:
        reason = f"这一行{where}不是有效的 CSV：{detail}"
    return LedgerError(number, WHOLE_ROW, reason)


def width_errors(table: CsvTable, header_row: int, sheet: str = "") -> tuple[list[LedgerError], set[int]]:
    """Rows below the header with more or fewer cells than the header row, and their numbers: a cell missing or
    one too many moves every value after it into the wrong column, and a broken quote usually shows this way."""
    expected = table.widths.get(header_row, 0)
    errors: list[LedgerError] = []
    refused: set[int] = set()
    for number, cells in table.rows:
        width = table.widths[number]
        if number <= header_row or width == expected:
            continue
        refused.add(number)
        if width > expected:
            filled = [index for index in range(expected, len(cells)) if not blank(cells[index])]
            column = f"第 {(filled[0] if filled else expected) + 1} 列"
            reason = f"这一行有 {width} 个单元格，比表头行多 {width - expected} 个"
            reason += "：该列有内容，但没有表头" if filled else ""
        else:
            column = WHOLE_ROW
            reason = f"这一行只有 {width} 个单元格，表头行有 {expected} 个"
        errors.append(LedgerError(number, column, reason + "（可能是多了或少了逗号，或引号没有配对）", sheet))
    return errors, refused


def read_csv(path: Path, data: bytes) -> CsvTable:
    """The CSV ledger ``data`` read from ``path`` (the bytes are let go once decoded)."""
    content = decode(data, path.name)
    del data
    return parse_csv(content, path.name)
